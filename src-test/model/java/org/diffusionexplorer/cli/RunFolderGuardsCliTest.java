package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.train.ConfigHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders that are not what they should be, and the words train and the other commands use for them. */
class RunFolderGuardsCliTest {
    @TempDir
    static Path dir;
    static Path config, data;

    @BeforeAll
    static void tinyConfig() throws Exception {
        config = ChildCli.tinyConfig(dir);
        data = dir.resolve("data");
    }

    private static RunCommandsTest.Result train(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("train", "--config", config.toString(), "--quiet"));
        all.addAll(List.of(args));
        return cli(all.toArray(String[]::new));
    }

    /** A run of {@code steps} steps in a new folder {@code name}. */
    private static Path trained(String name, int steps) {
        Path run = dir.resolve(name);
        RunCommandsTest.Result r = train("--steps", Integer.toString(steps), "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        return run;
    }

    @Test
    void aRunInsideItsDataFolderIsRefused() throws Exception {
        assertOneLineError(train("--steps", "1", "--out", data.resolve("run2").toString()), "lies inside its data folder",
                data.resolve("run2").toString());
        Path link = Files.createSymbolicLink(dir.resolve("data-link"), data);
        assertOneLineError(train("--steps", "1", "--data", link.toString(), "--out", data.resolve("x/run3").toString()),
                "lies inside its data folder");
        assertFalse(Files.exists(data.resolve("run2")) || Files.exists(data.resolve("x")), "nothing was created");
    }

    @Test
    void outNamingAFileSaysItIsAFile() throws Exception {
        Path f = Files.writeString(dir.resolve("a-file"), "keep me");
        assertOneLineError(train("--steps", "1", "--out", f.toString()), f + " is a file, not a folder");
        assertEquals("keep me", Files.readString(f));
    }

    @Test
    void metricsCsvThatIsADirectoryIsNamed() throws Exception {
        Path run = trained("metrics-dir", 1);
        Files.delete(run.resolve("metrics.csv"));
        Files.createDirectory(run.resolve("metrics.csv"));
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "2", "--quiet"),
                run.resolve("metrics.csv") + " is a directory, not a file");
    }

    @Test
    void metricsCsvLinkedToAnEndlessDeviceOrAFifoIsRefused() throws Exception {
        Path run = trained("metrics-endless", 1);
        Path m = run.resolve("metrics.csv");
        for (String target : new String[] {"/dev/zero", "/dev/full"}) {
            Files.delete(m);
            Files.createSymbolicLink(m, Path.of(target));
            assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "2", "--quiet"), m + " is not a regular file");
        }
        Files.delete(m);
        assumeTrue(new ProcessBuilder("mkfifo", m.toString()).start().waitFor() == 0, "mkfifo is not available");
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "2", "--quiet"), m + " is not a regular file");
    }

    @Test
    void divergenceBeforeAnyCheckpointSaysSoAndAdvisesALowerLr() {
        Path run = dir.resolve("diverged");
        RunCommandsTest.Result r = train("--steps", "20", "--lr", "1e30", "--save-interval", "100", "--out", run.toString());
        assertEquals(1, r.code(), r.err() + r.out());
        String msg = r.out().strip();
        assertTrue(msg.startsWith("training diverged at step "), msg);
        assertTrue(msg.contains("no checkpoint was written yet; lower the learning rate (now 1.0E30)"), msg);
        assertFalse(Files.exists(run.resolve("checkpoints")), "indeed no checkpoint");
    }

    @Test
    void resumeTakesANewLrAndRecordsIt() throws Exception {
        Path run = trained("new-lr", 2);
        RunCommandsTest.Result r = cli("train", "--resume", run.toString(), "--steps", "3", "--lr", "5e-4", "--save-interval", "3",
                "--quiet");
        assertEquals(0, r.code(), r.err());
        RunConfig now = RunConfig.read(run.resolve("config.json"));
        assertEquals(5e-4, now.training().lr());
        assertEquals(3, now.training().saveInterval());
        JsonNode h = ConfigHistory.read(run.resolve(ConfigHistory.FILE));
        assertEquals(1, h.size(), h.toString());
        assertEquals(2, h.get(0).get("step").asLong());
        assertEquals("[\"training.lr: 0.001 -> 5.0E-4\",\"training.save_interval: 1 -> 3\"]", h.get(0).get("changes").toString());
        JsonNode saved = new CheckpointStore(run, 3).latest(w -> {}).orElseThrow().meta().get("config");
        assertEquals(5e-4, saved.get("training").get("lr").asDouble(), "the checkpoint of step 3 holds the new lr");
        // an older checkpoint (the lr before) still resumes, and no options means no change
        Files.delete(new CheckpointStore(run, 3).fileFor(3));
        r = cli("train", "--resume", run.toString(), "--steps", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, ConfigHistory.read(run.resolve(ConfigHistory.FILE)).size());
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "4", "--batch-size", "2"),
                "--resume keeps the run's data, batch size, EMA rates and seed", "--lr");
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(4, cfg.get("training").get("batch_size").asInt());
        // a change the history does not record (config.json edited by hand) is still refused
        ((ObjectNode) cfg.get("training")).put("lr", 0.3);
        Files.writeString(run.resolve("config.json"), cfg.toString());
        assertOneLineError(cli("train", "--resume", run.toString(), "--steps", "4", "--quiet"), "belongs to a different run", "training.lr");
    }

    @Test
    void outputsUnderProcNameThePathAndTheReason() {
        Path p = Path.of("/proc/diffusion-explorer-test.npz");
        assertOneLineError(cli("schedule", "--out", p.toString()), "could not write " + p + " (cannot create a file in /proc: ");
        Path run = Path.of("/proc/diffusion-explorer-run");
        assertOneLineError(train("--steps", "1", "--out", run.toString()), "cannot create the run folder " + run + ": ");
    }

    @Test
    void unwritableHomeAndTmpGiveOneLineNotAStackTrace() throws Exception {
        Path log = dir.resolve("native.log");
        // below a regular file no folder can exist, for root too
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Process p = ChildCli.start(log, List.of("-Duser.home=" + file.resolve("home"), "-Djava.io.tmpdir=" + file.resolve("tmp")),
                "schedule", "--out", dir.resolve("s.npz").toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(log).strip();
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("error: cannot unpack the native libraries: neither " + file.resolve("home/.javacpp/cache")), out);
        assertTrue(out.contains(file.resolve("tmp") + " (java.io.tmpdir)"), out);
    }
}
