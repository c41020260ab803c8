package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's question "is a writer on this run?" is answered without taking the lock or writing a byte. */
class RunLockWriterTest {
    @TempDir
    Path dir;

    @Test
    void aHeldLockIsSeenAndTheProbeLeavesTheLockFileAsItWas() throws Exception {
        assertFalse(RunLock.heldByWriter(dir), "no lock file: no writer");
        FileTime modified;
        long size;
        try (RunLock lock = RunLock.acquire(dir)) {
            // only stat here: opening and closing the lock file in the process that holds the lock would drop
            // the lock (POSIX record locks belong to the process, and any close releases them)
            modified = Files.getLastModifiedTime(dir.resolve(RunLock.FILE));
            size = Files.size(dir.resolve(RunLock.FILE));
            for (int i = 0; i < 3; i++) assertTrue(RunLock.heldByWriter(dir), "the writer's lock is seen");
            assertEquals(modified, Files.getLastModifiedTime(dir.resolve(RunLock.FILE)), "the probe wrote nothing");
            assertEquals(size, Files.size(dir.resolve(RunLock.FILE)));
        }
        assertFalse(RunLock.heldByWriter(dir), "released when the writer closed the run");
        assertArrayEquals((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Files.readAllBytes(dir.resolve(RunLock.FILE)), "the pid in .lock is the writer's");
        // and after the probe a new writer takes the lock as usual
        try (RunLock again = RunLock.acquire(dir)) {
            assertTrue(RunLock.heldByWriter(dir));
        }
    }
}
