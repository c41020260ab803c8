package org.diffusionexplorer.train;

import java.util.Locale;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * A training session limited by wall-clock time (a lesson's length): when to stop, and the step at
 * which the budget is expected to run out, so the learning rate can anneal to zero at the end of
 * the time rather than of a step count.
 *
 * <p>The end step is estimated from the pace so far (steps per second over the whole session,
 * sample grids and checkpoints included) and corrected after every step. The session stops early
 * enough that the final checkpoint and sample grid, timed when they were last written, also fit.
 */
public final class TimeBudget {
    /** The longest budget accepted: a week. */
    public static final double MAX_MINUTES = 7 * 24 * 60;

    private final double seconds;
    private long startNanos = -1;
    private long startStep;
    private double saveSeconds, sampleSeconds;

    private TimeBudget(double seconds) {
        this.seconds = seconds;
    }

    /** A budget of {@code minutes}; anything but a positive number up to a week is refused naming "minutes". */
    public static TimeBudget minutes(double minutes) {
        if (!(minutes > 0)) throw new InvalidConfigException("minutes", "must be a positive number of minutes, got " + format(minutes));
        if (minutes > MAX_MINUTES) {
            throw new InvalidConfigException("minutes", "must be at most " + (int) MAX_MINUTES + " (a week), got " + format(minutes));
        }
        return new TimeBudget(minutes * 60);
    }

    /** {@link #minutes(double)}, or null (no budget) for 0: the Minutes fields' rule. */
    public static TimeBudget minutesOrNone(double minutes) {
        return minutes == 0 ? null : minutes(minutes);
    }

    /**
     * Seconds left of a session: the step-based estimate {@code stepEta} (NaN when unknown), or the
     * budget's time left when that comes first; {@code budget} may be null.
     */
    public static double secondsLeft(TimeBudget budget, double stepEta, long nowNanos) {
        if (budget == null) return stepEta;
        double left = budget.secondsLeft(nowNanos);
        return Double.isNaN(stepEta) ? left : Math.min(stepEta, left);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    public double seconds() {
        return seconds;
    }

    /** Starts the clock at {@code step}. */
    public void start(long step, long nowNanos) {
        startNanos = nowNanos;
        startStep = step;
    }

    /** How long a checkpoint took to write, last time (the session keeps room for the closing one). */
    public void saved(double seconds) {
        saveSeconds = Math.max(0, seconds);
    }

    /** How long a sample grid took to draw, last time (the session keeps room for the closing one). */
    public void sampled(double seconds) {
        sampleSeconds = Math.max(0, seconds);
    }

    public double elapsed(long nowNanos) {
        return (nowNanos - startNanos) / 1e9;
    }

    public double secondsLeft(long nowNanos) {
        return Math.max(0, seconds - elapsed(nowNanos));
    }

    /** Whether another step would run past the budget (with room kept for the closing work). */
    public boolean over(long step, long nowNanos) {
        double perStep = step > startStep ? elapsed(nowNanos) / (step - startStep) : 0;
        return elapsed(nowNanos) + perStep + saveSeconds + sampleSeconds >= seconds;
    }

    /** The step the budget is expected to end at, from the pace so far; 0 (unknown) before the first step. */
    public long estimatedEndStep(long step, long nowNanos) {
        if (step <= startStep) return 0;
        double perStep = elapsed(nowNanos) / (step - startStep);
        double usable = seconds - saveSeconds - sampleSeconds - elapsed(nowNanos);
        return step + 1 + (long) Math.max(0, Math.floor(usable / perStep));
    }
}
