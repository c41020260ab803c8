package org.diffusionexplorer.train;

/**
 * How far a train() call is: the step it has completed, the step it trains to, a smoothed images/s and
 * the estimated seconds left (NaN until a few steps were timed); with a time budget, its length and
 * the seconds left of it (both NaN without one). The one reckoning behind the CLI's bar and the explorer's.
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

    /**
     * Follows the steps of one train() call. The rates are exponential averages, so one slow step (a
     * checkpoint, a grid) does not make the ETA jump.
     */
    public static final class Pace {
        private double stepsPerSecond = Double.NaN, imagesPerSecond = Double.NaN;

        /** The progress once step {@code m} is done; {@code budget} may be null. */
        public TrainingProgress after(StepMetrics m, TimeBudget budget, long nowNanos) {
            if (m.seconds() > 0) stepsPerSecond = smooth(stepsPerSecond, 1.0 / m.seconds());
            imagesPerSecond = smooth(imagesPerSecond, m.imagesPerSecond());
            double eta = Double.isNaN(stepsPerSecond) ? Double.NaN : Math.max(0, m.targetStep() - m.step()) / stepsPerSecond;
            return new TrainingProgress(m.step(), m.targetStep(), imagesPerSecond, TimeBudget.secondsLeft(budget, eta, nowNanos),
                    budget == null ? Double.NaN : budget.seconds(), budget == null ? Double.NaN : budget.secondsLeft(nowNanos));
        }

        private static double smooth(double old, double now) {
            if (!Double.isFinite(now)) return old;
            return Double.isNaN(old) ? now : 0.9 * old + 0.1 * now;
        }
    }
}
