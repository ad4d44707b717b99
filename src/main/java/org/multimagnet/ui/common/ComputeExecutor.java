package org.multimagnet.ui.common;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;

/**
 * Runs {@link BackgroundTask}s one at a time on the one thread that owns ND4J (so no ViewModel runs ND4J work itself),
 * and delivers their callbacks on the FX thread.
 *
 * <p>It also exposes what it is doing now (title, progress) for the status bar, and can cancel that.
 */
public interface ComputeExecutor {

    /** Queues {@code task}; its callbacks come on the FX thread (or the caller's, for the synchronous variant). */
    <T> TaskHandle submit(BackgroundTask<T> task);

    /** Cancels the task running now, if any (the Esc key). */
    void cancelCurrent();

    /** @return the title of the running task, empty when idle (FX thread) */
    ReadOnlyStringProperty currentTitleProperty();

    /** @return the running task's progress in [0,1], -1 for indeterminate, 0 when idle (FX thread) */
    ReadOnlyDoubleProperty currentProgressProperty();

    /** @return the running task's latest progress line, empty when idle (FX thread) */
    ReadOnlyStringProperty currentMessageProperty();

    /**
     * Stops the thread: cancels the running task and waits a few seconds for it to stop at its next check; queued
     * tasks end as cancelled without running, and tasks submitted afterwards are cancelled at once.
     */
    void shutdown();
}
