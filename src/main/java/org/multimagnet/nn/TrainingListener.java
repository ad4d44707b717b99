package org.multimagnet.nn;

/** Receives {@link TrainingProgress} events on the training thread; a view hands them to its own thread. */
@FunctionalInterface
public interface TrainingListener {
    /** Ignores every event. */
    TrainingListener NONE = p -> { };

    /** Called after each batch. */
    void onProgress(TrainingProgress progress);
}
