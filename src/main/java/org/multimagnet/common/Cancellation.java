package org.multimagnet.common;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation flag shared between the one who asks (a Cancel button, Ctrl-C) and the long work, which
 * checks it between batches.
 */
public final class Cancellation {
    /** A token that is never cancelled. */
    public static final Cancellation NEVER = new Cancellation();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Asks the work to stop at its next check. */
    public void cancel() {
        if (this != NEVER) {
            cancelled.set(true);
        }
    }

    /** @return whether {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** @throws CancellationException when cancelled; the work then leaves earlier artifacts as they were */
    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancellationException("cancelled");
        }
    }
}
