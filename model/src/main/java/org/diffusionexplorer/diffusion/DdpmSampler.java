package org.diffusionexplorer.diffusion;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Ancestral sampling (p_sample): x_{t-1} = mean + [t > 0] exp(log var / 2) z. */
public final class DdpmSampler extends ReverseSampler {

    public DdpmSampler(GaussianDiffusion diffusion, boolean clipDenoised) {
        super(diffusion, clipDenoised);
    }

    @Override
    protected INDArray[] step(Denoiser model, INDArray x, int[] t, INDArray y, SplittableRandom rng) {
        MeanVariance p = diffusion.pMeanVariance(model, x, t, y, clipDenoised);
        // drawn even at t = 0 so that the noise stream does not depend on where we stop
        double[] z = Tensors.doubles(gaussian(rng, x.shape(), org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        double[] mean = Tensors.doubles(p.mean()), logVar = Tensors.doubles(p.logVariance());
        int per = mean.length / t.length;
        double[] s = new double[mean.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = t[k / per] == 0 ? mean[k] : mean[k] + Math.exp(0.5 * logVar[k]) * z[k];
        }
        return new INDArray[] {Tensors.create(s, x.shape(), x.dataType()), p.predXstart()};
    }
}
