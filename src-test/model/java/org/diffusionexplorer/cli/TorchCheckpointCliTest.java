package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.io.torch.PtFiles;
import org.diffusionexplorer.models.ReferenceCheckpoint;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.testutil.Golden;
import org.diffusionexplorer.train.RunOpening;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference-style .pt through the commands: import-weights with the flag string makes a run folder
 * that samples exactly like the same weights imported from .npz; sample --checkpoint takes a .pt
 * with its flags.txt beside it; hostile, legacy, truncated and mutated .pt files end in one line
 * and exit code 2.
 */
class TorchCheckpointCliTest {
    @TempDir
    static Path dir;
    static Path npz, pt;
    /** A small model of the reference's 32x32 family (its flags fix 3 channels and channel_mult 1,2,2,2). */
    static final String FLAGS = "--image_size 32 --num_channels 32 --num_res_blocks 1 --attention_resolutions 8 --num_heads 1"
            + " --learn_sigma True --diffusion_steps 100 --noise_schedule cosine --predict_xstart True";

    @BeforeAll
    static void weights() throws Exception {
        Path cfg = dir.resolve("flags.json");
        Files.writeString(cfg, RunConfig.fromFlags(FLAGS).toJson());
        npz = dir.resolve("w.npz");
        RunCommandsTest.Result e = cli("export-weights", "--config", cfg.toString(), "--seed", "5", "--out", npz.toString());
        assertEquals(0, e.code(), e.err());
        pt = dir.resolve("model000200.pt");
        PtFiles.writeStateDict(pt, Npz.read(npz));
    }

    @Test
    void importWeightsTakesAPtAndTheFlagStringAndTheRunSamplesLikeTheNpz() throws Exception {
        Path fromPt = dir.resolve("from-pt"), fromNpz = dir.resolve("from-npz");
        RunCommandsTest.Result a = cli("import-weights", "--weights", pt.toString(), "--flags", FLAGS, "--out", fromPt.toString());
        assertEquals(0, a.code(), a.err());
        RunCommandsTest.Result b = cli("import-weights", "--weights", npz.toString(), "--flags", FLAGS, "--out", fromNpz.toString());
        assertEquals(0, b.code(), b.err());
        // the folder opens as the explorer's Denoising pane opens a run folder (newest checkpoint, its config)
        RunWeights w = RunOpening.newestWeights(fromPt, null, s -> { });
        assertEquals(RunConfig.fromFlags(FLAGS), w.config());
        Map<String, NpyArray> want = Npz.read(npz);
        assertEquals(want.keySet(), w.weights().keySet());
        for (String k : want.keySet()) assertArrayEquals(want.get(k).toFloats(), w.weights().get(k).toFloats(), 0f, k);
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        assertEquals(0, cli("sample", "--run", fromPt.toString(), "--sampler", "ddim", "--steps", "3", "--n", "2",
                "--out", dir.resolve("x.png").toString(), "--npy", x.toString()).code());
        assertEquals(0, cli("sample", "--run", fromNpz.toString(), "--sampler", "ddim", "--steps", "3", "--n", "2",
                "--out", dir.resolve("y.png").toString(), "--npy", y.toString()).code());
        assertArrayEquals(Npy.read(y).toFloats(), Npy.read(x).toFloats(), 0f);
        // a bad flag: one line naming it, no folder
        assertOneLineError(cli("import-weights", "--weights", pt.toString(), "--flags", FLAGS + " --num_chanels 64",
                "--out", dir.resolve("nope").toString()), "--num_chanels");
        assertFalse(Files.exists(dir.resolve("nope")));
    }

    @Test
    void sampleTakesAPtWithItsFlagsBesideIt() throws Exception {
        Path server = Files.createDirectories(dir.resolve("synced-from-server"));
        Path ema = server.resolve("ema_0.9999_000200.pt");
        Files.copy(pt, ema);
        assertOneLineError(cli("sample", "--checkpoint", ema.toString(), "--out", dir.resolve("s0.png").toString()),
                ReferenceCheckpoint.FLAGS_FILE);
        Files.writeString(server.resolve(ReferenceCheckpoint.FLAGS_FILE), "MODEL_FLAGS=\"" + FLAGS + "\"\n");
        RunCommandsTest.Result s = cli("sample", "--checkpoint", ema.toString(), "--sampler", "ddim", "--steps", "2", "--n", "1",
                "--out", dir.resolve("s1.png").toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.isRegularFile(dir.resolve("s1.png")));
        RunWeights w = RunWeights.fromCheckpoint(ema, null);
        assertEquals("ema 0.9999", w.weightsName());
        assertEquals(200, w.step());
        assertOneLineError(cli("sample", "--checkpoint", ema.toString(), "--ema", "0.999", "--out", dir.resolve("s2.png").toString()),
                "ema", "one set of weights");
        RunCommandsTest.Result info = cli("info", ema.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("PyTorch state_dict"), info.out());
    }

