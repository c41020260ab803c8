package org.diffusionexplorer.diffusion;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM (Song et al., eq. 12): re-derives eps from the predicted x_0, then
 * x_{t-1} = x0 sqrt(abar_prev) + sqrt(1 - abar_prev - sigma^2) eps + sigma z with
 * sigma = eta sqrt((1 - abar_prev)/(1 - abar)) sqrt(1 - abar/abar_prev). eta = 0 is deterministic.
 */
public final class DdimSampler extends ReverseSampler {
    private final double eta;

    public DdimSampler(GaussianDiffusion diffusion, double eta, boolean clipDenoised) {
        super(diffusion, clipDenoised);
        if (!(eta >= 0) || Double.isInfinite(eta)) throw new IllegalArgumentException("DDIM eta must be >= 0, got " + eta);
        this.eta = eta;
    }

    public double eta() {
        return eta;
    }

    @Override
    protected INDArray[] step(Denoiser model, INDArray x, int[] t, INDArray y, SplittableRandom rng) {
        MeanVariance p = diffusion.pMeanVariance(model, x, t, y, clipDenoised);
        double[] xt = Tensors.doubles(x), x0 = Tensors.doubles(p.predXstart());
        double[] eps = diffusion.epsFromXstart(xt, t, x0);
        double[] z = eta > 0 ? Tensors.doubles(gaussian(rng, x.shape(), DataType.DOUBLE)) : null;
        int per = xt.length / t.length;
        double[] s = new double[xt.length];
        for (int i = 0; i < t.length; i++) {
            double abar = diffusion.alphasCumprod[t[i]], abarPrev = diffusion.alphasCumprodPrev[t[i]];
            double sigma = eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
            double c0 = Math.sqrt(abarPrev), ce = Math.sqrt(1 - abarPrev - sigma * sigma);
            for (int k = i * per; k < (i + 1) * per; k++) {
                s[k] = x0[k] * c0 + ce * eps[k] + (t[i] != 0 && z != null ? sigma * z[k] : 0);
            }
        }
        return new INDArray[] {Tensors.create(s, x.shape(), x.dataType()), p.predXstart()};
    }
}
