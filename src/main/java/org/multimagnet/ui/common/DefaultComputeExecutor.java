package org.multimagnet.ui.common;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;

/**
 * The {@link ComputeExecutor}: one daemon thread named {@code compute} runs every task in order; callbacks are
 * handed to the FX thread with {@link Platform#runLater}. Progress reports are coalesced: while one is waiting to
 * be shown, later ones only replace its value, so a fast loop cannot flood the FX queue.
 *
 * <p>{@link #synchronous()} gives the same behaviour on the caller's thread, for ViewModel tests.
 */
public final class DefaultComputeExecutor implements ComputeExecutor {

    private final ExecutorService thread;
    private final Consumer<Runnable> runner;
    private final Consumer<Runnable> deliver;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final AtomicReference<Job<?>> current = new AtomicReference<>();
    // set when the app closes: queued tasks end as cancelled without running
    private volatile boolean closing;

    private DefaultComputeExecutor(ExecutorService thread, Consumer<Runnable> runner, Consumer<Runnable> deliver) {
        this.thread = thread;
        this.runner = runner;
        this.deliver = deliver;
    }

    /** @return an executor with its own compute thread, delivering callbacks on the FX thread */
    public static DefaultComputeExecutor fxThread() {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "compute");
            t.setDaemon(true);
            return t;
        });
        return new DefaultComputeExecutor(ex, ex::execute, Platform::runLater);
    }

    /** @return an executor that runs each task at once on the caller's thread and calls back on it (tests) */
    public static DefaultComputeExecutor synchronous() {
        return new DefaultComputeExecutor(null, Runnable::run, Runnable::run);
    }

    @Override
    public <T> TaskHandle submit(BackgroundTask<T> task) {
        Job<T> job = new Job<>(Objects.requireNonNull(task, "task"));
        try {
            runner.accept(job::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the app is closing: a callback that queues more work is told it was cancelled, not shown a trace
            job.cancel();
            job.done = true;
        }
        return job;
    }

    @Override
    public void cancelCurrent() {
        Job<?> job = current.get();
        if (job != null) {
            job.cancel();
        }
    }

    @Override
    public ReadOnlyStringProperty currentTitleProperty() {
        return title.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyDoubleProperty currentProgressProperty() {
        return progress.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyStringProperty currentMessageProperty() {
        return message.getReadOnlyProperty();
    }

    @Override
    public void shutdown() {
        closing = true;
        cancelCurrent();
        if (thread != null) {
            thread.shutdown();
            try {
                // a cancelled task stops at its next check (within a batch); give it that long to leave the
                // workspace as it was before the process ends
                if (!thread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                thread.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A task in the queue or running. */
    private final class Job<T> implements TaskHandle {
        private final BackgroundTask<T> task;
        private final Cancellation cancellation = new Cancellation();
        private final AtomicReference<BackgroundTask.Progress> latest = new AtomicReference<>();
        private final AtomicBoolean progressPending = new AtomicBoolean();
        private volatile boolean done;

        Job(BackgroundTask<T> task) {
            this.task = task;
        }

        @Override
        public void cancel() {
            cancellation.cancel();
        }

        @Override
        public boolean isDone() {
            return done;
        }

        void run() {
            if (cancellation.isCancelled() || closing) {
                finish(() -> task.fireCancelled());
                return;
            }
            current.set(this);
            long start = System.nanoTime();
            deliver.accept(() -> {
                title.set(task.title());
                progress.set(-1);
                message.set("");
                task.fireRunning();
            });
            ProgressListener listener = (d, t, m) -> {
                latest.set(new BackgroundTask.Progress(d, t, m == null ? "" : m, System.nanoTime() - start));
                // Only one hand-over waits in the FX queue at a time; it shows whatever is latest when it runs.
                if (progressPending.compareAndSet(false, true)) {
                    deliver.accept(this::showProgress);
                }
            };
            // The outcome is chosen inside the try, delivered outside it: an exception thrown by a callback
            // (synchronous mode) must not be mistaken for a failure of the work.
            Runnable outcome;
            try {
                T result = task.work().call(listener, cancellation);
                outcome = () -> task.fireSuccess(result);
            } catch (CancellationException e) {
                outcome = task::fireCancelled;
            } catch (Throwable e) {
                outcome = cancellation.isCancelled() ? task::fireCancelled : () -> task.fireFailure(e);
            }
            finish(outcome);
        }

        private void showProgress() {
            progressPending.set(false);
            BackgroundTask.Progress p = latest.get();
            if (p != null && !done) {
                progress.set(p.fraction());
                message.set(p.describe());
                task.fireProgress(p);
            }
        }

        private void finish(Runnable outcome) {
            current.compareAndSet(this, null);
            deliver.accept(() -> {
                done = true;
                if (current.get() == null) {
                    title.set("");
                    progress.set(0);
                    message.set("");
                }
                try {
                    outcome.run();
                } finally {
                    task.fireFinished();
                }
            });
        }
    }
}
