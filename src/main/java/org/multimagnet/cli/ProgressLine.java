package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.multimagnet.common.ProgressListener;

/**
 * A {@link ProgressListener} that redraws one line on standard error ({@code label [#####     ] 42% message}),
 * at most ten times a second so that it never slows the work down.
 */
final class ProgressLine implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private long lastDraw;
    private boolean open;

    ProgressLine(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void progress(long done, long total, String message) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%% %s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                100 * f, message == null ? "" : message));
        open = done < total;
        if (!open) {
            err.println();
        }
        err.flush();
    }

    /** Ends the line if the last report left it open (work that stopped before reaching its total). */
    void finish() {
        if (open) {
            err.println();
            open = false;
        }
        lastDraw = 0;
    }
}
