package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;

/**
 * Cancelling a training returns within a second of the cancel (asked from another thread, as the
 * workbench's Cancel button does) and leaves the model saved before byte for byte as it was.
 */
class CancellationTest {
    @TempDir
    Path w;

    @Test
    void aCancelledTrainingStopsWithinASecondAndLeavesThePreviousModelIntact() throws Exception {
        Workspace ws = Workspace.openOrCreate(w, "sample:mnist", 1);
        ModelTraining first = new ModelTraining(ws, TrainingListener.NONE, Cancellation.NEVER, Consent.REPLACE);
        ModelSpec member = first.memberSpecs(List.of(1)).get(0);
        first.train(member, new TrainingOptions(1, 16, 1, 16, 0), m -> { });
        Path zip = ws.models().modelFile("ae-01");
        Path manifest = ws.models().manifestFile("ae-01");
        byte[] zipBefore = Files.readAllBytes(zip);
        byte[] manifestBefore = Files.readAllBytes(manifest);

        Cancellation cancel = new Cancellation();
        AtomicLong cancelledAt = new AtomicLong();
        AtomicInteger batches = new AtomicInteger();
        Thread button = new Thread(() -> {
            try {
                while (batches.get() < 3) { // the training is under way
                    Thread.sleep(5);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            cancelledAt.set(System.nanoTime());
            cancel.cancel();
        }, "cancel-button");
        ModelTraining second = new ModelTraining(ws, p -> batches.incrementAndGet(), cancel, Consent.REPLACE);
        button.start();
        // 3 epochs of 8,000 images would take minutes here
        assertThrows(CancellationException.class,
                () -> second.train(member, new TrainingOptions(3, 8000, 2, 64, 0), m -> { }));
        long returned = System.nanoTime();
        button.join();
        double seconds = (returned - cancelledAt.get()) / 1e9;
        System.out.printf("CancellationTest: returned %.3f s after the cancel, after %d batches%n", seconds,
                batches.get());
        assertTrue(cancelledAt.get() > 0 && seconds < 1.0, "returned " + seconds + " s after the cancel");
        assertArrayEquals(zipBefore, Files.readAllBytes(zip), "model file unchanged");
        assertArrayEquals(manifestBefore, Files.readAllBytes(manifest), "manifest unchanged");
        assertFalse(Files.exists(ws.models().pendingFile(zip)), "nothing half-saved");
        assertTrue(ws.models().load("ae-01").spec().id() == 1, "the previous model still loads");
    }
}
