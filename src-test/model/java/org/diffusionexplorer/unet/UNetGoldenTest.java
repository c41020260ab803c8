package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The g1 model with the reference's weights reproduces the reference's outputs, block by block. */
class UNetGoldenTest {
    private static UNetModel model;
    private static INDArray x, t;

    @BeforeAll
    static void load() {
        model = UNetModel.create(UNetPresets.g1(), 0);
        model.loadStateDict(Golden.npz("g1_weights.npz"));
        x = Golden.npy("g1_x.npy").toINDArray();
        t = Golden.npy("g1_t.npy").toINDArray();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void outputMatchesReference() {
        INDArray out = model.forward(x, t, null);
        NpyArray ref = Golden.npy("g1_out.npy");
        assertArrayEquals(ref.shape(), out.shape());
        double d = maxAbsDiff(ref.toDoubles(), NpyArray.of(out).toDoubles());
        assertTrue(d < 1e-4, "max |out - g1_out| = " + d);
    }

    @Test
    void everyActivationMatchesReference() {
        Map<String, NpyArray> ref = Golden.npz("g1_features.npz");
        Map<String, INDArray> got = model.activations(x, t, null);
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        int sample = Math.toIntExact(ref.get("sample_index").toLongs()[0]);
        for (Map.Entry<String, NpyArray> e : ref.entrySet()) {
            if (e.getKey().equals("sample_index")) continue;
            INDArray a = got.get(e.getKey());
            assertNotNull(a, "no activation " + e.getKey());
            // block outputs are stored for one batch element (sample_index); embeddings for the whole batch
            if (e.getValue().shape()[0] == 1 && a.size(0) == 3) {
                a = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(sample, sample + 1));
            }
            assertArrayEquals(e.getValue().shape(), a.shape(), e.getKey());
            double d = maxAbsDiff(e.getValue().toDoubles(), NpyArray.of(a).toDoubles());
            report.append(e.getKey()).append('=').append(String.format("%.2e ", d));
            if (!(d < 1e-4)) ok = false;
        }
        assertTrue(ok, report.toString());
        System.out.println("g1 activation max abs diffs: " + report);
    }

    @Test
    void blockShapesEqualGoldenFeatureShapes() {
        Map<String, NpyArray> ref = Golden.npz("g1_features.npz");
        List<UNetBuilder.Block> blocks = model.layout().allBlocks();
        for (UNetBuilder.Block b : blocks) {
            if (b.name().equals("out")) {
                assertArrayEquals(new long[] {1, 1, 16, 16}, b.outputShape(1));
                continue;
            }
            assertArrayEquals(ref.get(b.name()).shape(), b.outputShape(1), b.name());
        }
        assertEquals(ref.keySet().stream().filter(k -> k.startsWith("down") || k.startsWith("up") || k.equals("middle")).count() + 1,
                blocks.size());
        long total = blocks.stream().mapToLong(UNetBuilder.Block::parameterCount).sum();
        // the time embedding MLP is outside the blocks
        assertEquals(701_345 - (128 * 32 + 128 + 128 * 128 + 128), total);
        assertEquals(701_345, model.parameterCount());
        System.out.println(String.join("\n", blocks.stream().map(UNetBuilder.Block::describe).toList()));
        assertEquals("ResBlock+Attention", blocks.get(3).kind());
        UNetBuilder.Block up0 = blocks.get(5);
        assertEquals("up_00", up0.name());
        assertEquals(3, up0.skipFrom());
        assertEquals(64, up0.inputChannels());
        assertEquals(64, up0.skipChannels());
        assertEquals("ResBlock+Attention+Upsample", blocks.get(6).kind());
        assertTrue(Arrays.asList("conv", "ResBlock", "Downsample").contains(blocks.get(2).kind()));
    }
}
