package org.diffusionexplorer.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line bar redrawn in place on stderr for work counted in units (sampling steps, training
 * batches), with the same look as the training bar (ConsoleProgress): done/total, a note, ETA from
 * the average rate so far. Redraws at most every 200 ms so thousands of tiny steps cost nothing.
 * Not me.tongfei:progressbar: its source redraws from its own thread each second with a since-start
 * rate, leaving no place for the training bar's loss, smoothed ETA or time budget.
 */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean open;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    synchronized void update(long done, String note) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double eta = done > 0 ? secs * (total - done) / done : Double.NaN;
        out.print(String.format(Locale.ROOT, "\r[%s] %s %d/%d  %s  ETA %s   ", ConsoleProgress.bar((double) done / total),
                label, done, total, note, ConsoleProgress.eta(eta)));
        out.flush();
        open = true;
    }

    /** Ends the bar's line so that what follows starts on a fresh one. */
    synchronized void finish() {
        if (open) out.println();
        open = false;
    }
}
