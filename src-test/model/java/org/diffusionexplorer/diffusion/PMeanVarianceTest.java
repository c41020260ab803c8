package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PMeanVarianceTest {

    @Test
    void matchesReferenceOnG1() {
        INDArray x = Golden.npy("g1_x.npy").toINDArray();
        INDArray out = Golden.npy("g1_out.npy").toINDArray();
        int[] t = java.util.Arrays.stream(Golden.npy("g1_t.npy").toLongs()).mapToInt(v -> (int) v).toArray();
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(1000)
                .meanType(ModelMeanType.EPSILON).varType(ModelVarType.FIXED_LARGE).rescaleTimesteps(true).build();
        double[][] fed = new double[1][];
        Denoiser model = (xx, tt, y) -> {
            fed[0] = tt.castTo(DataType.DOUBLE).toDoubleVector();
            return out;
        };
        MeanVariance p = d.pMeanVariance(model, x, t, null, true);
        assertArrayEquals(new double[] {0, 417, 999}, fed[0], 0);
        Map<String, NpyArray> g = Golden.npz("g1_p_mean_variance_cosine1000.npz");
        assertClose(g.get("mean"), p.mean(), "mean");
        assertClose(g.get("variance"), p.variance(), "variance");
        assertClose(g.get("log_variance"), p.logVariance(), "log_variance");
        assertClose(g.get("pred_xstart"), p.predXstart(), "pred_xstart");
        assertEquals(DataType.FLOAT, p.mean().dataType());
    }

    private static void assertClose(NpyArray expected, INDArray actual, String name) {
        assertArrayEquals(expected.shape(), actual.shape(), name);
        double[] e = expected.toDoubles(), a = Tensors.doubles(actual);
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
        assertTrue(worst < 1e-5, name + ": worst difference " + worst);
    }

    // ----------------------------------------------------- every mean and variance type, against textbook formulas

    static final int T = 50;
    static final double[] BETAS = NoiseSchedule.LINEAR.betas(T);

    static double abar(int t) {
        double p = 1;
        for (int i = 0; i <= t; i++) p *= 1 - BETAS[i];
        return p;
    }

    static double posteriorVar(int t) {
        double prev = t == 0 ? 1 : abar(t - 1);
        return BETAS[t] * (1 - prev) / (1 - abar(t));
    }

    @ParameterizedTest
    @EnumSource(ModelVarType.class)
    void varianceTypes(ModelVarType vt) {
        int c = 2;
        int[] t = {0, 1, 17, T - 1};
        SplittableRandom r = new SplittableRandom(3);
        INDArray x = ReverseSampler.gaussian(r, new long[] {4, c, 3, 3}, DataType.DOUBLE);
        INDArray out = ReverseSampler.gaussian(r, new long[] {4, vt.isLearned() ? 2 * c : c, 3, 3}, DataType.DOUBLE);
        if (vt == ModelVarType.LEARNED_RANGE) out = Nd4j.math().tanh(out);
        GaussianDiffusion d = new GaussianDiffusion(BETAS, ModelMeanType.EPSILON, vt, LossType.MSE, false);
        MeanVariance p = d.pMeanVariance(out, x, t, false);
        assertEquals(DataType.DOUBLE, p.variance().dataType());
        for (int i = 0; i < t.length; i++) {
            int ti = t[i];
            double small = posteriorVar(ti), smallClipped = ti == 0 ? posteriorVar(1) : small;
            for (int k = 0; k < c * 9; k++) {
                int ch = k / 9, pos = k % 9;
                double v = out.getDouble(i, vt.isLearned() ? c + ch : ch, pos / 3, pos % 3);
                double expected;
                switch (vt) {
                    case FIXED_SMALL: expected = small; break;
                    case FIXED_LARGE: expected = ti == 0 ? posteriorVar(1) : BETAS[ti]; break;
                    case LEARNED: expected = Math.exp(v); break;
                    default: // geometric interpolation between the two bounds
                        double frac = (v + 1) / 2;
                        expected = Math.pow(BETAS[ti], frac) * Math.pow(smallClipped, 1 - frac);
                }
                double got = p.variance().getDouble(i, ch, pos / 3, pos % 3);
                assertEquals(expected, got, 1e-12 * expected, vt + " t=" + ti);
                double expectedLog = vt == ModelVarType.FIXED_SMALL ? Math.log(smallClipped) : Math.log(expected);
                assertEquals(expectedLog, p.logVariance().getDouble(i, ch, pos / 3, pos % 3), 1e-9);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelMeanType.class)
    void meanTypes(ModelMeanType mt) {
        int[] t = {0, 5, 30, T - 1};
        SplittableRandom r = new SplittableRandom(4);
        long[] shape = {4, 1, 2, 2};
        INDArray x = ReverseSampler.gaussian(r, shape, DataType.DOUBLE);
        INDArray out = ReverseSampler.gaussian(r, shape, DataType.DOUBLE).muli(0.5);
        GaussianDiffusion d = new GaussianDiffusion(BETAS, mt, ModelVarType.FIXED_SMALL, LossType.MSE, false);
        MeanVariance p = d.pMeanVariance(out, x, t, false);
        MeanVariance clipped = d.pMeanVariance(out, x, t, true);
        for (int i = 0; i < 4; i++) {
            int ti = t[i];
            double ab = abar(ti), abPrev = ti == 0 ? 1 : abar(ti - 1), alpha = 1 - BETAS[ti];
            for (int k = 0; k < 4; k++) {
                double xv = x.getDouble(i, 0, k / 2, k % 2), o = out.getDouble(i, 0, k / 2, k % 2);
                double x0, mean;
                switch (mt) {
                    case EPSILON: // DDPM eq. 11: mean = (x - beta / sqrt(1 - abar) eps) / sqrt(alpha)
                        x0 = (xv - Math.sqrt(1 - ab) * o) / Math.sqrt(ab);
                        mean = (xv - BETAS[ti] / Math.sqrt(1 - ab) * o) / Math.sqrt(alpha);
                        break;
                    case START_X:
                        x0 = o;
                        mean = posteriorMean(x0, xv, ab, abPrev, alpha, BETAS[ti]);
                        break;
                    default: // the x_0 whose posterior mean is the output
                        mean = o;
                        x0 = p.predXstart().getDouble(i, 0, k / 2, k % 2);
                        assertEquals(o, posteriorMean(x0, xv, ab, abPrev, alpha, BETAS[ti]), 1e-9);
                }
                String where = mt + " t=" + ti;
                assertEquals(x0, p.predXstart().getDouble(i, 0, k / 2, k % 2), 1e-9 * Math.max(1, Math.abs(x0)), where);
                assertEquals(mean, p.mean().getDouble(i, 0, k / 2, k % 2), 1e-9 * Math.max(1, Math.abs(mean)), where);
                double x0c = Math.max(-1, Math.min(1, x0));
                assertEquals(x0c, clipped.predXstart().getDouble(i, 0, k / 2, k % 2), 1e-9, where);
                if (mt != ModelMeanType.PREVIOUS_X) {
                    assertEquals(posteriorMean(x0c, xv, ab, abPrev, alpha, BETAS[ti]),
                            clipped.mean().getDouble(i, 0, k / 2, k % 2), 1e-9, where);
                }
            }
        }
    }

    /** DDPM eq. 7. */
    static double posteriorMean(double x0, double xt, double ab, double abPrev, double alpha, double beta) {
        return Math.sqrt(abPrev) * beta / (1 - ab) * x0 + Math.sqrt(alpha) * (1 - abPrev) / (1 - ab) * xt;
    }

    @Test
    void qSampleAndRoundTripOfEps() {
        GaussianDiffusion d = new GaussianDiffusion(BETAS, ModelMeanType.EPSILON, ModelVarType.FIXED_LARGE, LossType.MSE, false);
        SplittableRandom r = new SplittableRandom(5);
        INDArray x0 = ReverseSampler.gaussian(r, new long[] {2, 1, 2, 2}, DataType.DOUBLE);
        INDArray eps = ReverseSampler.gaussian(r, new long[] {2, 1, 2, 2}, DataType.DOUBLE);
        int[] t = {3, 40};
        INDArray xt = d.qSample(x0, t, eps);
        assertEquals(Math.sqrt(abar(40)) * x0.getDouble(1, 0, 1, 1) + Math.sqrt(1 - abar(40)) * eps.getDouble(1, 0, 1, 1),
                xt.getDouble(1, 0, 1, 1), 1e-12);
        INDArray back = d.predictEpsFromXstart(xt, t, x0);
        assertArrayEquals(Tensors.doubles(eps), Tensors.doubles(back), 1e-9);
        MeanVariance q = d.qPosteriorMeanVariance(x0, xt, t);
        assertEquals(posteriorVar(40), q.variance().getDouble(1, 0, 0, 0), 1e-15);
    }
}
