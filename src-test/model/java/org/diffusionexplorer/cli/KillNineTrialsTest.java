package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code train} at seeded random moments: a child JVM trains the tiny preset with a
 * checkpoint every step and is killed (SIGKILL, no shutdown hook runs) at a random moment: after
 * the checkpoint of a random step k, plus a random fraction of one step's time (writes included). Then the run folder must hold a loadable checkpoint, {@code info} must read it,
 * {@code train --resume} must finish the run, and the final weights, EMA and AdamW state must equal
 * those of an uninterrupted run of the same seed bit for bit.
 *
 * <p>Two trials in the suite; {@code model/scripts/kill-trials.sh} runs more
 * ({@code -Dkill.trials=10}, {@code -Dkill.seed=S}).
 */
class KillNineTrialsTest {
    static final int STEPS = 8;

    @TempDir
    Path dir;

    /** One trial's facts, printed so that the script can report them. */
    record Trial(int n, int afterStep, long delayMs, long stepAtKill, int checkpointsLeft, int unfinishedWrites, boolean finishedFirst) {}

    @Test
    void killedRunsResumeToTheWeightsOfAnUninterruptedRun() throws Exception {
        int trials = Integer.getInteger("kill.trials", 2);
        long seed = Long.getLong("kill.seed", 6);
        NativeRuntime.configure();
        Path data = ChildCli.grayImages(dir.resolve("data"));
        RunConfig tiny = RunConfig.tiny();
        TrainingSettings t = tiny.training().with(4, 1e-3, List.of(0.99, 0.9), true, 1, 1, 0);
        Path config = dir.resolve("config.json");
        Files.writeString(config, tiny.withTraining(t.withSeed(11)).withData(tiny.data().withDataDir(data.toString())).toJson());

        Path reference = dir.resolve("uninterrupted");
        RunCommandsTest.Result r = cli("train", "--config", config.toString(), "--steps", Integer.toString(STEPS), "--out",
                reference.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Checkpoint expected = new CheckpointStore(reference, 3).latest(w -> {}).orElseThrow();
        assertEquals(STEPS, expected.step());

        SplittableRandom rnd = new SplittableRandom(seed);
        List<Trial> done = new ArrayList<>();
        for (int n = 1; n <= trials; n++) {
            done.add(trial(n, config, 1 + rnd.nextInt(STEPS - 3), rnd.nextDouble(), expected));
        }
        long kills = done.stream().filter(x -> !x.finishedFirst()).count();
        System.out.println("kill -9 trials: " + done.size() + " run, " + kills + " killed mid-run, all resumed exactly; "
                + "unfinished checkpoint writes found after kills: " + done.stream().mapToInt(Trial::unfinishedWrites).sum());
        assertTrue(kills >= Math.min(1, trials), "at least one trial must actually kill a running process");
    }

    private Trial trial(int n, Path config, int afterStep, double fraction, Checkpoint expected) throws Exception {
        Path run = dir.resolve("trial-" + n);
        Path log = dir.resolve("trial-" + n + ".log");
        Process p = new ProcessBuilder(childCommand(config, run)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long delayMs;
        try {
            long stepMs = waitForCheckpoint(p, run, log, afterStep);
            delayMs = (long) (fraction * stepMs);
            Thread.sleep(delayMs);
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hook, no finally block runs
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed process ended");
        }
        boolean finishedFirst = p.exitValue() == 0;

        // after the kill: every checkpoint file left reads, and there is at least one
        CheckpointStore store = new CheckpointStore(run, 3);
        List<Path> files = store.list();
        assertFalse(files.isEmpty(), "trial " + n + ": no checkpoint left");
        for (Path f : files) Checkpoint.read(f);
        long stepAtKill = store.latest(w -> fail("trial " + n + ": " + w)).orElseThrow().step();
        int unfinished;
        try (Stream<Path> s = Files.list(store.dir())) {
            unfinished = (int) s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
        }
        RunCommandsTest.Result info = cli("info", run.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("step        " + stepAtKill), info.out());

        RunCommandsTest.Result resumed = cli("train", "--resume", run.toString(), "--steps", Integer.toString(STEPS), "--quiet");
        assertEquals(0, resumed.code(), "trial " + n + ": " + resumed.err() + "\nchild log:\n" + Files.readString(log));
        Checkpoint last = store.latest(w -> fail(w)).orElseThrow();
        assertEquals(STEPS, last.step());
        assertSameState(expected, last, "trial " + n + " (killed after step " + stepAtKill + ")");
        try (Stream<Path> s = Files.list(store.dir())) {
            assertEquals(0, s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count(), "unfinished writes are cleaned up on resume");
        }
        // metrics.csv reads as if the run had never stopped: one full row per step
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(STEPS + 1, lines.size(), String.join("\n", lines));
        for (int s = 1; s <= STEPS; s++) {
            String[] cells = lines.get(s).split(",", -1);
            assertEquals(Integer.toString(s), cells[0]);
            assertEquals(MetricsLog.COLUMNS.size(), cells.length, lines.get(s));
        }
        Trial trial = new Trial(n, afterStep, delayMs, stepAtKill, files.size(), unfinished, finishedFirst);
        System.out.println("kill -9 " + trial);
        return trial;
    }

    private static List<String> childCommand(Path config, Path run) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(java.toString(), "-Xmx768m", "-Ddiffusion.threads=" + NativeRuntime.threads(),
                "-cp", System.getProperty("java.class.path"), DiffusionCli.class.getName(),
                "train", "--config", config.toString(), "--steps", Integer.toString(STEPS), "--out", run.toString(), "--quiet");
    }

    /** Waits until the checkpoint of {@code step} (or a later one) exists; returns the time its step took, in ms. */
    private static long waitForCheckpoint(Process p, Path run, Path log, int step) throws Exception {
        CheckpointStore store = new CheckpointStore(run, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        long previous = -1, seenAt = System.nanoTime(), newest = -1;
        while (newest < step) {
            if (!p.isAlive()) fail("the training process ended before step " + step + ":\n" + Files.readString(log));
            if (System.nanoTime() > deadline) fail("no checkpoint of step " + step + " after 600 s:\n" + Files.readString(log));
            List<Path> files = store.list();
            long now = files.isEmpty() ? -1 : Long.parseLong(files.get(files.size() - 1).getFileName().toString().replaceAll("\\D", ""));
            if (now != newest) {
                previous = newest < 0 ? -1 : System.nanoTime() - seenAt;
                seenAt = System.nanoTime();
                newest = now;
            }
            Thread.sleep(5);
        }
        return previous < 0 ? 500 : previous / 1_000_000;
    }

    static void assertSameState(Checkpoint a, Checkpoint b, String label) {
        assertEquals(a.meta().get("adam_step"), b.meta().get("adam_step"), label);
        assertEquals(a.meta().get("ema_updates"), b.meta().get("ema_updates"), label);
        assertSameArrays(a.model(), b.model(), label + " model");
        assertEquals(a.ema().keySet(), b.ema().keySet(), label);
        for (String rate : a.ema().keySet()) assertSameArrays(a.ema().get(rate), b.ema().get(rate), label + " ema " + rate);
        assertSameArrays(a.optimizer(), b.optimizer(), label + " optimizer");
    }

    private static void assertSameArrays(Map<String, NpyArray> a, Map<String, NpyArray> b, String label) {
        assertEquals(a.keySet(), b.keySet(), label);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), label + " " + k);
            assertEquals(0, bytes(a.get(k)).compareTo(bytes(b.get(k))), label + " " + k + " differs");
        }
    }

    private static ByteBuffer bytes(NpyArray a) {
        return a.rawData();
    }
}
