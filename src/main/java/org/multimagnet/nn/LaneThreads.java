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
 * <p>The threads only decide who computes what: a result that sums over a range must sum fixed parts of it in a fixed
 * order (as LaneNetwork's gradients do), never per-thread shares, or trained weights would depend on the machine.
 */
final class LaneThreads {
    /** The system property that sets the number of threads (default: one per core). */
    static final String PROPERTY = "multimagnet.threads";

    /** Threads that share one range; changed only by tests, between computations. */
    private static volatile int count = initialCount();

    /** The helpers of the calling thread; more shares than helpers wait in its queue. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, count - 1), r -> {
        Thread t = new Thread(r, "multimagnet-lanes");
        t.setDaemon(true);
        return t;
    });

    private LaneThreads() {
    }

    private static int initialCount() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        String set = System.getProperty(PROPERTY);
        if (set == null) {
            return cores;
        }
        try {
            return Math.max(1, Integer.parseInt(set.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + set + ": expected a number of threads", e);
        }
    }

    /** @return the number of threads that share one range */
    static int count() {
        return count;
    }

    /**
     * Sets the number of threads (tests compare results across thread counts).
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

    /** A share of a range; {@code slot} (0 .. {@link #count()}−1) names the share, for per-thread scratch. */
    interface RangeTask {
        void run(int slot, int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)} in up to {@link #count()} contiguous shares and waits for all.
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
