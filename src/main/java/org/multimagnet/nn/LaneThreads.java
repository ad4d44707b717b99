package org.multimagnet.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The worker threads of {@link LaneNetwork}: a range of rows split evenly over one task per core, the calling thread
 * doing the first share. ND4J's own OpenMP threads sleep while a lane network runs (BuildInfo sets a passive wait),
 * so the two never compete for the cores.
 *
 * <p>The threads decide only who computes what: a result summed over a range must be summed over parts fixed in
 * advance, in a fixed order (as the lanes' weight gradients are), never over the threads' shares, or trained weights
 * would depend on the number of cores.
 */
final class LaneThreads {
    /** Threads that share one range by default: one per core. */
    static final int COUNT = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** Threads that share one range; changed only by tests, between computations. */
    private static volatile int count = COUNT;

    /** The helpers of the calling thread; shares beyond them wait in its queue. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, COUNT - 1), r -> {
        Thread t = new Thread(r, "multimagnet-lanes");
        t.setDaemon(true);
        return t;
    });

    private LaneThreads() {
    }

    /**
     * Sets the number of threads that share a range (tests check that results do not depend on it).
     *
     * @return the number it replaces
     */
    static int useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int old = count;
        count = threads;
        return old;
    }

    /** A share of a range; {@code slot} (0 .. shares − 1) names the share, for per-thread scratch. */
    interface RangeTask {
        void run(int slot, int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)} in up to {@link #useThreads the set number} (by default
     * {@link #COUNT}) of contiguous shares and waits for all.
     *
     * @return the number of shares: slots {@code 0 .. shares − 1} ran
     */
    static int parallelFor(int count, RangeTask task) {
        int parts = Math.min(LaneThreads.count, count);
        if (parts <= 1) {
            task.run(0, 0, count);
            return 1;
        }
        Future<?>[] others = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int slot = p;
            int from = (int) ((long) count * p / parts);
            int to = (int) ((long) count * (p + 1) / parts);
            others[p - 1] = POOL.submit(() -> task.run(slot, from, to));
        }
        RuntimeException failure = null;
        try {
            task.run(0, 0, (int) ((long) count / parts));
        } catch (RuntimeException e) {
            failure = e;
        }
        // the shares write into buffers the caller owns: wait for every one, even when interrupted (the interrupt
        // is kept for the caller's cancellation check)
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r
                                : new IllegalStateException(e.getCause());
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return parts;
    }
}
