package org.diffusionexplorer.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.diffusionexplorer.io.NpyArray;

/**
 * Writes .pt files for tests that need shapes torch.save will not produce (hostile pickles, lying
 * sizes) or that need a .pt of weights made in Java. The layout is the one the fixtures written by
 * torch itself (src-test/model/torch) have; the reader is proven against those, this only lets a
 * test bend one thing at a time.
 */
public final class PtFiles {
    private PtFiles() {}

    /** A tiny pickle assembler: each method appends one opcode. */
    public static final class Pickle {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        public Pickle op(int opcode) { b.write(opcode); return this; }
        public Pickle proto() { return op(0x80).op(2); }
        public Pickle global(String module, String name) {
            op('c');
            b.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }
        public Pickle str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(u.length).array());
            b.writeBytes(u);
            return this;
        }
        public Pickle integer(long v) {
            if (v >= 0 && v < 256) return op('K').op((int) v);
            op(0x8a).op(8);
            b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }
        public Pickle ints(long... v) {
            mark();
            for (long x : v) integer(x);
            return op('t');
        }
        public Pickle mark() { return op('('); }
        public Pickle reduce() { return op('R'); }
        public Pickle emptyTuple() { return op(')'); }
        public Pickle stop() { return op('.'); }
        public byte[] bytes() { return b.toByteArray(); }

        /** An empty OrderedDict (torch.save writes collections.OrderedDict()). */
        public Pickle orderedDict() { return global("collections", "OrderedDict").emptyTuple().reduce(); }

        /** torch._utils._rebuild_tensor_v2 of storage {@code key} with this view. */
        public Pickle tensor(String storageType, String key, String location, long numel, long offset, long[] size, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").mark();
            mark().str("storage").global("torch", storageType).str(key).str(location).integer(numel).op('t').op('Q');
            integer(offset).ints(size).ints(stride).op(0x89).orderedDict();
            return op('t').reduce();
        }
    }

    /** A torch-style zip: {@code dir/data.pkl}, {@code dir/data/<key>}, {@code dir/version}, all STORED. */
    public static void write(Path file, String dir, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, dir + "/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) stored(zip, dir + "/data/" + e.getKey(), e.getValue());
            stored(zip, dir + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    /** A state_dict .pt of float32 arrays, one contiguous storage each, as torch.save writes model.state_dict(). */
    public static void writeStateDict(Path file, Map<String, NpyArray> arrays) throws IOException {
        Pickle p = new Pickle().proto().orderedDict().mark();
        Map<String, byte[]> storages = new LinkedHashMap<>();
        int key = 0;
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            float[] v = e.getValue().toFloats();
            long[] shape = e.getValue().shape();
            long[] stride = new long[shape.length];
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                stride[d] = s;
                s *= shape[d];
            }
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            storages.put(String.valueOf(key), b.array());
            p.str(e.getKey()).tensor("FloatStorage", String.valueOf(key), "cpu", v.length, 0, shape, stride);
            key++;
        }
        p.op('u').stop();
        write(file, "archive", p.bytes(), storages);
    }
}
