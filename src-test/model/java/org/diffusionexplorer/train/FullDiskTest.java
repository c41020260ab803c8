package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while a checkpoint is written (simulated: the write fails with ENOSPC after
 * 4 KB, as the kernel would): the run stops with one message naming the step, saying the disk is
 * full and that the previous checkpoint is intact; that checkpoint still loads, no partial file
 * is left, and once there is space again the run resumes from it.
 */
class FullDiskTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    @AfterEach
    void diskHasSpaceAgain() {
        AtomicFiles.simulateFullDisk(null);
    }

    @Test
    void aFullDiskWhileSavingKeepsThePreviousCheckpointAndSaysSo() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        Path dir = tmp.resolve("run");
        byte[] before;
        try (TrainingRun run = RunOpening.create(dir, TinyRuns.config(data, 2))) {
            assertEquals(RunStatus.COMPLETED, run.train(2, null).status());
            before = Files.readAllBytes(new CheckpointStore(dir, 3).fileFor(2));
            List<String> errors = new ArrayList<>();
            run.addListener(new TrainingListener() {
                @Override
                public void onError(String message, Throwable cause) {
                    errors.add(message);
                }
            });
            AtomicFiles.simulateFullDisk(p -> p.getFileName().toString().startsWith("step-"));
            RunException e = assertThrows(RunException.class, () -> run.train(6, null));
            String msg = e.getMessage();
            assertTrue(msg.startsWith("training stopped at step 4: could not save the checkpoint of step 4 (disk full)"), msg);
            assertTrue(msg.contains("the last checkpoint (step 2) is intact") && msg.contains("--resume " + dir), msg);
            assertEquals(1, msg.lines().count(), msg);
            assertEquals(List.of(msg), errors);
            assertEquals(RunStatus.FAILED, run.status());
        }
        CheckpointStore store = new CheckpointStore(dir, 3);
        assertEquals(List.of(store.fileFor(2)), store.list());
        assertArrayEquals(before, Files.readAllBytes(store.fileFor(2)), "the previous checkpoint is byte for byte intact");
        assertEquals(2, Checkpoint.read(store.fileFor(2)).step());
        try (Stream<Path> s = Files.list(store.dir())) {
            assertEquals(0, s.filter(p -> p.toString().endsWith(".tmp")).count(), "no partial file is left");
        }

        AtomicFiles.simulateFullDisk(null);
        try (TrainingRun again = RunOpening.resume(dir, null, w -> {})) {
            assertEquals(2, again.step());
            assertEquals(RunStatus.COMPLETED, again.train(4, null).status());
        }
        assertEquals(4, store.latest(w -> {}).orElseThrow().step());
    }
}
