package org.diffusionexplorer.app.training;

/**
 * How far a run is: the step it has completed, the step it trains to, a smoothed images/s and the
 * estimated seconds left (NaN until a few steps were timed); with a time budget, its length and
 * the seconds left of it (both NaN without one).
 */
public record TrainingProgress(long step, long targetStep, double imagesPerSecond, double etaSeconds, double budgetSeconds,
        double budgetLeftSeconds) {
    public TrainingProgress(long step, long targetStep, double imagesPerSecond, double etaSeconds) {
        this(step, targetStep, imagesPerSecond, etaSeconds, Double.NaN, Double.NaN);
    }

    /** Done share: of the steps, or of the time budget when that is further along. */
    public double fraction() {
        double f = targetStep <= 0 ? 0 : Math.min(1.0, (double) step / targetStep);
        if (budgetSeconds > 0) f = Math.max(f, Math.min(1.0, 1 - budgetLeftSeconds / budgetSeconds));
        return f;
    }
}
