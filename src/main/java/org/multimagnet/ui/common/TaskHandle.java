package org.multimagnet.ui.common;

/** A submitted {@link BackgroundTask}: lets the one who submitted it cancel it. */
public interface TaskHandle {
    /** Asks the work to stop at its next check between batches; a task not yet started never starts. */
    void cancel();

    /** @return whether the task has finished (success, failure or cancelled) */
    boolean isDone();
}
