package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The g1 weights as the reference's training loop saves them (torch.save of a state_dict holding
 * nn.Parameters, src-test/model/torch/g1_weights.pt) reproduce g1's golden output, read directly
 * and through unet-forward, as UNetGoldenTest does from the .npz.
 */
class TorchGoldenTest {

    @Test
    void theTorchFileHoldsExactlyTheGoldenWeights() throws Exception {
        Map<String, NpyArray> pt = StateDicts.read(Golden.torch("g1_weights.pt"));
        Map<String, NpyArray> npz = Golden.npz("g1_weights.npz");
        assertEquals(List.copyOf(npz.keySet()), List.copyOf(pt.keySet()));
        for (String k : npz.keySet()) {
            assertArrayEquals(npz.get(k).shape(), pt.get(k).shape(), k);
            assertArrayEquals(npz.get(k).toFloats(), pt.get(k).toFloats(), 0f, k);
        }
    }

    @Test
    void theModelReadFromThePtReproducesTheGoldenOutput() throws Exception {
        try (UNetModel model = UNetModel.create(UNetPresets.g1(), 0)) {
            model.loadStateDict(StateDicts.read(Golden.torch("g1_weights.pt")));
            INDArray out = model.forward(Golden.npy("g1_x.npy").toINDArray(), Golden.npy("g1_t.npy").toINDArray(), null);
            NpyArray ref = Golden.npy("g1_out.npy");
            assertArrayEquals(ref.shape(), out.shape());
            double d = UNetGoldenTest.maxAbsDiff(ref.toDoubles(), NpyArray.of(out).toDoubles());
            assertTrue(d < 1e-4, "max |out - g1_out| = " + d);
        }
    }

    @Test
    void unetForwardTakesThePt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.npy");
        Object[] r = UNetCliTest.run("unet-forward", "--config", Golden.file("g1_config.json").toString(),
                "--weights", Golden.torch("g1_weights.pt").toString(), "--x", Golden.file("g1_x.npy").toString(),
                "--t", Golden.file("g1_t.npy").toString(), "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        NpyArray got = Npy.read(out), want = Golden.npy("g1_out.npy");
        double d = UNetGoldenTest.maxAbsDiff(want.toDoubles(), got.toDoubles());
        assertTrue(d < 1e-4, "max |out - g1_out| = " + d);
    }

    @Test
    void aMismatchedPtGetsTheSameReportAsAnNpz(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.json");
        java.nio.file.Files.writeString(cfg, UNetPresets.g1().toJson().replace("\"num_res_blocks\" : 1", "\"num_res_blocks\" : 2"));
        String[] forWeights = new String[2];
        int i = 0;
        for (Path w : List.of(Golden.file("g1_weights.npz"), Golden.torch("g1_weights.pt"))) {
            Object[] r = UNetCliTest.run("unet-forward", "--config", cfg.toString(), "--weights", w.toString(),
                    "--x", Golden.file("g1_x.npy").toString(), "--t", Golden.file("g1_t.npy").toString(), "--out", dir.resolve("o.npy").toString());
            assertEquals(2, r[0]);
            forWeights[i++] = ((String) r[1]).trim();
        }
        assertEquals(1, forWeights[1].lines().count(), forWeights[1]);
        assertTrue(forWeights[1].contains("missing") && forWeights[1].contains("input_blocks.5.0.in_layers.0.weight"), forWeights[1]);
        assertEquals(forWeights[0], forWeights[1], "the .pt and the .npz get the same missing/unexpected/misshaped report");
    }
}
