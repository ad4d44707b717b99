package org.multimagnet.common;

/**
 * Receives progress of long work (training, attacks, calibration, evaluation).
 *
 * <p>Called on the thread doing the work; a view must hand the value over to its own thread.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores every report. */
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * Reports that {@code done} of {@code total} units are finished.
     *
     * @param done    units finished, 0..total
     * @param total   units in all, at least 1
     * @param message a short human-readable line (may be empty)
     */
    void progress(long done, long total, String message);
}
