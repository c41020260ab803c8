package org.diffusionexplorer.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @Test
    void readsGoldenArraysOfEveryDtypeUsed() {
        NpyArray x = Golden.npy("g1_x.npy");
        assertEquals(NpyArray.DType.FLOAT32, x.dtype());
        assertArrayEquals(new long[] {3, 1, 16, 16}, x.shape());
        NpyArray t = Golden.npy("g1_t.npy");
        assertEquals(NpyArray.DType.INT64, t.dtype());
        assertArrayEquals(new long[] {0, 417, 999}, t.toLongs());
        NpyArray f64 = Golden.npy("g1_out_f64.npy");
        assertEquals(NpyArray.DType.FLOAT64, f64.dtype());
        // float32 and float64 golden outputs agree to 5e-6 (golden/README.md): a byte-order slip would not.
        double[] a = Golden.npy("g1_out.npy").toDoubles(), b = f64.toDoubles();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-5);
    }

    @Test
    void readsDeflatedNpzWithReferenceNames() {
        Map<String, NpyArray> w = Golden.npz("g1_weights.npz");
        assertEquals(128, w.size());
        assertArrayEquals(new long[] {128, 32}, w.get("time_embed.0.weight").shape());
        long params = w.values().stream().mapToLong(NpyArray::length).sum();
        assertEquals(701_345, params);
    }

    @Test
    void roundTripsThroughNpzAndStoredEntries(@TempDir Path dir) throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("a", NpyArray.of(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3));
        m.put("b.c", NpyArray.of(new double[] {Math.PI}, 1));
        m.put("scalar", NpyArray.of(new long[] {7}));
        Path f = dir.resolve("x.npz");
        Npz.writeAtomically(f, m);
        Map<String, NpyArray> back = Npz.read(f);
        assertEquals(m.keySet(), back.keySet());
        assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, back.get("a").toFloats());
        assertArrayEquals(new long[] {2, 3}, back.get("a").shape());
        assertEquals(Math.PI, back.get("b.c").toDoubles()[0]);
        assertArrayEquals(new long[0], back.get("scalar").shape());

        // A STORED (uncompressed, np.savez) archive reads the same.
        Path stored = dir.resolve("stored.npz");
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        Npy.write(npy, m.get("a"));
        byte[] bytes = npy.toByteArray();
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(stored))) {
            var e = new java.util.zip.ZipEntry("a.npy");
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            var crc = new java.util.zip.CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
        }
        assertArrayEquals(m.get("a").toFloats(), Npz.read(stored).get("a").toFloats());
    }

    @Test
    void headerIsPaddedLikeNumpy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NpyArray.of(new float[] {1, 2, 3}, 3));
        assertEquals(0, (out.size() - 12) % 64);
        NpyArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "mem");
        assertArrayEquals(new float[] {1, 2, 3}, back.toFloats());
    }

    @Test
    void rejectsGarbageTruncationAndHugeShapesWithClearMessages() throws Exception {
        var garbage = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream("hello world, not numpy".getBytes()), "g.npy"));
        assertTrue(garbage.getMessage().contains("bad magic"), garbage.getMessage());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NpyArray.of(new float[] {1, 2, 3, 4}, 4));
        byte[] full = out.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        var trunc = assertThrows(NpyFormatException.class, () -> Npy.read(new ByteArrayInputStream(cut), "t.npy"));
        assertTrue(trunc.getMessage().contains("truncated"), trunc.getMessage());

        String huge = new String(full, 10, full.length - 10 - 16, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("(4,)", "(99999,99999,99)");
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write(full, 0, 8);
        forged.write(new byte[] {(byte) huge.length(), (byte) (huge.length() >> 8)});
        forged.write(huge.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var big = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(forged.toByteArray()), "h.npy"));
        assertTrue(big.getMessage().contains("larger than"), big.getMessage());

        Path notZip = Files.createTempFile("bad", ".npz");
        Files.writeString(notZip, "not a zip");
        assertThrows(NpyFormatException.class, () -> Npz.read(notZip));
    }
}
