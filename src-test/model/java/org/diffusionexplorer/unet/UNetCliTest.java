package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.cli.DiffusionCli;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UNetCliTest {

    /** Runs the CLI and returns exit code and stderr. */
    static Object[] run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DiffusionCli.run(args);
            // ND4J's first use in a JVM prints SLF4J notices; they are not ours
            String text = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("SLF4J:"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            return new Object[] {code, text};
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void unetForwardReproducesTheGoldenOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.npy");
        Object[] r = run("unet-forward", "--config", Golden.file("g1_config.json").toString(),
                "--weights", Golden.file("g1_weights.npz").toString(), "--x", Golden.file("g1_x.npy").toString(),
                "--t", Golden.file("g1_t.npy").toString(), "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        NpyArray got = Npy.read(out);
        NpyArray want = Golden.npy("g1_out.npy");
        assertEquals(NpyArray.DType.FLOAT32, got.dtype());
        assertArrayEquals(want.shape(), got.shape());
        assertTrue(UNetGoldenTest.maxAbsDiff(want.toDoubles(), got.toDoubles()) < 1e-4);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void exportWeightsWritesTheSeededInitialisation(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, UNetPresets.g1().toJson());
        Path w = dir.resolve("w.npz");
        Object[] r = run("export-weights", "--config", cfg.toString(), "--seed", "42", "--out", w.toString());
        assertEquals(0, r[0], (String) r[1]);
        Map<String, NpyArray> got = Npz.read(w);
        try (UNetModel m = UNetModel.create(UNetPresets.g1(), 42)) {
            assertEquals(m.parameterNames(), java.util.List.copyOf(got.keySet()));
            for (String n : m.parameterNames()) {
                assertArrayEquals(NpyArray.of(m.stateDict().get(n)).toFloats(), got.get(n).toFloats(), n);
            }
        }
    }

    @Test
    void everyCommandHasHelpAndBadInputGivesOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        assertEquals(0, run("unet-forward", "--help")[0]);
        assertEquals(0, run("export-weights", "--help")[0]);

        Object[] missing = run("unet-forward", "--config", Golden.file("g1_config.json").toString(),
                "--weights", Golden.file("g1_weights.npz").toString(), "--x", dir.resolve("nope.npy").toString(),
                "--t", Golden.file("g1_t.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(2, missing[0]);
        String msg = ((String) missing[1]).trim();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("nope.npy") && msg.contains("does not exist"), msg);

        // weights of g1 for a different model: one line listing the problems
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, UNetPresets.g1().withImageSize(16).toJson().replace("\"num_res_blocks\" : 1", "\"num_res_blocks\" : 2"));
        Object[] wrong = run("unet-forward", "--config", cfg.toString(),
                "--weights", Golden.file("g1_weights.npz").toString(), "--x", Golden.file("g1_x.npy").toString(),
                "--t", Golden.file("g1_t.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(2, wrong[0]);
        String w = ((String) wrong[1]).trim();
        assertEquals(1, w.lines().count(), w);
        assertTrue(w.contains("missing") && w.contains("input_blocks.5.0.in_layers.0.weight"), w);

        // x of the wrong size
        Path x = dir.resolve("x.npy");
        Npy.write(x, NpyArray.of(new float[2 * 8 * 8], 2, 1, 8, 8));
        Object[] badX = run("unet-forward", "--config", Golden.file("g1_config.json").toString(),
                "--weights", Golden.file("g1_weights.npz").toString(), "--x", x.toString(),
                "--t", Golden.file("g1_t.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(2, badX[0]);
        assertTrue(((String) badX[1]).contains("[N, 1, 16, 16]"), (String) badX[1]);
        assertFalse(Files.exists(dir.resolve("o.npy")));

        assertEquals(2, run("export-weights", "--out", dir.resolve("w.npz").toString())[0], "--config is required");
    }
}
