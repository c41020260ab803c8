package org.diffusionexplorer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.StepMetrics;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.train.TrainingListener;

/**
 * A one-line progress bar redrawn in place: step/target, loss, images/s and ETA. The rate is an
 * exponential average so the ETA does not jump with every slow step (e.g. one that wrote a checkpoint).
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final TimeBudget budget;
    private double rate = Double.NaN; // steps per second, smoothed
    private boolean lineOpen;

    public ConsoleProgress(PrintStream out) {
        this(out, null);
    }

    /** With a time budget the bar fills with time and the line ends with the time left. */
    public ConsoleProgress(PrintStream out, TimeBudget budget) {
        this.out = out;
        this.budget = budget;
    }

    @Override
    public synchronized void onStep(StepMetrics m) {
        double r = m.seconds() > 0 ? 1.0 / m.seconds() : Double.NaN;
        if (!Double.isNaN(r)) rate = Double.isNaN(rate) ? r : 0.9 * rate + 0.1 * r;
        long left = Math.max(0, m.targetStep() - m.step());
        double frac = m.targetStep() > 0 ? Math.min(1.0, (double) m.step() / m.targetStep()) : 1.0;
        double etaSeconds = Double.isNaN(rate) ? Double.NaN : left / rate;
        String target = m.targetStep() == Long.MAX_VALUE ? "" : "/" + m.targetStep();
        if (budget != null) {
            long now = System.nanoTime();
            frac = Math.max(frac, budget.elapsed(now) / budget.seconds());
            etaSeconds = TimeBudget.secondsLeft(budget, etaSeconds, now);
        }
        out.print(String.format(Locale.ROOT, "\r[%s] step %d%s  loss %.4f  lr %.2g  %.1f img/s  %s %s   ", bar(frac), m.step(), target,
                m.loss(), m.lr(), m.imagesPerSecond(), budget != null ? "left" : "ETA", eta(etaSeconds)));
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
