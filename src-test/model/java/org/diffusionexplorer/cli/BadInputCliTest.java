package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6's bad inputs through the commands a user types: every one ends in exit code 2 and one
 * line naming the file or field, no stack trace, and no half-made run folder; images beside bad
 * ones are still used and the skipped ones are counted.
 */
class BadInputCliTest {
    @TempDir
    static Path dir;
    static Path good, config, weights, checkpoint;
    static final ObjectMapper JSON = new ObjectMapper();

    static void png(Path file, int value) throws Exception {
        BufferedImage im = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 10; x++) im.getRaster().setSample(x, y, 0, (value + x * y) & 0xff);
        Files.createDirectories(file.getParent());
        ImageIO.write(im, "png", file.toFile());
    }

    @BeforeAll
    static void files() throws Exception {
        good = dir.resolve("good");
        for (int i = 0; i < 4; i++) png(good.resolve("g" + i + ".png"), 40 * i);
        RunConfig tiny = RunConfig.tiny();
        TrainingSettings t = tiny.training().with(4, 1e-3, java.util.List.of(0.99), true, 1, 1, 0);
        config = dir.resolve("tiny.json");
        Files.writeString(config, tiny.withTraining(t).withData(tiny.data().withDataDir(good.toString())).toJson());
        weights = dir.resolve("w.npz");
        RunCommandsTest.Result e = cli("export-weights", "--config", config.toString(), "--seed", "3", "--out", weights.toString());
        assertEquals(0, e.code(), e.err());
        checkpoint = dir.resolve("imported.ckpt.npz");
        RunCommandsTest.Result i = cli("import-weights", "--weights", weights.toString(), "--config", config.toString(),
                "--out", checkpoint.toString());
        assertEquals(0, i.code(), i.err());
    }

    // ---------------------------------------------------------------- train --data

    static Stream<Arguments> unusableFolders() {
        return Stream.of(
                Arguments.of("empty folder", (Setup) d -> {}, "no .jpg, .jpeg, .png or .gif files"),
                Arguments.of("folder without images", (Setup) d -> Files.writeString(d.resolve("notes.txt"), "x"), "no .jpg"),
                Arguments.of("only broken images", (Setup) d -> {
                    Files.createFile(d.resolve("zero.png"));
                    Files.writeString(d.resolve("text.png"), "not a picture");
                }, "no readable image"));
    }

    interface Setup {
        void in(Path folder) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableFolders")
    void trainOnAnUnusableFolder(String kind, Setup setup, String reason) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("data " + kind));
        setup.in(folder);
        Path out = dir.resolve("run-" + kind.replace(' ', '-'));
        assertOneLineError(cli("train", "--preset", "tiny", "--data", folder.toString(), "--steps", "1", "--out", out.toString()),
                reason, folder.toString());
        assertFalse(Files.exists(out), kind + ": no run folder is left behind");
    }

    @Test
    void trainOnAMissingFolderOrAFile() {
        Path missing = dir.resolve("no such");
        assertOneLineError(cli("train", "--preset", "tiny", "--data", missing.toString(), "--steps", "1",
                "--out", dir.resolve("r1").toString()), "no such folder", missing.toString());
        assertOneLineError(cli("train", "--preset", "tiny", "--data", config.toString(), "--steps", "1",
                "--out", dir.resolve("r2").toString()), "no such folder", config.toString());
    }

    @Test
    void trainOnAnUnreadableFolder() throws Exception {
        assumeFalse(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "running as root: permissions do not stop root, so this case cannot be exercised here");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        png(locked.resolve("sub/a.png"), 1);
        Files.setPosixFilePermissions(locked.resolve("sub"), PosixFilePermissions.fromString("---------"));
        try {
            assertOneLineError(cli("train", "--preset", "tiny", "--data", locked.toString(), "--steps", "1",
                    "--out", dir.resolve("r3").toString()), "permission denied");
        } finally {
            Files.setPosixFilePermissions(locked.resolve("sub"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void goodImagesBesideBadOnesAreUsedAndTheBadOnesCounted() throws Exception {
        Path mixed = dir.resolve("mixed");
        png(mixed.resolve("a good one.png"), 10);
        png(mixed.resolve("ünïcødé_2.png"), 90);
        png(mixed.resolve("sub folder/b_3.png"), 150);
        png(mixed.resolve("sub folder/c_4.png"), 200);
        Files.createFile(mixed.resolve("zero.png"));
        Files.writeString(mixed.resolve("text.png"), "not a picture", StandardCharsets.UTF_8);
        byte[] full = Files.readAllBytes(good.resolve("g3.png"));
        Files.write(mixed.resolve("cut.png"), Arrays.copyOf(full, full.length / 2));
        Files.write(mixed.resolve("head.gif"), new byte[] {'G', 'I', 'F', '8', '9', 'a'});
        Path out = dir.resolve("mixed-run");
        RunCommandsTest.Result r = cli("train", "--preset", "tiny", "--data", mixed.toString(), "--steps", "2", "--out", out.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("completed step 2"), r.out());
        // two warnings: the header check at open (3 files), then the cut file found while decoding
        assertTrue(r.err().contains("warning: " + mixed + ": 5 images, 3 skipped"), r.err());
        assertTrue(r.err().contains("warning: " + mixed + ": 4 images, 4 skipped"), r.err());
        for (String f : new String[] {"zero.png: empty file", "text.png: not a PNG", "head.gif: ", "cut.png: corrupt or truncated"}) {
            assertTrue(r.err().contains("skipped " + f), f + " in:\n" + r.err());
        }
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    // ---------------------------------------------------------------- train --config

    static Stream<Arguments> invalidFields() {
        Object[][] cases = {
            {"model.image_size", 7}, {"model.in_channels", 0}, {"model.model_channels", 48}, {"model.out_channels", 3},
            {"model.num_res_blocks", 0}, {"model.attention_resolutions", "[3]"}, {"model.dropout", 1.0}, {"model.channel_mult", "[]"},
            {"model.conv_resample", "\"yes\""}, {"model.num_classes", -1}, {"model.num_heads", 0}, {"model.num_heads_upsample", 0},
            {"model.use_scale_shift_norm", 1}, {"model.dims", 3}, {"model.use_checkpoint", true}, {"model.unknown_key", 1},
            {"diffusion.diffusion_steps", 0}, {"diffusion.noise_schedule", "\"sqrt\""}, {"diffusion.learn_sigma", "\"maybe\""},
            {"diffusion.sigma_small", 2}, {"diffusion.use_kl", "[]"}, {"diffusion.predict_xstart", "\"no\""},
            {"diffusion.rescale_timesteps", 0}, {"diffusion.rescale_learned_sigmas", "{}"}, {"diffusion.timestep_respacing", "\"ddim7000\""},
            {"training.lr", 0}, {"training.weight_decay", -1}, {"training.lr_anneal_steps", -5}, {"training.batch_size", 0},
            {"training.microbatch", 99}, {"training.ema_rate", 1.5}, {"training.ema_warmup", "\"x\""},
            {"training.schedule_sampler", "\"importance\""}, {"training.log_interval", 0}, {"training.save_interval", 0},
            {"training.sample_interval", -1}, {"training.sample_count", 0}, {"training.sample_steps", 0},
            {"training.keep_checkpoints", 0}, {"training.seed", 1.5}, {"training.class_cond", "\"maybe\""},
            {"data.data_dir", 5}, {"data.image_size", 16}, {"data.channels", 2}, {"extra_section", "{}"},
        };
        return Arrays.stream(cases).map(c -> Arguments.of(c[0], String.valueOf(c[1])));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFields")
    void trainWithAnInvalidField(String field, String value) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(config));
        String[] path = field.split("\\.");
        JsonNode v = JSON.readTree(value);
        if (path.length == 1) root.set(path[0], v);
        else ((ObjectNode) root.get(path[0])).set(path[1], v);
        Path bad = dir.resolve("bad-" + field + ".json");
        Files.writeString(bad, root.toString());
        Path out = dir.resolve("never");
        assertOneLineError(cli("train", "--config", bad.toString(), "--steps", "1", "--out", out.toString()), field);
        assertFalse(Files.exists(out));
    }

    @Test
    void trainWithAConfigThatIsNotOne() throws Exception {
        Path f = dir.resolve("broken.json");
        for (String text : new String[] {"", "{\"model\": ", "[1, 2]", "\u0000\u0001binary", "{}", "{\"model\": 5}"}) {
            Files.writeString(f, text);
            RunCommandsTest.Result r = cli("train", "--config", f.toString(), "--steps", "1", "--out", dir.resolve("never").toString());
            assertOneLineError(r);
            assertTrue(r.err().contains("config") || r.err().contains("model"), r.err());
        }
        assertOneLineError(cli("train", "--config", dir.resolve("absent.json").toString(), "--steps", "1", "--out",
                dir.resolve("never").toString()), "absent.json", "does not exist");
    }

    // ---------------------------------------------------------------- import-weights

    static Map<String, NpyArray> goodWeights() throws Exception {
        return new LinkedHashMap<>(Npz.read(weights));
    }

    interface Edit {
        void apply(Map<String, NpyArray> w) throws Exception;
    }

    static Stream<Arguments> badWeights() {
        return Stream.of(
                Arguments.of("missing key", (Edit) w -> w.remove("out.2.bias"), "1 missing: out.2.bias"),
                Arguments.of("unexpected key", (Edit) w -> w.put("label_emb.weight", NpyArray.of(new float[] {1, 2}, 1, 2)),
                        "1 unexpected: label_emb.weight"),
                Arguments.of("misshaped key", (Edit) w -> w.put("out.2.bias", NpyArray.of(new float[] {1, 2}, 2)),
                        "out.2.bias: got [2], expected [1]"),
                Arguments.of("integer dtype", (Edit) w -> w.put("out.2.bias", NpyArray.of(new long[] {1}, 1)), "wrong dtype"),
                Arguments.of("all three at once", (Edit) w -> {
                    w.remove("time_embed.0.weight");
                    w.put("extra", NpyArray.of(new float[] {1}, 1));
                    w.put("out.2.bias", NpyArray.of(new float[] {1, 2, 3}, 3));
                }, "1 missing: time_embed.0.weight; 1 unexpected: extra; 1 wrong shape: out.2.bias"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWeights")
    void importWeightsThatDoNotFit(String kind, Edit edit, String expected) throws Exception {
        Map<String, NpyArray> w = goodWeights();
        edit.apply(w);
        Path f = dir.resolve("bad-" + kind.replace(' ', '-') + ".npz");
        Npz.writeAtomically(f, w);
        Path out = dir.resolve("never-imported");
        assertOneLineError(cli("import-weights", "--weights", f.toString(), "--config", config.toString(), "--out", out.toString()),
                "weights do not fit the model", expected);
        assertFalse(Files.exists(out));
    }

    @Test
    void importWeightsThatAreNotWeights() throws Exception {
        byte[] full = Files.readAllBytes(weights);
        Path cut = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(full, full.length / 2));
        Path text = Files.writeString(dir.resolve("text.npz"), "hello");
        Path half = dir.resolve("half.npz");
        String header = "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }\n";
        java.io.ByteArrayOutputStream npyOut = new java.io.ByteArrayOutputStream();
        npyOut.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npyOut.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        npyOut.writeBytes(new byte[2]);
        byte[] npy = npyOut.toByteArray();
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(half))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("out.2.bias.npy"));
            zip.write(npy);
            zip.closeEntry();
        }
        for (Path f : new Path[] {cut, text, half}) {
            assertOneLineError(cli("import-weights", "--weights", f.toString(), "--config", config.toString(), "--out",
                    dir.resolve("never.npz").toString()), f.getFileName().toString());
        }
        assertOneLineError(cli("import-weights", "--weights", half.toString(), "--config", config.toString(), "--out",
                dir.resolve("never.npz").toString()), "unsupported dtype '<f2'");
        assertOneLineError(cli("import-weights", "--weights", dir.resolve("absent.npz").toString(), "--config", config.toString(),
                "--out", dir.resolve("never.npz").toString()), "absent.npz");
    }

    // ---------------------------------------------------------------- checkpoints: sample and info

    static Stream<Arguments> badCheckpoints() {
        return Stream.of(
                Arguments.of("truncated", (Maker) f -> {
                    byte[] b = Files.readAllBytes(checkpoint);
                    Files.write(f, Arrays.copyOf(b, b.length * 2 / 3));
                }, "is damaged or not a checkpoint"),
                Arguments.of("text", (Maker) f -> Files.writeString(f, "{\"step\": 3}"), "is damaged or not a checkpoint"),
                Arguments.of("plain weights", (Maker) f -> Files.copy(weights, f), "import-weights"),
                Arguments.of("foreign zip", (Maker) f -> {
                    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
                        zip.putNextEntry(new java.util.zip.ZipEntry("document.xml"));
                        zip.write("<xml/>".getBytes(StandardCharsets.UTF_8));
                    }
                }, "is damaged or not a checkpoint"),
                Arguments.of("newer format", (Maker) f -> {
                    Map<String, NpyArray> all = new LinkedHashMap<>(Npz.read(checkpoint));
                    ObjectNode meta = (ObjectNode) JSON.readTree(all.get("meta").toBytes());
                    all.put("meta", NpyArray.ofBytes(meta.put("version", 99).toString().getBytes(StandardCharsets.UTF_8)));
                    Npz.writeAtomically(f, all);
                }, "newer version"),
                Arguments.of("misshaped tensor", (Maker) f -> rewrite(f, c -> {
                    Map<String, NpyArray> m = new LinkedHashMap<>(c.model());
                    m.put("out.2.bias", NpyArray.of(new float[] {1, 2}, 2));
                    return new Checkpoint(c.meta(), m, c.ema(), c.optimizer());
                }), "out.2.bias: got [2], expected [1]"));
    }

    interface Maker {
        void make(Path file) throws Exception;
    }

    static void rewrite(Path f, java.util.function.UnaryOperator<Checkpoint> change) throws Exception {
        change.apply(Checkpoint.read(checkpoint)).write(f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCheckpoints")
    void sampleAndInfoOfABadCheckpoint(String kind, Maker maker, String expected) throws Exception {
        Path f = dir.resolve("bad " + kind + ".ckpt.npz");
        maker.make(f);
        Path png = dir.resolve("never.png");
        assertOneLineError(cli("sample", "--checkpoint", f.toString(), "--steps", "2", "--n", "1", "--out", png.toString()), expected);
        assertFalse(Files.exists(png));
        if (!kind.equals("plain weights") && !kind.equals("misshaped tensor")) { // info reads those: it shows what is there
            assertOneLineError(cli("info", f.toString()), expected);
        }
    }

    @Test
    void aRunFolderFromADifferentConfig() throws Exception {
        Path run = dir.resolve("other-run");
        assertEquals(0, cli("import-weights", "--weights", weights.toString(), "--config", config.toString(), "--out", run.toString()).code());
        // its config.json edited (or a checkpoint copied in from another run): the two disagree
        ObjectNode cfg = (ObjectNode) JSON.readTree(Files.readString(run.resolve("config.json")));
        ((ObjectNode) cfg.get("training")).put("lr", 0.5);
        Files.writeString(run.resolve("config.json"), cfg.toString());
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "2"), "belongs to a different run", "training.lr");
        assertOneLineError(cli("sample", "--run", run.toString(), "--out", dir.resolve("never.png").toString()),
                "belongs to a different run", "training.lr");
        // and a --config that differs from the run's
        assertOneLineError(cli("train", "--resume", run.toString(), "--config", config.toString(), "--steps", "2"),
                "another configuration", "training.lr");
        // a damaged config.json
        Files.writeString(run.resolve("config.json"), "{\"model\": {");
        assertOneLineError(cli("info", run.toString()), "config");
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "2"), "config");
        assertOneLineError(cli("info", dir.resolve("nothing here").toString()), "nothing here");
        assertOneLineError(cli("info", good.toString()), "not a run folder");
    }
}
