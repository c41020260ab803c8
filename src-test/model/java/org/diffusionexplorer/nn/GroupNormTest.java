package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GroupNormTest {

    /** Straightforward loops: the definition of GroupNorm(32, eps 1e-5). */
    static double[] reference(double[] x, int n, int c, int hw, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        int per = c / 32;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < 32; g++) {
                double sum = 0, sq = 0;
                int start = (b * c + g * per) * hw, len = per * hw;
                for (int i = 0; i < len; i++) sum += x[start + i];
                double mean = sum / len;
                for (int i = 0; i < len; i++) sq += (x[start + i] - mean) * (x[start + i] - mean);
                double rstd = 1 / Math.sqrt(sq / len + 1e-5);
                for (int i = 0; i < len; i++) {
                    int ch = g * per + i / hw;
                    y[start + i] = (x[start + i] - mean) * rstd * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesDefinitionAndGradientMatchesFiniteDifferences() {
        int n = 2, c = 64, s = 3;
        Nd4j.getRandom().setSeed(7);
        SameDiff sd = SameDiff.create();
        INDArray xArr = Nd4j.randn(DataType.DOUBLE, n, c, s, s).muli(2).addi(0.5);
        INDArray gamma = Nd4j.randn(DataType.DOUBLE, c).muli(0.3).addi(1);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, c).muli(0.3);
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        vars.put("gn.weight", sd.var("gn.weight", gamma));
        vars.put("gn.bias", sd.var("gn.bias", beta));
        SDVariable x = sd.var("x", xArr);
        BuildContext ctx = new BuildContext(sd, DataType.DOUBLE, vars, true);
        SDVariable y = new GroupNorm("gn", c, s).apply(ctx, x, null);
        SDVariable r = sd.constant(Nd4j.randn(DataType.DOUBLE, n, c, s, s));
        y.mul(r).sum().rename("loss");
        sd.setLossVariables("loss");

        INDArray got = sd.output(Map.of(), y.name()).get(y.name());
        double[] want = reference(xArr.data().asDouble(), n, c, s * s, gamma.data().asDouble(), beta.data().asDouble());
        double[] g = got.dup('c').data().asDouble();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], g[i], 1e-12);

        GradCheck.Result res = GradCheck.check(sd, "loss", Map.of(), List.of("x", "gn.weight", "gn.bias"), 6, 1);
        assertTrue(res.maxRelError() < 1e-5, res.toString());
    }

    /**
     * The ResBlocks' form: per-sample weight and bias (the scale-shift norm) and SiLU after, with
     * GroupNormOps' hand-written backward for x; the gradients of x, weight and bias against finite
     * differences, with groups of two channels and of one.
     */
    @Test
    void perSampleAffineWithSiLUGradientMatchesFiniteDifferences() {
        for (int c : new int[] {64, 32}) {
            int n = 2, s = 3;
            Nd4j.getRandom().setSeed(9 + c);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, n, c, s, s).muli(1.5).addi(-0.7));
            SDVariable w = sd.var("w", Nd4j.randn(DataType.DOUBLE, n, c).muli(0.4).addi(1));
            SDVariable b = sd.var("b", Nd4j.randn(DataType.DOUBLE, n, c).muli(0.4));
            BuildContext ctx = new BuildContext(sd, DataType.DOUBLE, new LinkedHashMap<>(), true);
            SDVariable y = GroupNorm.normalizeSiLU(ctx, x, c, s, w, b, true);
            // x also feeds the loss directly, as a ResBlock's skip connection does: its two gradients add up
            y.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, n, c, s, s))).sum().add(x.mul(x).sum().mul(0.1)).rename("loss");
            sd.setLossVariables("loss");
            GradCheck.Result res = GradCheck.check(sd, "loss", Map.of(), List.of("x", "w", "b"), 6, 1);
            assertTrue(res.maxRelError() < 1e-5, "channels " + c + ": " + res);
        }
    }

    @Test
    void inferenceFormMatchesDefinitionWithPerChannelAndPerSampleAffine() {
        int n = 2, c = 64, s = 4;
        Nd4j.getRandom().setSeed(8);
        INDArray xArr = Nd4j.randn(DataType.DOUBLE, n, c, s, s).muli(3).addi(2);
        INDArray gamma = Nd4j.randn(DataType.DOUBLE, c).muli(0.3).addi(1);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, c).muli(0.3);
        for (boolean training : new boolean[] {false, true}) {
            SameDiff sd = SameDiff.create();
            Map<String, SDVariable> vars = new LinkedHashMap<>();
            vars.put("gn.weight", sd.var("gn.weight", gamma));
            vars.put("gn.bias", sd.var("gn.bias", beta));
            BuildContext ctx = new BuildContext(sd, DataType.DOUBLE, vars, training);
            SDVariable x = sd.constant(xArr);
            SDVariable y = GroupNorm.apply(ctx, "gn", x, c, s);
            // per-sample weight/bias [N, C] (the scale-shift path): sample 1 gets 2*gamma, beta + 1
            SDVariable w2 = sd.constant(Nd4j.vstack(gamma.reshape(1, c), gamma.mul(2).reshape(1, c)));
            SDVariable b2 = sd.constant(Nd4j.vstack(beta.reshape(1, c), beta.add(1).reshape(1, c)));
            SDVariable z = GroupNorm.normalize(ctx, x, c, s, w2, b2, true);
            Map<String, INDArray> out = sd.output(Map.of(), y.name(), z.name());
            double[] want = reference(xArr.data().asDouble(), n, c, s * s, gamma.data().asDouble(), beta.data().asDouble());
            double[] got = out.get(y.name()).dup('c').data().asDouble();
            double[] gotZ = out.get(z.name()).dup('c').data().asDouble();
            int half = want.length / 2;
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-10, "training=" + training + " element " + i);
                // sample 1: 2 * xhat * gamma + beta + 1 = 2 * (want - beta) + beta + 1
                int ch = (i % half) / (s * s);
                double wantZ = i < half ? want[i] : 2 * (want[i] - beta.getDouble(ch)) + beta.getDouble(ch) + 1;
                assertEquals(wantZ, gotZ[i], 1e-10, "per-sample, training=" + training + " element " + i);
            }
        }
    }

    @Test
    void rejectsChannelCountsNotDivisibleBy32() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm("n", 48, 4));
        assertTrue(e.getMessage().contains("32"));
    }
}
