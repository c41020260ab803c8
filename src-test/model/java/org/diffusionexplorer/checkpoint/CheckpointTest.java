package org.diffusionexplorer.checkpoint;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static Checkpoint sample(long step) {
        var meta = Checkpoint.newMeta(step).put("config", "{\"lr\":1e-4}");
        Map<String, NpyArray> w = Map.of("out.2.weight", NpyArray.of(new float[] {1, 2, 3, step}, 2, 2));
        return new Checkpoint(meta, w,
                Map.of("0.9999", Map.of("out.2.weight", NpyArray.of(new float[] {0, 1, 2, 3}, 2, 2)),
                        "0.999", Map.of("out.2.weight", NpyArray.of(new float[] {4, 5, 6, 7}, 2, 2))),
                Map.of("m/out.2.weight", NpyArray.of(new float[] {9, 9, 9, 9}, 2, 2), "step", NpyArray.of(new long[] {step})));
    }

    @Test
    void roundTripsEverything(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.npz");
        sample(42).write(f);
        Checkpoint back = Checkpoint.read(f);
        assertEquals(42, back.step());
        assertEquals("{\"lr\":1e-4}", back.meta().get("config").asText());
        assertArrayEquals(new float[] {1, 2, 3, 42}, back.model().get("out.2.weight").toFloats());
        assertEquals(List.of("0.999", "0.9999"), new ArrayList<>(back.ema().keySet()));
        assertArrayEquals(new float[] {4, 5, 6, 7}, back.ema().get("0.999").get("out.2.weight").toFloats());
        assertArrayEquals(new long[] {42}, back.optimizer().get("step").toLongs());
        assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(".tmp")), "temporary file left behind");
    }

    @Test
    void storeKeepsLastKAndSkipsADamagedNewest(@TempDir Path run) throws Exception {
        CheckpointStore store = new CheckpointStore(run, 2);
        for (long s : new long[] {100, 200, 300}) store.save(sample(s));
        List<Path> files = store.list();
        assertEquals(2, files.size());
        assertEquals(store.fileFor(200), files.get(0));
        // a half-written newest file (as after a crash without the rename) must not strand the run
        byte[] bytes = Files.readAllBytes(store.fileFor(300));
        Files.write(store.fileFor(300), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> warnings = new ArrayList<>();
        Checkpoint c = store.latest(warnings::add).orElseThrow();
        assertEquals(200, c.step());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("step-00000300.ckpt.npz"), warnings.get(0));
    }

    @Test
    void foreignAndTruncatedFilesGetClearMessages(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("w.npz");
        Npz.writeAtomically(weights, Map.of("out.2.weight", NpyArray.of(new float[] {1}, 1)));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(weights));
        assertTrue(e.getMessage().contains("import-weights"), e.getMessage());

        Path text = dir.resolve("t.ckpt.npz");
        Files.writeString(text, "hello");
        e = assertThrows(CheckpointException.class, () -> Checkpoint.read(text));
        assertTrue(e.getMessage().startsWith("t.ckpt.npz is damaged"), e.getMessage());
    }

    @Test
    void failedWriteLeavesPreviousFileIntact(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.npz");
        sample(1).write(f);
        byte[] before = Files.readAllBytes(f);
        IOException e = assertThrows(IOException.class,
                () -> org.diffusionexplorer.io.AtomicFiles.write(f, out -> {
                    out.write(new byte[1000]);
                    throw new IOException("No space left on device");
                }));
        assertTrue(e.getMessage().contains("disk full") && e.getMessage().contains("left intact"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(1, Files.list(dir).count(), "temporary file left behind");
    }
}
