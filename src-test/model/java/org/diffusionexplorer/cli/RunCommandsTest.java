package org.diffusionexplorer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.train.MetricsLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run commands end to end on one tiny run trained once (3 steps). */
class RunCommandsTest {
    @TempDir
    static Path dir;
    static Path run;
    static Path config;

    /** Output of one command: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DiffusionCli.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertOneLineError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.err() + r.out());
        String e = r.err().strip();
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertTrue(e.startsWith("error: "), e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        for (String f : fragments) assertTrue(e.contains(f), "'" + f + "' in: " + e);
    }

    @BeforeAll
    static void trainTinyRun() throws Exception {
        Path data = Files.createDirectories(dir.resolve("img"));
        for (int i = 0; i < 4; i++) {
            BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster r = im.getRaster();
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) r.setSample(x, y, 0, ((x + y + i) % 3) * 100);
            ImageIO.write(im, "png", data.resolve("img" + i + ".png").toFile());
        }
        RunConfig tiny = RunConfig.tiny();
        TrainingSettings t = tiny.training().with(4, 1e-3, List.of(0.99, 0.9), true, 1, 2, 0);
        config = dir.resolve("tiny.json");
        Files.writeString(config, tiny.withTraining(t).withData(tiny.data().withDataDir(data.toString())).toJson());
        run = dir.resolve("run");
        Result r = cli("train", "--config", config.toString(), "--steps", "3", "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("completed step 3"), r.out());
    }

    @Test
    void aRunFolderHoldsConfigMetricsAndCheckpoints() throws Exception {
        assertEquals(RunConfig.read(config).toJson(), Files.readString(run.resolve("config.json")));
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,loss,mse,vb,loss_q0,loss_q1,loss_q2,loss_q3,grad_norm,lr,images_per_s", lines.get(0));
        assertEquals(MetricsLog.COLUMNS.size(), lines.get(3).split(",", -1).length);
        assertTrue(lines.get(3).startsWith("3,"), lines.get(3));
        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("step-00000002.ckpt.npz", "step-00000003.ckpt.npz"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Result info = cli("info", run.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("step        3"), info.out());
        assertTrue(info.out().contains("ema         0.9, 0.99"), info.out());
        assertTrue(info.out().contains("last row    step=3"), info.out());
    }

    @Test
    void samplesAreReproducibleFromTheSeed() throws Exception {
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy"), c = dir.resolve("c.npy");
        for (Path p : List.of(a, b)) {
            Result r = cli("sample", "--run", run.toString(), "--sampler", "ddpm", "--steps", "8", "--n", "4", "--seed", "5",
                    "--out", dir.resolve("g.png").toString(), "--npy", p.toString());
            assertEquals(0, r.code(), r.err());
        }
        assertArrayEquals(Npy.read(a).toFloats(), Npy.read(b).toFloats(), 0f);
        assertEquals(0, cli("sample", "--run", run.toString(), "--steps", "8", "--n", "4", "--seed", "6",
                "--out", dir.resolve("g.png").toString(), "--npy", c.toString()).code());
        assertFalse(java.util.Arrays.equals(Npy.read(a).toFloats(), Npy.read(c).toFloats()), "another seed, other samples");
        assertTrue(Files.size(dir.resolve("g.png")) > 0);
    }

    @Test
    void ddimWithEtaZeroIsDeterministicAndWritesTheProgressiveStrip() throws Exception {
        Path a = dir.resolve("d1.npy"), b = dir.resolve("d2.npy"), strip = dir.resolve("strip.png");
        Result r = cli("sample", "--run", run.toString(), "--sampler", "ddim", "--eta", "0", "--respace", "ddim10", "--n", "3",
                "--seed", "9", "--out", dir.resolve("d.png").toString(), "--npy", a.toString(), "--progressive", strip.toString(),
                "--frames", "4", "--scale", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(0, cli("sample", "--run", run.toString(), "--sampler", "ddim", "--respace", "ddim10", "--n", "3", "--seed", "9",
                "--out", dir.resolve("d.png").toString(), "--npy", b.toString()).code());
        assertArrayEquals(Npy.read(a).toFloats(), Npy.read(b).toFloats(), 0f);
        BufferedImage s = ImageIO.read(strip.toFile());
        // 3 images x (x_t row + x_0 row), 4 frames of 8 px with 2 px gaps
        assertEquals(4 * 10 + 2, s.getWidth());
        assertEquals(6 * 10 + 2, s.getHeight());
    }

    @Test
    void exportedEmaWeightsImportIntoARunThatSamplesTheSame() throws Exception {
        Path w = dir.resolve("w.npz");
        Result e = cli("export-weights", "--run", run.toString(), "--ema", "0.99", "--out", w.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, NpyArray> weights = Npz.read(w);
        assertTrue(weights.containsKey("time_embed.0.weight") && weights.containsKey("out.2.weight"), weights.keySet().toString());
        Path imported = dir.resolve("imported");
        Result i = cli("import-weights", "--weights", w.toString(), "--config", run.resolve("config.json").toString(), "--out", imported.toString());
        assertEquals(0, i.code(), i.err());
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        assertEquals(0, cli("sample", "--run", run.toString(), "--ema", "0.99", "--sampler", "ddim", "--steps", "5", "--n", "2",
                "--out", dir.resolve("x.png").toString(), "--npy", x.toString()).code());
        assertEquals(0, cli("sample", "--run", imported.toString(), "--sampler", "ddim", "--steps", "5", "--n", "2",
                "--out", dir.resolve("y.png").toString(), "--npy", y.toString()).code());
        assertArrayEquals(Npy.read(x).toFloats(), Npy.read(y).toFloats(), 0f);
        // a plain weights file is not a checkpoint: one line pointing at import-weights
        assertOneLineError(cli("sample", "--checkpoint", w.toString(), "--out", dir.resolve("z.png").toString()), "import-weights");
        Result info = cli("info", w.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("plain state_dict"), info.out());
    }

    @Test
    void aPackagedModelFolderSamplesLikeItsRun() throws Exception {
        Path folder = dir.resolve("packaged");
        Result p = cli("package-model", "--run", run.toString(), "--ema", "0.9", "--out", folder.toString());
        assertEquals(0, p.code(), p.err());
        for (String f : List.of("config.json", "weights.npz", "model.json", "metrics.csv", "loss.png")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        }
        assertFalse(Npz.read(folder.resolve("weights.npz")).keySet().stream().anyMatch(k -> k.startsWith("opt/") || k.startsWith("ema/")),
                "one plain state dict, no optimizer state");
        Path x = dir.resolve("m1.npy"), y = dir.resolve("m2.npy");
        assertEquals(0, cli("sample", "--run", run.toString(), "--ema", "0.9", "--sampler", "ddim", "--steps", "4", "--n", "2",
                "--out", dir.resolve("m1.png").toString(), "--npy", x.toString()).code());
        Result m = cli("sample", "--model", folder.toString(), "--sampler", "ddim", "--steps", "4", "--n", "2",
                "--out", dir.resolve("m2.png").toString(), "--npy", y.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("ema 0.9"), m.out());
        assertArrayEquals(Npy.read(x).toFloats(), Npy.read(y).toFloats(), 0f);
        assertOneLineError(cli("sample", "--model", dir.resolve("nowhere").toString(), "--out", dir.resolve("m3.png").toString()),
                "no bundled model or model folder");
        assertOneLineError(cli("sample", "--model", folder.toString(), "--ema", "0.9", "--out", dir.resolve("m3.png").toString()),
                "ema");
    }

    @Test
    void badInputEndsInOneLineAndExitCode2() throws Exception {
        Path out = dir.resolve("never");
        assertOneLineError(cli("train", "--preset", "tiny", "--data", dir.resolve("no-such-folder").toString(), "--steps", "1",
                "--out", out.toString()), "no such folder");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(config).replace("\"lr\" : 0.001", "\"lr\" : -1"));
        assertOneLineError(cli("train", "--config", bad.toString(), "--steps", "1", "--out", out.toString()), "training.lr");
        Files.writeString(bad, Files.readString(config).replace("\"model_channels\" : 32", "\"model_channels\" : 30"));
        assertOneLineError(cli("train", "--config", bad.toString(), "--steps", "1", "--out", out.toString()), "model.model_channels");
        assertOneLineError(cli("train", "--preset", "nope", "--steps", "1", "--out", out.toString()), "unknown preset");
        assertOneLineError(cli("train", "--config", config.toString(), "--steps", "1", "--out", run.toString()), "--resume");
        Files.writeString(bad, Files.readString(config).replace("\"seed\" : 0", "\"seed\" : 1"));
        assertOneLineError(cli("train", "--config", bad.toString(), "--steps", "4", "--resume", run.toString()), "training.seed");
        assertOneLineError(cli("sample", "--run", run.toString(), "--ema", "0.5", "--out", dir.resolve("q.png").toString()), "0.9, 0.99");
        assertOneLineError(cli("sample", "--run", run.toString(), "--respace", "ddim99", "--out", dir.resolve("q.png").toString()), "respace");
        assertOneLineError(cli("sample", "--run", dir.resolve("img").toString(), "--out", dir.resolve("q.png").toString()), "not a run folder");
        assertOneLineError(cli("sample", "--out", dir.resolve("q.png").toString()), "--run");
        assertFalse(Files.exists(out), "no run folder left behind by refused commands");
    }

    @Test
    void resumeContinuesACopyOfTheRunToTheRequestedStep() throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy.resolve("checkpoints"));
        try (var files = Files.walk(run)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) Files.copy(p, copy.resolve(run.relativize(p)));
        }
        Result r = cli("train", "--resume", copy.toString(), "--steps", "4", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("completed step 4"), r.out());
        Result again = cli("train", "--resume", copy.toString(), "--steps", "4", "--quiet");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already at step 4"), again.out());
        // --lr may change on resume since issue 19 (RunFolderGuardsCliTest); what a checkpoint depends on may not
        assertOneLineError(cli("train", "--resume", copy.toString(), "--steps", "5", "--seed", "3"), "--resume keeps the run's data");
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : List.of("train", "sample", "info", "import-weights", "export-weights")) {
            Result r = cli(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: diffusion " + c), r.out());
        }
    }
}
