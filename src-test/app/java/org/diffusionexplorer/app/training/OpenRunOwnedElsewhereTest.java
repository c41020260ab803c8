package org.diffusionexplorer.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.train.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Open run..." refuses a run that another process (here a child JVM holding its lock) is training. */
class OpenRunOwnedElsewhereTest {
    @TempDir
    Path dir;

    @Test
    void openingARunAnotherProcessTrainsIsRefusedNamingIt() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("config.json"), RunConfig.tiny().toJson());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), HoldsRunLock.class.getName(),
                run.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("locked", r.readLine());
            assertTrue(RunLock.heldByWriter(run));
            RunException e = assertThrows(RunException.class, () -> new TrainingRuns().open(run));
            assertEquals("another process (pid " + p.pid() + ") is training " + run + "; wait for it to end or stop it, then try again",
                    e.getMessage());
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(!RunLock.heldByWriter(run), "the kernel released the lock of the killed process");
    }
}
