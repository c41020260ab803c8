package org.diffusionexplorer.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes numpy's .npy format (versions 1-3, C order, little-endian).
 * Every malformed input ends in an {@link NpyFormatException}, and the declared size is checked
 * against a limit before anything is allocated, so random bytes cannot exhaust memory.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest array accepted (bytes); far above any model here, far below the heap. */
    public static final long MAX_BYTES = 1L << 30;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        }
    }

    /** Reads one array; {@code name} only labels error messages. */
    public static NpyArray read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            byte[] magic = new byte[6];
            in.readFully(magic);
            for (int i = 0; i < 6; i++) {
                if (magic[i] != MAGIC[i]) throw new NpyFormatException(name + ": not a .npy array (bad magic bytes)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new NpyFormatException(name + ": unsupported .npy version " + major);
            }
            if (headerLen > 1 << 16) throw new NpyFormatException(name + ": header of " + headerLen + " bytes is too long");
            byte[] header = new byte[(int) headerLen];
            in.readFully(header);
            String h = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

            NpyArray.DType dtype;
            try {
                dtype = NpyArray.DType.fromDescr(group(DESCR, h, "descr", name));
            } catch (NpyFormatException e) {
                if (e.getMessage().startsWith(name + ": ")) throw e;
                throw new NpyFormatException(name + ": " + e.getMessage());
            }
            if (group(ORDER, h, "fortran_order", name).equals("True")) {
                throw new NpyFormatException(name + ": Fortran-order arrays are not supported (save with C order)");
            }
            long[] shape = parseShape(group(SHAPE, h, "shape", name), name);
            long count = 1;
            for (long s : shape) {
                count = Math.multiplyExact(count, s);
                // count <= MAX_BYTES after every factor, so count * size cannot overflow
                if (count > MAX_BYTES / dtype.size) {
                    throw new NpyFormatException(name + ": array larger than " + (MAX_BYTES >> 20) + " MiB");
                }
            }
            int bytes = (int) (count * dtype.size);
            // readNBytes grows its buffer as data arrives: a header declaring more than the file holds
            // costs what the file holds, not what the header claims
            byte[] data = in.readNBytes(bytes);
            if (data.length < bytes) {
                throw new NpyFormatException(name + ": file ends early (truncated .npy: " + data.length + " of " + bytes + " data bytes)");
            }
            return new NpyArray(dtype, shape, ByteBuffer.wrap(data));
        } catch (EOFException e) {
            throw new NpyFormatException(name + ": file ends early (truncated .npy)", e);
        } catch (ArithmeticException e) {
            throw new NpyFormatException(name + ": shape overflows", e);
        }
    }

    private static String group(Pattern p, String header, String key, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new NpyFormatException(name + ": header has no valid '" + key + "'");
        return m.group(1);
    }

    private static long[] parseShape(String s, String name) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            try {
                long d = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(name + ": bad shape entry '" + t + "'");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Through {@link AtomicFiles}: an interrupted write leaves the previous file, never a truncated one. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes version 1.0 with the header padded to a multiple of 64 bytes, as numpy does. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        long[] dims = array.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]);
            if (dims.length == 1 || i < dims.length - 1) shape.append(", ");
        }
        String sh = shape.toString().trim();
        if (sh.endsWith(",") && dims.length > 1) sh = sh.substring(0, sh.length() - 1);
        String dict = "{'descr': '" + array.dtype().descr + "', 'fortran_order': False, 'shape': " + sh + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        ByteBuffer len = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length());
        head.write(len.array());
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        ByteBuffer data = array.rawData();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes);
    }
}
