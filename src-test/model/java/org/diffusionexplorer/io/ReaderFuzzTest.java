package org.diffusionexplorer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointException;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bytes and mutated valid files (bit flips, cuts, splices, forged headers) fed to the .npy,
 * .npz and checkpoint readers. Each case must either read or fail with the project's own exception
 * carrying a message, and may allocate at most {@link #ALLOCATION_LIMIT} bytes: a forged shape must
 * never make a reader reserve memory the file does not hold. Seeded: a failure names its case.
 * PyTorch .pt files (issue 18) go through the same checks: the whole file mutated, and the pickle
 * alone mutated among intact storages so that the restricted unpickler itself is exercised.
 */
class ReaderFuzzTest {
    static final long SEED = 20261127L;
    /** Inputs are a few KB; a reader that allocates more than this trusted a declared size. */
    static final long ALLOCATION_LIMIT = 32L << 20;

    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What a reader does with one input; throws only the exceptions it is allowed to. */
    interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** Runs one case: any Throwable other than the allowed types (or one without a message) fails the test. */
    static void check(String label, byte[] input, Reader reader, List<Class<? extends Throwable>> allowed) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            reader.read(input);
        } catch (Throwable t) {
            if (allowed.stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError(label + ": unexpected " + t, t);
            }
            assertNotNull(t.getMessage(), label + ": " + t.getClass().getSimpleName() + " without a message");
            assertTrue(!t.getMessage().isBlank(), label + ": empty message");
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_LIMIT, label + ": allocated " + (allocated >> 20) + " MB for " + input.length + " bytes of input");
    }

    // ---------------------------------------------------------------- mutations

    static byte[] mutate(byte[] valid, SplittableRandom rnd) {
        byte[] b = valid.clone();
        switch (rnd.nextInt(6)) {
            case 0: { // flip 1..8 bits
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 1: // cut
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2: { // overwrite a run with random bytes
                int at = rnd.nextInt(b.length), len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                for (int i = 0; i < len; i++) b[at + i] = (byte) rnd.nextInt(256);
                return b;
            }
            case 3: { // delete a run
                int at = rnd.nextInt(b.length), len = Math.min(b.length - at, 1 + rnd.nextInt(32));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 4: { // duplicate a run (splice)
                int at = rnd.nextInt(b.length), len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            default: { // extreme values at a random 4-byte position (lengths, sizes, offsets)
                int at = rnd.nextInt(Math.max(1, b.length - 3));
                int v = rnd.nextBoolean() ? -1 : rnd.nextBoolean() ? Integer.MAX_VALUE : 0x7fff_0000;
                for (int i = 0; i < 4 && at + i < b.length; i++) b[at + i] = (byte) (v >>> (8 * i));
                return b;
            }
        }
    }

    static byte[] randomBytes(SplittableRandom rnd, byte[] prefix) {
        byte[] b = new byte[rnd.nextInt(400)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(256);
        if (prefix != null && rnd.nextBoolean()) System.arraycopy(prefix, 0, b, 0, Math.min(prefix.length, b.length));
        return b;
    }

    static byte[] npy(NpyArray a) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    /** A version 1.0 .npy with this header dictionary and these data bytes. */
    static byte[] npyWithHeader(String dict, byte[] data) {
        String header = dict + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.writeBytes(new byte[] {(byte) header.length(), (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static final List<Class<? extends Throwable>> NPY_ERRORS = List.of(NpyFormatException.class);

    private static List<byte[]> validNpys() throws Exception {
        return List.of(
                npy(NpyArray.of(new float[] {1, -2, 3.5f, 4, 5, 6}, 2, 3)),
                npy(NpyArray.of(new long[] {7, 8, 9})),
                npy(NpyArray.of(new double[] {Math.PI}, 1, 1, 1)),
                npy(NpyArray.ofBytes("{\"step\": 3}".getBytes(StandardCharsets.UTF_8))));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void npyStreamsOfRandomAndMutatedBytes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<byte[]> valid = validNpys();
        byte[] magic = Arrays.copyOf(valid.get(0), 10);
        for (int i = 0; i < 2000; i++) {
            byte[] in = i % 4 == 0 ? randomBytes(rnd, magic) : mutate(valid.get(i % valid.size()), rnd);
            check("npy case " + i, in, b -> Npy.read(new ByteArrayInputStream(b), "fuzz.npy").toDoubles(), NPY_ERRORS);
        }
    }

    @Test
    void forgedNpyHeadersAreRejectedBeforeAllocating() {
        String[] shapes = {"(1000000, 1000000)", "(1000000000000,)", "(4611686018427387904,)", "(-1,)", "(99999999999999999999,)",
            "(2, -3)", "(3,", "()", "(250000000,)", "(16384, 16384)", "(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)"};
        String[] dtypes = {"<f4", "<f8", "<i8", "|u1", "<f2", ">f4", "|O", "<U10", "<c16", "", "<f4' 'x"};
        int n = 0;
        for (String shape : shapes) {
            for (String dtype : dtypes) {
                for (String fortran : new String[] {"False", "True"}) {
                    String dict = "{'descr': '" + dtype + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
                    byte[] in = npyWithHeader(dict, new byte[24]);
                    check(dict, in, b -> Npy.read(new ByteArrayInputStream(b), "forged.npy").toDoubles(), NPY_ERRORS);
                    n++;
                }
            }
        }
        assertEquals(shapes.length * dtypes.length * 2, n);
        // the brief's case: 10^12 elements are refused by the header check, naming the file
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(new ByteArrayInputStream(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[8])), "big.npy"));
        assertTrue(e.getMessage().startsWith("big.npy: ") && e.getMessage().contains("larger than"), e.getMessage());
        // below the limit but absent: a truncation error, not an 800 MB buffer
        e = assertThrows(NpyFormatException.class, () -> Npy.read(new ByteArrayInputStream(
                npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (200000000,), }", new byte[8])), "cut.npy"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // an unsupported dtype names the file too
        e = assertThrows(NpyFormatException.class, () -> Npy.read(new ByteArrayInputStream(
                npyWithHeader("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new byte[4])), "half.npy"));
        assertTrue(e.getMessage().startsWith("half.npy: ") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void npzArchivesFromStreamsAndFiles() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("input_blocks.0.0.weight", NpyArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 2, 2));
        arrays.put("out.2.bias", NpyArray.of(new float[] {0.5f, -0.5f}, 2));
        arrays.put("steps", NpyArray.of(new long[] {1, 2, 3}));
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        Npz.write(deflated, arrays);
        byte[] stored = storedZip("w.npy", npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[16]));
        byte[][] valid = {deflated.toByteArray(), stored};
        byte[] pk = {'P', 'K', 3, 4};
        Path f = dir.resolve("fuzz.npz");
        for (int i = 0; i < 1500; i++) {
            byte[] in = i % 5 == 0 ? randomBytes(rnd, pk) : mutate(valid[i % 2], rnd);
            check("npz stream case " + i, in, b -> Npz.read(new ByteArrayInputStream(b), "fuzz.npz").values().forEach(NpyArray::toDoubles),
                    NPY_ERRORS);
            if (i % 3 == 0) { // the file reader goes through the central directory: other code, other failures
                Files.write(f, in);
                check("npz file case " + i, in, b -> Npz.read(f).values().forEach(NpyArray::toDoubles), NPY_ERRORS);
            }
        }
        // a stored entry whose header declares 1 GB of float32 in a 200-byte file
        byte[] bomb = storedZip("big.npy", npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (250000000,), }", new byte[64]));
        Files.write(f, bomb);
        check("declared 1 GB entry (file)", bomb, b -> Npz.read(f), NPY_ERRORS);
        check("declared 1 GB entry (stream)", bomb, b -> Npz.read(new ByteArrayInputStream(b), "big.npz"), NPY_ERRORS);
    }

    @Test
    void checkpointFilesOfMutatedBytes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        Path good = dir.resolve("good.ckpt.npz");
        var meta = Checkpoint.newMeta(12).put("adam_step", 12);
        meta.putObject("config").put("lr", 1e-4);
        new Checkpoint(meta, Map.of("out.2.weight", NpyArray.of(new float[] {1, 2, 3, 4}, 2, 2)),
                Map.of("0.99", Map.of("out.2.weight", NpyArray.of(new float[] {1, 1, 1, 1}, 2, 2))),
                Map.of("exp_avg/out.2.weight", NpyArray.of(new float[] {0, 0, 0, 0}, 2, 2))).write(good);
        byte[] valid = Files.readAllBytes(good);
        Path f = dir.resolve("step-00000012.ckpt.npz");
        int read = 0;
        for (int i = 0; i < 600; i++) {
            byte[] in = mutate(valid, rnd);
            Files.write(f, in);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                Checkpoint c = Checkpoint.read(f);
                c.model().values().forEach(NpyArray::toDoubles);
                read++;
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith(f.getFileName().toString()), "case " + i + ": message names the file: " + e.getMessage());
            } catch (Throwable t) {
                fail("checkpoint case " + i + ": unexpected " + t, t);
            }
            assertTrue(THREADS.getCurrentThreadAllocatedBytes() - before < ALLOCATION_LIMIT, "checkpoint case " + i + " allocated too much");
        }
        assertTrue(read < 600, "some mutations must be detected");
    }

    /** The entries of a fixture .pt, to put a mutated pickle back among its real storages. */
    static Map<String, byte[]> entries(Path pt) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipFile(pt.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) out.put(e.getName(), zip.getInputStream(e).readAllBytes());
        }
        return out;
    }

    @Test
    void torchFilesOfMutatedBytes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        Path f = dir.resolve("fuzz.pt");
        List<byte[]> valid = new java.util.ArrayList<>();
        for (String name : List.of("dtypes.pt", "cuda_saved.pt", "evil_os_system.pt", "legacy.pt")) {
            valid.add(Files.readAllBytes(Golden.torch(name)));
        }
        int read = 0;
        for (int i = 0; i < 1200; i++) {
            byte[] in = i % 6 == 0 ? randomBytes(rnd, new byte[] {'P', 'K', 3, 4}) : mutate(valid.get(i % valid.size()), rnd);
            Files.write(f, in);
            boolean[] ok = {false};
            check("pt file case " + i, in, b -> {
                StateDicts.read(f).values().forEach(NpyArray::toDoubles);
                ok[0] = true;
            }, NPY_ERRORS);
            if (ok[0]) read++;
        }
        assertTrue(read < 1200, "some mutations must be detected");
    }

    /**
     * The zip layer rejects most mutated files by their structure; here only the pickle is mutated
     * and put back among the real storages, so every case reaches the unpickler and the tensor checks.
     */
    @Test
    void torchPicklesOfMutatedBytes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 4);
        Path f = dir.resolve("pickle.pt");
        int refused = 0, cases = 0;
        for (String name : List.of("dtypes.pt", "cuda_saved.pt")) {
            Map<String, byte[]> entries = entries(Golden.torch(name));
            String pklName = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
            String folder = pklName.substring(0, pklName.indexOf('/'));
            Map<String, byte[]> storages = new LinkedHashMap<>();
            entries.forEach((n, b) -> {
                if (n.startsWith(folder + "/data/")) storages.put(n.substring(folder.length() + 6), b);
            });
            byte[] pickle = entries.get(pklName);
            for (int i = 0; i < 1000; i++, cases++) {
                byte[] mutated = mutate(pickle, rnd);
                org.diffusionexplorer.io.torch.PtFiles.write(f, folder, mutated, storages);
                byte[] in = Files.readAllBytes(f);
                int[] failed = {1};
                check(name + " pickle case " + i, in, b -> {
                    StateDicts.read(f).values().forEach(NpyArray::toDoubles);
                    failed[0] = 0;
                }, NPY_ERRORS);
                refused += failed[0];
            }
        }
        assertTrue(refused > cases / 2, "most mutated pickles are refused: " + refused + " of " + cases);
    }

    static byte[] storedZip(String name, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            var e = new java.util.zip.ZipEntry(name);
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(content.length);
            e.setCompressedSize(content.length);
            var crc = new java.util.zip.CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
