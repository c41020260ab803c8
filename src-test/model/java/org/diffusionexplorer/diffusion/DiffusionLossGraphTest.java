package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The SameDiff loss on a one-conv stand-in network (float64) against the INDArray implementation. */
class DiffusionLossGraphTest {
    static final int C = 2, H = 3, W = 3, T = 40;
    static final int[] TS = {0, 3, 17, T - 1};

    /** A graph "x" -> conv3x3 -> "out" with out channels C or 2C, plus the diffusion loss. */
    static final class Setup {
        final SameDiff sd = SameDiff.create();
        final GaussianDiffusion d;
        final DiffusionLossGraph g;
        final SDVariable out;

        Setup(GaussianDiffusion d) {
            this(d, DataType.DOUBLE);
        }

        Setup(GaussianDiffusion d, DataType dt) {
            this.d = d;
            int outC = d.varType.isLearned() ? 2 * C : C;
            SDVariable x = sd.placeHolder("x", dt, -1, C, H, W);
            SplittableRandom r = new SplittableRandom(21);
            // weights in M2.1's default YXIO layout [kH, kW, in, out]: conv2d_bp rejects OIYX weights here
            INDArray w0 = ReverseSampler.gaussian(r, new long[] {3, 3, C, outC}, DataType.DOUBLE).muli(0.3);
            INDArray b0 = ReverseSampler.gaussian(r, new long[] {outC}, DataType.DOUBLE).muli(0.1);
            Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                    .dataFormat("NCHW").build();
            out = sd.identity("out", sd.cnn().conv2d(x, sd.var("W", w0.castTo(dt)), sd.var("b", b0.castTo(dt)), cfg));
            g = DiffusionLossGraph.attach(d, sd, out, "x", null);
        }

        Map<String, INDArray> feed(double[] weights) {
            return g.feed(x0(), TS, noise(), weights).placeholders();
        }
    }

    /** 8-bit levels on [-1, 1], including both ends (the decoder's edge bins). */
    static INDArray x0() {
        SplittableRandom r = new SplittableRandom(22);
        double[] v = new double[TS.length * C * H * W];
        for (int i = 0; i < v.length; i++) v[i] = (i % 7 == 0 ? 0 : i % 7 == 1 ? 255 : r.nextInt(256)) / 127.5 - 1;
        return Nd4j.create(v, new long[] {TS.length, C, H, W}, 'c');
    }

    static INDArray noise() {
        return ReverseSampler.gaussian(new SplittableRandom(23), new long[] {TS.length, C, H, W}, DataType.DOUBLE);
    }

    static GaussianDiffusion diffusion(String mean, String var, String loss) {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(T).meanType(ModelMeanType.valueOf(mean))
                .varType(ModelVarType.valueOf(var)).lossType(LossType.valueOf(loss)).rescaleTimesteps(true).build();
    }

    @ParameterizedTest
    @CsvSource({"EPSILON,LEARNED_RANGE,RESCALED_MSE", "START_X,LEARNED,MSE", "PREVIOUS_X,FIXED_SMALL,KL",
                "EPSILON,FIXED_LARGE,MSE", "EPSILON,LEARNED_RANGE,RESCALED_KL", "PREVIOUS_X,LEARNED_RANGE,MSE"})
    void graphLossesMatchINDArrayLosses(String mean, String var, String loss) {
        Setup s = new Setup(diffusion(mean, var, loss));
        double[] w = {0.5, 1.0, 2.0, 1.5};
        Map<String, INDArray> r = s.sd.output(s.feed(w), "out", "diffusion/loss", "diffusion/mse", "diffusion/vb",
                "diffusion/weighted_loss");
        GaussianDiffusion.TrainingLosses ref = s.d.trainingLosses(r.get("out"), x0(), noise(), TS);
        double weighted = 0;
        for (int i = 0; i < TS.length; i++) {
            String at = loss + " item " + i;
            assertEquals(ref.loss()[i], r.get("diffusion/loss").getDouble(i), 1e-10 * Math.max(1, Math.abs(ref.loss()[i])), at);
            if (ref.mse() != null) assertEquals(ref.mse()[i], r.get("diffusion/mse").getDouble(i), 1e-12, at);
            double vb = ref.vb() == null ? 0 : ref.vb()[i];
            assertEquals(vb, r.get("diffusion/vb").getDouble(i), 1e-10 * Math.max(1, Math.abs(vb)), at);
            weighted += ref.loss()[i] * w[i] / TS.length;
        }
        assertEquals(weighted, r.get("diffusion/weighted_loss").getDouble(0), 1e-10 * Math.max(1, weighted));
    }

