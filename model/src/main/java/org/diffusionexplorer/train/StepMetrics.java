package org.diffusionexplorer.train;

/**
 * What one optimisation step measured, as the reference logs it: loss, mse and vb are batch means of
 * the importance-weighted per-item terms; lossQ[k] the mean weighted loss of the items whose timestep
 * falls in quartile k of the process (NaN when none did).
 *
 * @param step       updates completed after this one (1 for the first step)
 * @param targetStep the step the current train() call runs to
 * @param imagesPerSecond batch_size / wall time of this step (data wait included)
 */
public record StepMetrics(long step, long targetStep, double loss, double mse, double vb, double[] lossQ, double gradNorm,
        double lr, double imagesPerSecond, double seconds) {
}
