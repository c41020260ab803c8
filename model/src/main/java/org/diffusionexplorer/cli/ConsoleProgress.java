package org.diffusionexplorer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.StepMetrics;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.train.TrainingListener;
import org.diffusionexplorer.train.TrainingProgress;

/**
 * A one-line progress bar redrawn in place: step/target, loss, images/s and ETA, reckoned by
 * {@link TrainingProgress.Pace} as the explorer's bar is.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final TimeBudget budget;
    private final TrainingProgress.Pace pace = new TrainingProgress.Pace();
    private boolean lineOpen;

    /** With a time budget (null: none) the bar fills with time and the line ends with the time left. */
    public ConsoleProgress(PrintStream out, TimeBudget budget) {
        this.out = out;
        this.budget = budget;
    }

    @Override
    public synchronized void onStep(StepMetrics m) {
        TrainingProgress p = pace.after(m, budget, System.nanoTime());
        String target = m.targetStep() == Long.MAX_VALUE ? "" : "/" + m.targetStep();
        out.print(String.format(Locale.ROOT, "\r[%s] step %d%s  loss %.4f  lr %.2g  %.1f img/s  %s %s   ", bar(p.fraction()), m.step(), target,
                m.loss(), m.lr(), m.imagesPerSecond(), budget != null ? "left" : "ETA", eta(p.etaSeconds())));
        out.flush();
        lineOpen = true;
    }

    /** Ends the bar's line when the run ends; the outcome itself is the caller's to print (train prints it once). */
    @Override
    public synchronized void onStatus(RunStatus status, String message) {
        if (status != RunStatus.RUNNING && status != RunStatus.STOPPING) endLine(); // STOPPING: its last step is still to come
    }

    @Override
    public synchronized void onCheckpoint(long step, Path file) {
        // quiet: the bar would be broken by a line per checkpoint
    }

    @Override
    public synchronized void onError(String message, Throwable cause) {
        endLine();
    }

    private void endLine() {
        if (lineOpen) out.println();
        lineOpen = false;
    }

    /** The bar itself, {@code frac} of it filled: shared by every progress line of the CLI. */
    public static String bar(double frac) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, frac)) * WIDTH);
        return "#".repeat(filled) + ".".repeat(WIDTH - filled);
    }

    /** Remaining time as 1h02m / 3m05s / 42s, or "--" when unknown. */
    public static String eta(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return "--";
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
