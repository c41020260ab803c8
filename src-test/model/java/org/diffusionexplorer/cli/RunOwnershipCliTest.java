package org.diffusionexplorer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes on one run folder: while one trains it, a second {@code train --out} and a
 * second {@code train --resume} of that folder are refused in one line and change nothing; once
 * the first has stopped, the folder resumes normally.
 */
class RunOwnershipCliTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedWhileTheFirstTrains() throws Exception {
        Path config = ChildCli.tinyConfig(dir);
        Path run = dir.resolve("R");
        Path logA = dir.resolve("a.log");
        Process a = ChildCli.start(logA, "train", "--config", config.toString(), "--steps", "100000", "--out", run.toString(), "--quiet");
        try {
            CheckpointStore store = new CheckpointStore(run, 3);
            ChildCli.awaitFile(a, store.fileFor(1), logA);
            String configBefore = Files.readString(run.resolve("config.json"));

            Path logB = dir.resolve("b.log");
            assertEquals(2, ChildCli.run(logB, "train", "--preset", "tiny", "--data", "emoji", "--seed", "5", "--steps", "3",
                    "--out", run.toString(), "--quiet"));
            assertRefusal(Files.readString(logB), run, a.pid());
            Path logC = dir.resolve("c.log");
            assertEquals(2, ChildCli.run(logC, "train", "--resume", run.toString(), "--steps", "3", "--quiet"));
            assertRefusal(Files.readString(logC), run, a.pid());
            assertEquals(configBefore, Files.readString(run.resolve("config.json")), "the refused processes wrote nothing");

            ChildCli.signal(a, "TERM");
            assertTrue(a.waitFor(120, TimeUnit.SECONDS));
        } finally {
            a.destroyForcibly();
        }
        long stopped = new CheckpointStore(run, 3).latest(w -> {}).orElseThrow().step();
        RunCommandsTest.Result r = RunCommandsTest.cli("train", "--resume", run.toString(), "--steps", Long.toString(stopped + 1), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("completed step " + (stopped + 1) + " in " + run, r.out().strip());
    }

    private static void assertRefusal(String log, Path run, long pid) {
        String last = ChildCli.lastLine(log);
        assertEquals("error: another process (pid " + pid + ") is training " + run + "; wait for it to end or stop it, then try again",
                last, log);
        assertEquals(1, log.strip().lines().count(), "one line: " + log);
    }
}
