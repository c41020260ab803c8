package org.diffusionexplorer.app.model;

/**
 * How far a run is: the step it has completed, the step it trains to, a smoothed images/s and the
 * estimated seconds left (NaN until a few steps were timed).
 */
public record TrainingProgress(long step, long targetStep, double imagesPerSecond, double etaSeconds) {
    public double fraction() {
        return targetStep <= 0 ? 0 : Math.min(1.0, (double) step / targetStep);
    }
}
