package org.multimagnet.common;

/**
 * Remembers which thread owns a piece of ND4J work (a model, a trainer) and tells when another thread calls it.
 * All ND4J work happens on one thread: the command line's main thread, or the workbench's
 * one compute thread. The owner is the first thread that calls {@link #check}; constructing the object does not
 * count, so a model may be built on one thread and handed to the compute thread before its first use.
 *
 * <p>Meant for {@code assert guard.check("logits");}: free when assertions are off, and one volatile read and a
 * compare when they are on (tests run with {@code -ea}).
 */
public final class ComputeThread {
    private volatile Thread owner;
    private final String what;

    /** @param what the guarded object, for the message (e.g. the model's name) */
    public ComputeThread(String what) {
        this.what = what;
    }

    /**
     * Claims the calling thread as the owner on the first call; afterwards checks that the caller is the owner.
     *
     * @param call the method being called, for the message
     * @return true (so that it can stand in an {@code assert})
     * @throws AssertionError when another thread owns this object's ND4J work
     */
    public boolean check(String call) {
        Thread current = Thread.currentThread();
        Thread o = owner;
        if (o == current) {
            return true;
        }
        if (o == null) {
            synchronized (this) {
                if (owner == null) {
                    owner = current;
                }
                o = owner;
            }
            if (o == current) {
                return true;
            }
        }
        throw new AssertionError(what + "." + call + " called on thread '" + current.getName() + "', but its ND4J "
                + "work belongs to thread '" + o.getName() + "': all ND4J work must run on the one compute thread");
    }

    /** @return the owning thread, or null before the first call */
    public Thread owner() {
        return owner;
    }
}
