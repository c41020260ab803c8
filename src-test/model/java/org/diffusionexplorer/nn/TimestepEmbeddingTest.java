package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimestepEmbeddingTest {

    @Test
    void plainHelperMatchesGoldenCosThenSinLayout() {
        double[] ref = Golden.npz("g1_features.npz").get("timestep_embedding").toDoubles();   // [3, 32]
        double[][] got = TimestepEmbedding.embed(new double[] {0, 417, 999}, 32);
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 32; i++) assertEquals(ref[n * 32 + i], got[n][i], 2e-4, "t index " + n + " column " + i);
        }
        // t = 0: all cosines 1, all sines 0
        for (int i = 0; i < 16; i++) {
            assertEquals(1.0, got[0][i]);
            assertEquals(0.0, got[0][16 + i]);
        }
    }

    @Test
    void interleavedLayoutPutsSinAtEvenAndCosAtOddIndices() {
        double[][] ref = TimestepEmbedding.embed(new double[] {12.5}, 8);
        double[][] il = TimestepEmbedding.embedInterleaved(new double[] {12.5}, 8);
        for (int i = 0; i < 4; i++) {
            assertEquals(ref[0][4 + i], il[0][2 * i]);
            assertEquals(ref[0][i], il[0][2 * i + 1]);
        }
    }

    @Test
    void oddDimensionGetsATrailingZeroInBothForms() {
        double[][] plain = TimestepEmbedding.embed(new double[] {3, 7.25}, 5);
        assertEquals(5, plain[0].length);
        assertEquals(0.0, plain[1][4]);
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.placeHolder("t", DataType.DOUBLE, -1);
        SDVariable e = TimestepEmbedding.apply(sd, t, 5, DataType.DOUBLE);
        INDArray out = sd.output(java.util.Map.of("t", Nd4j.createFromArray(3.0, 7.25)), e.name()).get(e.name());
        assertArrayEquals(new long[] {2, 5}, out.shape());
        for (int n = 0; n < 2; n++) for (int i = 0; i < 5; i++) assertEquals(plain[n][i], out.getDouble(n, i), 1e-12);
    }

    @Test
    void graphVersionInFloat32MatchesGolden() {
        NpyArray ref = Golden.npz("g1_features.npz").get("timestep_embedding");
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, -1);
        SDVariable e = TimestepEmbedding.apply(sd, t, 32, DataType.FLOAT);
        INDArray out = sd.output(java.util.Map.of("t", Nd4j.createFromArray(0f, 417f, 999f)), e.name()).get(e.name());
        double[] want = ref.toDoubles();
        double[] got = out.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5, "element " + i);
    }
}