    /** A synced copy of the reference's log folder opens like a run folder: its newest checkpoint, the EMA by default. */
    @Test
    void sampleRunTakesAFolderOfReferenceCheckpoints() throws Exception {
        Path logdir = Files.createDirectories(dir.resolve("openai-logdir"));
        for (String n : new String[] {"ema_0.9999_000100.pt", "model000100.pt", "ema_0.9999_000200.pt", "model000200.pt", "opt000200.pt"}) {
            Files.copy(pt, logdir.resolve(n));
        }
        Files.writeString(logdir.resolve("log.txt"), "creating model and diffusion...\n");
        Files.writeString(logdir.resolve(ReferenceCheckpoint.FLAGS_FILE), FLAGS);
        RunWeights w = RunOpening.newestWeights(logdir, null, s -> { });
        assertEquals("ema 0.9999", w.weightsName());
        assertEquals(200, w.step());
        assertEquals(logdir.resolve("ema_0.9999_000200.pt"), w.source());
        RunWeights m = RunOpening.newestWeights(logdir, "model", s -> { });
        assertEquals(logdir.resolve("model000200.pt"), m.source());
        RunCommandsTest.Result s = cli("sample", "--run", logdir.toString(), "--sampler", "ddim", "--steps", "2", "--n", "1",
                "--out", dir.resolve("r.png").toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("ema 0.9999, step 200"), s.out());
        assertOneLineError(cli("sample", "--run", logdir.toString(), "--ema", "0.999", "--out", dir.resolve("r2.png").toString()),
                "ema_0.999_<step>.pt", "0.9999");
    }

    @Test
    void hostileAndLegacyFilesGiveOneLine() throws Exception {
        Path marker = Path.of("pwned.marker").toAbsolutePath();
        assertOneLineError(cli("import-weights", "--weights", Golden.torch("evil_os_system.pt").toString(), "--flags", FLAGS,
                "--out", dir.resolve("evil").toString()), "posix.system", "nothing was run");
        assertFalse(Files.exists(marker), "the payload ran");
        assertOneLineError(cli("import-weights", "--weights", Golden.torch("legacy.pt").toString(), "--flags", FLAGS,
                "--out", dir.resolve("legacy").toString()), "_use_new_zipfile_serialization=True");
        assertOneLineError(cli("unet-forward", "--config", Golden.file("g1_config.json").toString(), "--weights",
                Golden.torch("whole_module.pt").toString(), "--x", Golden.file("g1_x.npy").toString(), "--t", Golden.file("g1_t.npy").toString(),
                "--out", dir.resolve("o.npy").toString()), "torch.nn.modules.linear.Linear");
    }

    @Test
    void truncatedAndMutatedPtFilesGiveOneLineAndExitCode2() throws Exception {
        byte[] valid = Files.readAllBytes(Golden.torch("cuda_saved.pt"));
        SplittableRandom rnd = new SplittableRandom(18);
        Path bad = dir.resolve("bad.pt");
        for (int i = 0; i < 60; i++) {
            byte[] in = i < 10 ? Arrays.copyOf(valid, rnd.nextInt(valid.length)) : mutate(valid, rnd);
            Files.write(bad, in);
            // every case fails: a file that still reads holds weights of another model than g1
            RunCommandsTest.Result r = cli("unet-forward", "--config", Golden.file("g1_config.json").toString(), "--weights", bad.toString(),
                    "--x", Golden.file("g1_x.npy").toString(), "--t", Golden.file("g1_t.npy").toString(), "--out", dir.resolve("o.npy").toString());
            assertOneLineError(r);
        }
    }

    private static byte[] mutate(byte[] valid, SplittableRandom rnd) {
        byte[] b = valid.clone();
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        return b;
    }
}
