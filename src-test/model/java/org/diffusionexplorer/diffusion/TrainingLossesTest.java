package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The INDArray training losses against per-element sums written out here (T=40: the linear schedule at T=20 reaches beta=1). */
class TrainingLossesTest {
    static final long[] SHAPE = {3, 2, 2, 2};
    static final int[] T = {0, 7, 19};

    static INDArray x0() {
        return Nd4j.math().tanh(ReverseSampler.gaussian(new SplittableRandom(11), SHAPE, DataType.DOUBLE));
    }

    static INDArray noise() {
        return ReverseSampler.gaussian(new SplittableRandom(12), SHAPE, DataType.DOUBLE);
    }

    @Test
    void mseOfEpsilonWithFixedVariance() {
        GaussianDiffusion d = GaussianDiffusion.builder().steps(40).build();
        INDArray out = ReverseSampler.gaussian(new SplittableRandom(13), SHAPE, DataType.DOUBLE);
        GaussianDiffusion.TrainingLosses l = d.trainingLosses((x, t, y) -> out, x0(), T, noise(), null);
        assertNull(l.vb());
        INDArray eps = noise();
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int k = 0; k < 8; k++) {
                double diff = eps.getDouble(i * 8L + k) - out.getDouble(i * 8L + k);
                s += diff * diff;
            }
            assertEquals(s / 8, l.mse()[i], 1e-12);
            assertEquals(l.mse()[i], l.loss()[i], 0);
        }
    }

    @Test
    void hybridLossAddsRescaledBoundTerm() {
        GaussianDiffusion d = GaussianDiffusion.builder().steps(40).varType(ModelVarType.LEARNED_RANGE)
                .lossType(LossType.RESCALED_MSE).build();
        INDArray out = Nd4j.math().tanh(ReverseSampler.gaussian(new SplittableRandom(14), new long[] {3, 4, 2, 2}, DataType.DOUBLE));
        INDArray x0 = x0(), eps = noise();
        GaussianDiffusion.TrainingLosses l = d.trainingLosses((x, t, y) -> out, x0, T, eps, null);
        INDArray xt = d.qSample(x0, T, eps);
        MeanVariance p = d.pMeanVariance(out, xt, T, false);
        MeanVariance q = d.qPosteriorMeanVariance(x0, xt, T);
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int k = 0; k < 8; k++) {
                long e = i * 8L + k;
                s += T[i] == 0
                        ? -DiagonalGaussian.discretizedGaussianLogLikelihood(x0.getDouble(e), p.mean().getDouble(e), 0.5 * p.logVariance().getDouble(e))
                        : DiagonalGaussian.normalKl(q.mean().getDouble(e), q.logVariance().getDouble(e), p.mean().getDouble(e), p.logVariance().getDouble(e));
            }
            double vb = s / 8 / Math.log(2) * 40 / 1000.0;
            assertEquals(vb, l.vb()[i], 1e-12 * Math.max(1, vb));
            assertEquals(l.mse()[i] + l.vb()[i], l.loss()[i], 1e-15);
        }
    }

    @Test
    void klLossesUseTheBoundOnly() {
        GaussianDiffusion kl = GaussianDiffusion.builder().steps(40).varType(ModelVarType.LEARNED).lossType(LossType.KL).build();
        GaussianDiffusion rkl = GaussianDiffusion.builder().steps(40).varType(ModelVarType.LEARNED).lossType(LossType.RESCALED_KL).build();
        INDArray out = ReverseSampler.gaussian(new SplittableRandom(15), new long[] {3, 4, 2, 2}, DataType.DOUBLE).mul(0.3);
        GaussianDiffusion.TrainingLosses a = kl.trainingLosses((x, t, y) -> out, x0(), T, noise(), null);
        GaussianDiffusion.TrainingLosses b = rkl.trainingLosses((x, t, y) -> out, x0(), T, noise(), null);
        assertNull(a.mse());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.vb()[i], a.loss()[i], 0);
            assertEquals(40 * a.loss()[i], b.loss()[i], 1e-12 * Math.abs(b.loss()[i]));
        }
    }

    @Test
    void bitsPerDimLoopAddsPriorAndTerms() {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(8).build();
        INDArray x0 = x0();
        // a network that always predicts zero noise
        VariationalBound.Bpd b = VariationalBound.calcBpdLoop(d, (x, t, y) -> x.mul(0), x0, null, true, new SplittableRandom(3));
        double abarT = d.alphasCumprod[7];
        for (int i = 0; i < 3; i++) {
            double prior = 0;
            for (int k = 0; k < 8; k++) {
                double m = Math.sqrt(abarT) * x0.getDouble(i * 8L + k);
                prior += DiagonalGaussian.normalKl(m, Math.log(1 - abarT), 0, 0);
            }
            assertEquals(prior / 8 / Math.log(2), b.priorBpd()[i], 1e-12);
            assertEquals(b.priorBpd()[i] + java.util.Arrays.stream(b.vb()[i]).sum(), b.totalBpd()[i], 1e-12);
            assertEquals(8, b.mse()[i].length);
        }
    }
}
