package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The attention weights the explorer shows (UNetModel.attention) for the g1 model: each row sums to
 * 1, equals a float64 q.k softmax recomputed from the block's qkv parameters, and equals the weights
 * the reference's QKVAttention computed (golden g1_attention.npz).
 */
class AttentionWeightsTest {
    private static UNetModel model;
    private static List<UNetModel.Attention> got;

    @BeforeAll
    static void load() {
        model = UNetModel.create(UNetPresets.g1(), 0);
        model.loadStateDict(Golden.npz("g1_weights.npz"));
        got = model.attention(Golden.npy("g1_x.npy").toINDArray(), Golden.npy("g1_t.npy").toINDArray(), null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyAttentionBlockInForwardOrder() {
        assertEquals(List.of("input_blocks.3.1", "middle_block.1", "output_blocks.0.1", "output_blocks.1.1"),
                got.stream().map(UNetModel.Attention::module).toList());
        for (UNetModel.Attention a : got) {
            assertEquals(2, a.heads());
            assertEquals(8, a.size());
            assertArrayEquals(new long[] {3 * 2, 64, 64}, a.weights().shape(), a.module());
            assertArrayEquals(new long[] {3, 64, 8, 8}, a.normed().shape(), a.module());
        }
    }

    @Test
    void rowsSumToOneAndEqualADirectSoftmaxOfQDotK() {
        Map<String, INDArray> params = model.stateDict();
        for (UNetModel.Attention a : got) {
            double[] w = a.weights().castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] hn = a.normed().castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] wq = params.get(a.module() + ".qkv.weight").castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] bq = params.get(a.module() + ".qkv.bias").castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int c = 64, t = 64, heads = a.heads(), d = c / heads;
            double worst = 0, worstSum = 0;
            for (int b = 0; b < 3; b++) {
                for (int h = 0; h < heads; h++) {
                    double[][] direct = direct(hn, wq, bq, b, h, c, t, d);
                    for (int q = 0; q < t; q++) {
                        double sum = 0;
                        for (int k = 0; k < t; k++) {
                            double v = w[((b * heads + h) * t + q) * t + k];
                            sum += v;
                            worst = Math.max(worst, Math.abs(v - direct[q][k]));
                        }
                        worstSum = Math.max(worstSum, Math.abs(sum - 1));
                    }
                }
            }
            assertTrue(worstSum < 1e-5, a.module() + ": a row sums to 1 +- " + worstSum);
            assertTrue(worst < 1e-5, a.module() + ": worst difference to the float64 softmax " + worst);
        }
    }

    /** softmax over keys of (q d^-1/4) . (k d^-1/4), head h's q and k being rows [3dh, 3dh+d) and [3dh+d, 3dh+2d) of qkv. */
    private static double[][] direct(double[] hn, double[] w, double[] bias, int b, int h, int c, int t, int d) {
        double[][] q = new double[d][t], k = new double[d][t];
        for (int part = 0; part < 2; part++) {
            for (int ch = 0; ch < d; ch++) {
                int row = h * 3 * d + part * d + ch;
                for (int p = 0; p < t; p++) {
                    double s = bias[row];
                    for (int i = 0; i < c; i++) s += w[row * c + i] * hn[(b * c + i) * t + p];
                    (part == 0 ? q : k)[ch][p] = s;
                }
            }
        }
        double scale2 = 1 / Math.sqrt(d);
        double[][] out = new double[t][t];
        for (int i = 0; i < t; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int ch = 0; ch < d; ch++) s += q[ch][i] * k[ch][j];
                out[i][j] = s * scale2;
                max = Math.max(max, out[i][j]);
            }
            double z = 0;
            for (int j = 0; j < t; j++) z += out[i][j] = Math.exp(out[i][j] - max);
            for (int j = 0; j < t; j++) out[i][j] /= z;
        }
        return out;
    }

    @Test
    void equalTheReferenceWeights() {
        Map<String, NpyArray> ref = Golden.npz("g1_attention.npz");
        int sample = (int) ref.get("sample_index").toLongs()[0];
        for (UNetModel.Attention a : got) {
            double[] e = ref.get(a.module()).toDoubles();
            double[] w = a.weights().castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int per = a.heads() * 64 * 64;
            double worst = 0;
            for (int i = 0; i < per; i++) worst = Math.max(worst, Math.abs(e[i] - w[sample * per + i]));
            assertTrue(worst < 5e-5, a.module() + ": worst difference to the reference " + worst);
        }
    }
}
