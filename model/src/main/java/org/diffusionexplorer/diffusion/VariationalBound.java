package org.diffusionexplorer.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variational bound of a process in bits per dimension, as the reference's calc_bpd_loop and
 * _prior_bpd compute it for evaluation: the per-timestep terms come from
 * {@link GaussianDiffusion#vbTerms}'s arithmetic, one model call per timestep. Kept apart from
 * GaussianDiffusion because only evaluation (the vb-terms command and the likelihood view) needs it.
 */
public final class VariationalBound {
    private VariationalBound() {}

    /** KL(q(x_T | x_0) || N(0, I)) per item in bits per dim: the bound's prior term, which training cannot change. */
    public static double[] priorBpd(GaussianDiffusion d, INDArray xStart) {
        double[] x0 = Tensors.doubles(xStart);
        int n = (int) xStart.size(0), per = x0.length / n, last = d.numTimesteps - 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = i * per; k < (i + 1) * per; k++) {
                s += DiagonalGaussian.normalKl(d.sqrtAlphasCumprod[last] * x0[k], d.logOneMinusAlphasCumprod[last], 0, 0);
            }
            out[i] = s / per / Math.log(2.0);
        }
        return out;
    }

    /**
     * The whole variational bound in bits per dim (the reference's calc_bpd_loop): one model call per
     * timestep with fresh noise from rng. Arrays [item][t] are indexed by timestep t.
     */
    public static Bpd calcBpdLoop(GaussianDiffusion d, Denoiser model, INDArray xStart, INDArray y, boolean clipDenoised, java.util.SplittableRandom rng) {
        long[] shape = xStart.shape();
        return calcBpdLoop(d, model, xStart, y, clipDenoised, t -> ReverseSampler.gaussian(rng, shape, DataType.DOUBLE), null);
    }

    /**
     * As above with the noise of each timestep given: {@code noise.apply(t)} is the [N,C,H,W] eps of
     * step t, asked for t = T-1 down to 0 as the reference draws it (so a test can feed the
     * reference's recorded noise). {@code afterStep} (may be null) hears the number of steps done
     * after every model call; an exception it throws ends the loop (how a cancelled task stops it).
     */
    public static Bpd calcBpdLoop(GaussianDiffusion d, Denoiser model, INDArray xStart, INDArray y, boolean clipDenoised,
                           java.util.function.IntFunction<INDArray> noise, java.util.function.IntConsumer afterStep) {
        long[] shape = xStart.shape();
        int n = (int) shape[0];
        double[] x0 = Tensors.doubles(xStart);
        int per = x0.length / n;
        double[][] vb = new double[n][d.numTimesteps], xstartMse = new double[n][d.numTimesteps], mse = new double[n][d.numTimesteps];
        for (int t = d.numTimesteps - 1; t >= 0; t--) {
            int[] ts = new int[n];
            java.util.Arrays.fill(ts, t);
            INDArray epsArr = noise.apply(t);
            if (!java.util.Arrays.equals(epsArr.shape(), shape)) {
                throw new IllegalArgumentException("noise of step " + t + " has shape " + java.util.Arrays.toString(epsArr.shape())
                        + ", x_start " + java.util.Arrays.toString(shape));
            }
            double[] eps = Tensors.doubles(epsArr);
            double[] xt = d.qSample(x0, ts, eps);
            INDArray xtArr = Tensors.create(xt, shape, xStart.dataType());
            INDArray out = model.apply(xtArr, d.modelTimesteps(ts, xStart.dataType()), y);
            GaussianDiffusion.Moments p = d.moments(Tensors.doubles(out), out.shape(), xt, shape, ts, clipDenoised);
            double[] terms = d.vbTerms(p, x0, xt, ts);
            double[] epsPred = d.epsFromXstart(xt, ts, p.predXstart);
            for (int i = 0; i < n; i++) {
                vb[i][t] = terms[i];
                double a = 0, b = 0;
                for (int k = i * per; k < (i + 1) * per; k++) {
                    a += (p.predXstart[k] - x0[k]) * (p.predXstart[k] - x0[k]);
                    b += (epsPred[k] - eps[k]) * (epsPred[k] - eps[k]);
                }
                xstartMse[i][t] = a / per;
                mse[i][t] = b / per;
            }
            if (afterStep != null) afterStep.accept(d.numTimesteps - t);
        }
        double[] prior = priorBpd(d, xStart);
        double[] total = new double[n];
        for (int i = 0; i < n; i++) total[i] = java.util.Arrays.stream(vb[i]).sum() + prior[i];
        return new Bpd(total, prior, vb, xstartMse, mse);
    }

    /** Result of {@link #calcBpdLoop}. */
    public record Bpd(double[] totalBpd, double[] priorBpd, double[][] vb, double[][] xstartMse, double[][] mse) {}
}
