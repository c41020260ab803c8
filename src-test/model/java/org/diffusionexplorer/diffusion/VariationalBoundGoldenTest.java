package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * calc_bpd_loop and _vb_terms_bpd on the g1 weights against the reference (golden/g1_bpd_cosine10.npz):
 * the same batch, the same per-timestep noise the reference drew, every term per image and timestep.
 * The reference stacks its columns in loop order (column 0 is t = T-1); the port indexes them by t.
 */
class VariationalBoundGoldenTest {

    static GaussianDiffusion cosine10() {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(1000).respacing("10")
                .meanType(ModelMeanType.EPSILON).varType(ModelVarType.FIXED_LARGE).rescaleTimesteps(true).build();
    }

    @Test
    void everyTermMatchesTheReference() {
        Map<String, NpyArray> g = Golden.npz("g1_bpd_cosine10.npz");
        GaussianDiffusion d = cosine10();
        assertArrayEquals(g.get("timestep_map").toLongs(), Arrays.stream(d.timestepMap).asLongStream().toArray());
        INDArray x0 = g.get("x_start").toINDArray();
        INDArray noise = g.get("noise").toINDArray();
        int[] asked = new int[d.numTimesteps];
        int[] calls = {0};
        VariationalBound.Bpd b;
        try (UNetModel model = UNetModel.create(UNetPresets.g1(), 0)) {
            model.loadStateDict(Golden.npz("g1_weights.npz"));
            b = VariationalBound.calcBpdLoop(d, model::forward, x0, null, true, t -> {
                asked[calls[0]++] = t;
                return noise.get(NDArrayIndex.point(t)).dup();
            }, null);

            // _vb_terms_bpd on its own (GaussianDiffusion.vbTerms, as VariationalBound calls it) for one step, from a fresh model output
            int t = 4;
            int[] ts = {t, t, t};
            INDArray xt = d.qSample(x0, ts, noise.get(NDArrayIndex.point(t)).dup());
            INDArray out = model.forward(xt, d.modelTimesteps(ts, xt.dataType()), null);
            double[] xtd = Tensors.doubles(xt);
            double[] one = d.vbTerms(d.moments(Tensors.doubles(out), out.shape(), xtd, xt.shape(), ts, true), Tensors.doubles(x0), xtd, ts);
            double[] ref = g.get("vb").toDoubles();
            for (int i = 0; i < 3; i++) assertClose(ref[i * 10 + 9 - t], one[i], "vbTermsBpd item " + i);
        }
        assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, asked, "noise is drawn from T-1 down to 0, as the reference");
        compare(g.get("vb"), b.vb(), "vb");
        compare(g.get("xstart_mse"), b.xstartMse(), "xstart_mse");
        compare(g.get("mse"), b.mse(), "mse");
        double[] prior = g.get("prior_bpd").toDoubles(), total = g.get("total_bpd").toDoubles();
        for (int i = 0; i < 3; i++) {
            assertEquals(prior[i], b.priorBpd()[i], 1e-12, "prior_bpd");
            assertClose(total[i], b.totalBpd()[i], "total_bpd item " + i);
        }
    }

    /** Float32 model outputs behind both: relative 1e-4 (terms span 1e-9 .. 5 bits/dim). */
    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-4 * Math.max(Math.abs(expected), 1e-3),
                what + ": reference " + expected + ", port " + actual);
    }

    private static void compare(NpyArray expected, double[][] actual, String name) {
        double[] e = expected.toDoubles();
        int steps = actual[0].length;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int t = 0; t < steps; t++) {
                double ref = e[i * steps + steps - 1 - t];
                assertClose(ref, actual[i][t], name + "[" + i + "][" + t + "]");
                worst = Math.max(worst, Math.abs(ref - actual[i][t]));
            }
        }
        System.out.println(name + ": worst absolute difference to the reference " + worst);
    }
}