    @Test
    void feedGivesModelInputs() {
        Setup s = new Setup(diffusion("EPSILON", "FIXED_LARGE", "MSE"));
        DiffusionLossGraph.Feed f = s.g.feed(x0(), TS, noise(), null);
        assertTrue(f.placeholders().get("x") == f.xT());
        assertEquals(17 * 1000.0 / T, f.modelT().getDouble(2), 1e-12);
        assertEquals(Tensors.doubles(s.d.qSample(x0(), TS, noise()))[50], Tensors.doubles(f.xT())[50], 1e-15);
    }

    /** With the hybrid loss, the bound term must reach only the weights of the variance channels. */
    @Test
    void vbGradientReachesOnlyVarianceChannels() {
        Setup s = new Setup(diffusion("EPSILON", "LEARNED_RANGE", "MSE"));
        SDVariable vbSum = s.sd.sum(s.g.vb());
        s.sd.setLossVariables(vbSum);
        INDArray gw = s.sd.calculateGradients(s.feed(null), "W").get("W");
        INDArrayIndex all = NDArrayIndex.all();
        double meanPart = gw.get(all, all, all, NDArrayIndex.interval(0, C)).norm2Number().doubleValue();
        double varPart = gw.get(all, all, all, NDArrayIndex.interval(C, 2 * C)).norm2Number().doubleValue();
        assertEquals(0.0, meanPart, 0.0);
        assertTrue(varPart > 1e-6, "variance channels get gradient " + varPart);
    }

    /** Gradients of the weighted loss against central differences, for a mean and a variance weight. */
    @Test
    void weightedLossGradientMatchesFiniteDifferences() {
        Setup s = new Setup(diffusion("EPSILON", "LEARNED_RANGE", "RESCALED_MSE"));
        s.sd.setLossVariables(s.g.weightedLoss());
        Map<String, INDArray> feed = s.feed(new double[] {0.5, 1.0, 2.0, 1.5});
        INDArray gw = s.sd.calculateGradients(feed, "W").get("W");
        INDArray w = s.sd.getVariable("W").getArr();
        double[] weights = {0.5, 1.0, 2.0, 1.5};
        for (long[] idx : new long[][] {{1, 1, 1, 0}, {0, 2, 0, 1}, {1, 1, 0, C}, {0, 2, 1, 2 * C - 1}}) {
            // a mean weight's gradient must be the mse part's alone (the bound sees the mean detached),
            // a variance weight's the whole loss's
            String term = idx[3] < C ? "diffusion/mse" : "diffusion/loss";
            double orig = w.getDouble(idx);
            double h = 1e-6;
            w.putScalar(idx, orig + h);
            double up = weightedMean(s.sd.output(feed, term).get(term), weights);
            w.putScalar(idx, orig - h);
            double down = weightedMean(s.sd.output(feed, term).get(term), weights);
            w.putScalar(idx, orig);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, gw.getDouble(idx), 1e-6 * Math.max(1, Math.abs(numeric)), term + " W" + java.util.Arrays.toString(idx));
        }
    }

    static double weightedMean(INDArray perItem, double[] w) {
        double s = 0;
        for (int i = 0; i < w.length; i++) s += perItem.getDouble(i) * w[i];
        return s / w.length;
    }

    /** The trainer's case: a float32 network; placeholders follow the output's dtype. */
    @Test
    void float32GraphAgreesWithinFloatPrecision() {
        Setup s = new Setup(diffusion("EPSILON", "LEARNED_RANGE", "MSE"), DataType.FLOAT);
        Map<String, INDArray> feed = s.feed(null);
        assertEquals(DataType.FLOAT, feed.get("diffusion/target").dataType());
        Map<String, INDArray> r = s.sd.output(feed, "out", "diffusion/loss", "diffusion/vb");
        assertEquals(DataType.FLOAT, r.get("diffusion/loss").dataType());
        GaussianDiffusion.TrainingLosses ref = s.d.trainingLosses(r.get("out"), x0(), noise(), TS);
        for (int i = 0; i < TS.length; i++) {
            assertEquals(ref.loss()[i], r.get("diffusion/loss").getDouble(i), 1e-4 * Math.max(1, ref.loss()[i]), "item " + i);
        }
    }
}
