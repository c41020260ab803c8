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

class AttentionBlockTest {

    /** The reference's arithmetic with loops: per-head [q, k, v] channel layout, q and k scaled by d^-1/4. */
    static double[] reference(double[] xn, double[] x, int n, int c, int t, int heads, double[] wqkv, double[] bqkv,
            double[] wp, double[] bp) {
        int d = c / heads;
        double scale = 1 / Math.sqrt(Math.sqrt(d));
        double[] out = x.clone();
        for (int b = 0; b < n; b++) {
            double[][] qkv = new double[3 * c][t];
            for (int o = 0; o < 3 * c; o++) {
                for (int p = 0; p < t; p++) {
                    double s = bqkv[o];
                    for (int i = 0; i < c; i++) s += wqkv[o * c + i] * xn[(b * c + i) * t + p];
                    qkv[o][p] = s;
                }
            }
            double[][] a = new double[c][t];
            for (int h = 0; h < heads; h++) {
                int base = h * 3 * d;
                for (int tt = 0; tt < t; tt++) {
                    double[] w = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ss = 0; ss < t; ss++) {
                        double s = 0;
                        for (int ch = 0; ch < d; ch++) s += qkv[base + ch][tt] * scale * qkv[base + d + ch][ss] * scale;
                        w[ss] = s;
                        max = Math.max(max, s);
                    }
                    double z = 0;
                    for (int ss = 0; ss < t; ss++) z += (w[ss] = Math.exp(w[ss] - max));
                    for (int ch = 0; ch < d; ch++) {
                        double s = 0;
                        for (int ss = 0; ss < t; ss++) s += w[ss] / z * qkv[base + 2 * d + ch][ss];
                        a[h * d + ch][tt] = s;
                    }
                }
            }
            for (int o = 0; o < c; o++) {
                for (int p = 0; p < t; p++) {
                    double s = bp[o];
                    for (int i = 0; i < c; i++) s += wp[o * c + i] * a[i][p];
                    out[(b * c + o) * t + p] += s;
                }
            }
        }
        return out;
    }

    @Test
    void forwardMatchesReferenceArithmeticAndGradientMatchesFiniteDifferences() {
        int n = 2, c = 64, s = 3, heads = 4;
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("att.norm.weight", Nd4j.randn(DataType.DOUBLE, c).muli(0.2).addi(1));
        arrays.put("att.norm.bias", Nd4j.randn(DataType.DOUBLE, c).muli(0.2));
        arrays.put("att.qkv.weight", Nd4j.randn(DataType.DOUBLE, 3 * c, c, 1).muli(0.2));
        arrays.put("att.qkv.bias", Nd4j.randn(DataType.DOUBLE, 3 * c).muli(0.2));
        arrays.put("att.proj_out.weight", Nd4j.randn(DataType.DOUBLE, c, c, 1).muli(0.2));
        arrays.put("att.proj_out.bias", Nd4j.randn(DataType.DOUBLE, c).muli(0.2));
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        AttentionBlock block = new AttentionBlock("att", c, heads, s);
        for (ParamSpec p : block.params()) {
            assertArrayEquals(p.shape(), arrays.get(p.name()).shape(), p.name());
            vars.put(p.name(), sd.var(p.name(), arrays.get(p.name())));
        }
        INDArray xArr = Nd4j.randn(DataType.DOUBLE, n, c, s, s);
        SDVariable x = sd.var("x", xArr);
        BuildContext ctx = new BuildContext(sd, DataType.DOUBLE, vars, true);
        SDVariable y = block.apply(ctx, x, null);
        SDVariable xn = GroupNorm.apply(ctx, "att.norm", x, c, s);
        y.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, n, c, s, s))).sum().rename("loss");
        sd.setLossVariables("loss");

        Map<String, INDArray> outs = sd.output(Map.of(), y.name(), xn.name());
        double[] want = reference(outs.get(xn.name()).dup('c').data().asDouble(), xArr.data().asDouble(), n, c, s * s, heads,
                arrays.get("att.qkv.weight").data().asDouble(), arrays.get("att.qkv.bias").data().asDouble(),
                arrays.get("att.proj_out.weight").data().asDouble(), arrays.get("att.proj_out.bias").data().asDouble());
        double[] got = outs.get(y.name()).dup('c').data().asDouble();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-10, "element " + i);

        List<String> names = new java.util.ArrayList<>(arrays.keySet());
        names.add("x");
        GradCheck.Result res = GradCheck.check(sd, "loss", Map.of(), names, 3, 2);
        assertTrue(res.maxRelError() < 1e-5, res.toString());
    }
}
