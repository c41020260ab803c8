package org.diffusionexplorer.train;

import org.diffusionexplorer.diffusion.TimestepSampler;

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

    /**
     * The reference's log_loss_dict over one batch: each per-item term times its importance weight,
     * averaged over the batch, and the weighted loss averaged per quartile of t (quartile
     * {@code 4 t / numTimesteps}).
     */
    static StepMetrics of(long step, long targetStep, TimestepSampler.Draw draw, int numTimesteps, double[] loss, double[] mse,
            double[] vb, double gradNorm, double lr, double seconds) {
        double[] w = draw.weights();
        double sl = 0, sm = 0, sv = 0;
        double[] qs = new double[4];
        int[] qn = new int[4];
        for (int i = 0; i < w.length; i++) {
            sl += loss[i] * w[i];
            sm += mse[i] * w[i];
            sv += vb[i] * w[i];
            int q = (int) (4L * draw.t()[i] / numTimesteps);
            qs[q] += loss[i] * w[i];
            qn[q]++;
        }
        double[] lossQ = new double[4];
        for (int q = 0; q < 4; q++) lossQ[q] = qn[q] == 0 ? Double.NaN : qs[q] / qn[q];
        int n = w.length;
        return new StepMetrics(step, targetStep, sl / n, sm / n, sv / n, lossQ, gradNorm, lr, n / seconds, seconds);
    }
}
