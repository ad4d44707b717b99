package org.multimagnet.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.UserException;

/** The synchronous executor: callback order, failures, cancellation, status properties. */
class DefaultComputeExecutorTest {
    private final DefaultComputeExecutor ex = DefaultComputeExecutor.synchronous();
    private final List<String> events = new ArrayList<>();

    @Test
    void successDeliversRunningProgressSuccessFinished() {
        ex.submit(BackgroundTask.of("t", (p, c) -> {
            p.progress(1, 4, "a");
            assertEquals("t", ex.currentTitleProperty().get());
            return 42;
        }).onRunning(() -> events.add("running"))
                .onProgress(pr -> events.add("progress " + pr.done() + "/" + pr.total()))
                .onSuccess(r -> events.add("success " + r))
                .onFinished(() -> events.add("finished")));
        assertEquals(List.of("running", "progress 1/4", "success 42", "finished"), events);
        assertEquals("", ex.currentTitleProperty().get());
    }

    @Test
    void failureIsDeliveredWithItsMessage() {
        ex.submit(BackgroundTask.of("t", (p, c) -> {
            throw new UserException("x.idx: bad magic");
        }).onFailure(e -> events.add(Errors.describe(e))).onSuccess(r -> events.add("success")));
        assertEquals(List.of("x.idx: bad magic"), events);
    }

    @Test
    void cancellationStopsBetweenBatches() {
        TaskHandle[] h = new TaskHandle[1];
        int[] batches = {0};
        h[0] = ex.submit(BackgroundTask.of("t", (p, c) -> {
            for (int i = 0; i < 100; i++) {
                c.throwIfCancelled();
                batches[0]++;
                if (i == 4) {
                    ex.cancelCurrent();
                }
            }
            return "done";
        }).onCancelled(() -> events.add("cancelled")).onSuccess(r -> events.add(r)));
        assertEquals(List.of("cancelled"), events);
        assertEquals(5, batches[0]);
        assertTrue(h[0].isDone());
    }

    @Test
    void progressEtaIsLinear() {
        var p = new BackgroundTask.Progress(25, 100, "", 10_000_000_000L);
        assertEquals(30.0, p.etaSeconds(), 1e-9);
        assertEquals(0.25, p.fraction(), 1e-12);
        assertTrue(p.describe().startsWith("25% · ETA 0:30"), p.describe());
    }
}
