package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Esc during a task in presentation mode, and quitting during a task, with the real compute thread. */
@ExtendWith(ApplicationExtension.class)
class PresentationAndQuitTest {
    private Workbench wb;
    private DefaultComputeExecutor executor;
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final AtomicBoolean quit = new AtomicBoolean();
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("multimagnet-workbench-test-" + System.nanoTime());
        executor = DefaultComputeExecutor.fxThread();
        wb = new Workbench(FakeServices.create(), executor, dialogs,
                new WorkspaceModel(Path.of("target", "no-such-workspace")), new RecentWorkspaces(prefs), 1L,
                () -> quit.set(true));
        stage.setScene(new Scene(wb.view(), 1280, 720));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdown();
        prefs.removeNode();
    }

    /** Starts a task that runs until cancelled, and waits until the status bar shows it. */
    private CountDownLatch longTask(FxRobot robot) throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        robot.interact(() -> executor.submit(BackgroundTask.<Void>of("Training member 3", (p, c) -> {
            while (true) {
                c.throwIfCancelled();
                Thread.sleep(5);
            }
        }).onCancelled(cancelled::countDown)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> !executor.currentTitleProperty().get().isEmpty());
        return cancelled;
    }

    @Test
    void escCancelsTheTaskAndStaysInPresentationMode(FxRobot robot) throws Exception {
        robot.interact(() -> wb.model().presentationModeProperty().set(true));
        CountDownLatch cancelled = longTask(robot);
        robot.type(KeyCode.ESCAPE);
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "Esc cancelled the task");
        assertTrue(wb.model().presentationModeProperty().get(), "still in presentation mode");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> executor.currentTitleProperty().get().isEmpty());
        // with nothing running, Esc leaves the mode
        robot.type(KeyCode.ESCAPE);
        assertFalse(wb.model().presentationModeProperty().get());
    }

    @Test
    void quittingDuringATaskAsksFirst(FxRobot robot) throws Exception {
        CountDownLatch cancelled = longTask(robot);
        dialogs.answer = false;
        robot.press(KeyCode.CONTROL).type(KeyCode.Q).release(KeyCode.CONTROL);
        assertEquals(1, dialogs.questions.size());
        assertTrue(dialogs.questions.get(0).contains("'Training member 3' is still running"), dialogs.questions.get(0));
        assertFalse(quit.get(), "declined: the window stays");
        assertEquals(1, cancelled.getCount(), "declined: the task goes on");

        dialogs.answer = true;
        robot.press(KeyCode.CONTROL).type(KeyCode.Q).release(KeyCode.CONTROL);
        assertTrue(quit.get());
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the task was cancelled before quitting");
        // what a callback queues while the app closes is cancelled, not a stack trace
        executor.shutdown();
        AtomicBoolean ran = new AtomicBoolean();
        robot.interact(() -> assertTrue(executor.submit(BackgroundTask.of("late", (p, c) -> {
            ran.set(true);
            return 1;
        })).isDone()));
        assertFalse(ran.get());
    }
}
