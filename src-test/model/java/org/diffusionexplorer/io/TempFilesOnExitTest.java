package org.diffusionexplorer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM inside an atomic write gets SIGTERM or SIGINT: its temporary file is gone when it
 * has exited. After kill -9 the leftover stays, and the next write into that folder removes it.
 */
class TempFilesOnExitTest {
    @TempDir
    Path dir;

    @Test
    void sigtermRemovesTheTemporaryFile() throws Exception {
        assertEquals(List.of(), afterSignal("TERM"));
    }

    @Test
    void sigintRemovesTheTemporaryFile() throws Exception {
        assertEquals(List.of(), afterSignal("INT"));
    }

    @Test
    void aKill9LeftoverIsRemovedByTheNextWriteThere() throws Exception {
        List<String> left = afterSignal("KILL");
        assertEquals(1, left.size(), "kill -9 runs no cleanup: " + left);
        AtomicFiles.writeString(dir.resolve("other.txt"), "next start");
        assertEquals(List.of(), temps());
    }

    /** Temporary files left in the folder after the child got the signal inside its write. */
    private List<String> afterSignal(String signal) throws Exception {
        Path target = dir.resolve("x.png");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(),
                target.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("writing", r.readLine());
            assertEquals(1, temps().size(), "the write is under way in a temporary file");
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child exits on SIG" + signal);
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(target), "the interrupted write never reached the target");
        return temps();
    }

    private List<String> temps() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(AtomicFiles::isTempName).toList();
        }
    }
}
