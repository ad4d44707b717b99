package org.multimagnet.ui.common;

import java.util.Objects;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;

/**
 * One piece of long work for the {@link ComputeExecutor}, with the callbacks a ViewModel wants on the FX thread
 * (the ViewModel never touches a thread itself). Built fluently:
 *
 * <pre>{@code
 * BackgroundTask.of("Loading sample:mnist", (progress, cancel) -> DatasetSources.load(name))
 *         .onSuccess(this::show)
 *         .onFailure(this::report);
 * }</pre>
 *
 * <p>The work runs on the compute thread and may use ND4J; it must return plain data (records, arrays), never
 * INDArrays, because its result crosses to the FX thread.
 *
 * @param <T> the result type
 */
public final class BackgroundTask<T> {

    /** The work itself: runs on the compute thread, reports progress, checks cancellation between batches. */
    @FunctionalInterface
    public interface Work<T> {
        T call(ProgressListener progress, Cancellation cancellation) throws Exception;
    }

    private final String title;
    private final Work<T> work;
    private Runnable onRunning = () -> { };
    private Consumer<Progress> onProgress = p -> { };
    private Consumer<T> onSuccess = r -> { };
    private Consumer<Throwable> onFailure = e -> { };
    private Runnable onCancelled = () -> { };
    private Runnable onFinished = () -> { };

    private BackgroundTask(String title, Work<T> work) {
        this.title = Objects.requireNonNull(title, "title");
        this.work = Objects.requireNonNull(work, "work");
    }

    /** @return a task named {@code title} (shown in the status bar) doing {@code work} */
    public static <T> BackgroundTask<T> of(String title, Work<T> work) {
        return new BackgroundTask<>(title, work);
    }

    /** Called on the FX thread when the work starts on the compute thread. */
    public BackgroundTask<T> onRunning(Runnable r) {
        this.onRunning = Objects.requireNonNull(r);
        return this;
    }

    /** Called on the FX thread with the latest progress; intermediate reports may be dropped (coalesced). */
    public BackgroundTask<T> onProgress(Consumer<Progress> c) {
        this.onProgress = Objects.requireNonNull(c);
        return this;
    }

    /** Called on the FX thread with the result. */
    public BackgroundTask<T> onSuccess(Consumer<T> c) {
        this.onSuccess = Objects.requireNonNull(c);
        return this;
    }

    /** Called on the FX thread when the work threw (not when it was cancelled). */
    public BackgroundTask<T> onFailure(Consumer<Throwable> c) {
        this.onFailure = Objects.requireNonNull(c);
        return this;
    }

    /** Called on the FX thread when the work stopped because it was cancelled. */
    public BackgroundTask<T> onCancelled(Runnable r) {
        this.onCancelled = Objects.requireNonNull(r);
        return this;
    }

    /** Called on the FX thread after success, failure or cancellation, last. */
    public BackgroundTask<T> onFinished(Runnable r) {
        this.onFinished = Objects.requireNonNull(r);
        return this;
    }

    /** @return the title shown while it runs */
    public String title() {
        return title;
    }

    Work<T> work() {
        return work;
    }

    void fireRunning() {
        onRunning.run();
    }

    void fireProgress(Progress p) {
        onProgress.accept(p);
    }

    void fireSuccess(T result) {
        onSuccess.accept(result);
    }

    void fireFailure(Throwable e) {
        onFailure.accept(e);
    }

    void fireCancelled() {
        onCancelled.run();
    }

    void fireFinished() {
        onFinished.run();
    }

    /**
     * One progress report.
     *
     * @param done    units finished
     * @param total   units in all (at least 1)
     * @param message a short line
     * @param elapsedNanos time since the work started
     */
    public record Progress(long done, long total, String message, long elapsedNanos) {
        /** @return done / total in [0,1] */
        public double fraction() {
            return total <= 0 ? 0 : Math.min(1.0, Math.max(0.0, (double) done / total));
        }

        /** @return the estimated seconds left by linear extrapolation, or -1 when unknown */
        public double etaSeconds() {
            if (done <= 0 || total <= 0) {
                return -1;
            }
            double secs = elapsedNanos / 1e9;
            return secs * (total - done) / done;
        }

        /** @return e.g. "42% · ETA 1:05 · epoch 3" */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(Math.round(fraction() * 100)).append('%');
            double eta = etaSeconds();
            if (eta >= 0 && done < total) {
                long s = Math.round(eta);
                sb.append(" · ETA ").append(s / 60).append(':').append(String.format("%02d", s % 60));
            }
            if (message != null && !message.isEmpty()) {
                sb.append(" · ").append(message);
            }
            return sb.toString();
        }
    }
}
