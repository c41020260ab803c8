package org.diffusionexplorer.io.torch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.diffusionexplorer.io.Npy;

/**
 * The entries of a zip written by torch.save since PyTorch 1.6: {@code <dir>/data.pkl} (the pickle),
 * {@code <dir>/data/<key>} (one raw storage each), {@code <dir>/byteorder} ("little" or "big",
 * absent in files from before it existed, which are little-endian) and {@code <dir>/version}. The
 * folder name varies (the file's stem in 1.x, "archive" later), so it is found, not assumed.
 * Every read is bounded by what the pickle declared and checked against what the zip holds.
 */
final class TorchZip implements Closeable {
    /** A state_dict's pickle is tens of kilobytes; a larger one is not what this reads. */
    static final int MAX_PICKLE_BYTES = 64 << 20;

    private final ZipFile zip;
    private final String dir;
    private final String name;

    private TorchZip(ZipFile zip, String dir, String name) {
        this.zip = zip;
        this.dir = dir;
        this.name = name;
    }

    /** Opens {@code file}; fails naming it when the zip has no single {@code <dir>/data.pkl}. */
    static TorchZip open(Path file, String name) throws IOException {
        ZipFile zip = new ZipFile(file.toFile());
        try {
            String dir = pickleDir(zip, name);
            if (dir == null) throw new TorchFormatException(name + ": a zip without a data.pkl entry, so not a PyTorch checkpoint");
            return new TorchZip(zip, dir, name);
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The folder holding data.pkl, or null; two candidates are refused rather than guessed between. */
    static String pickleDir(ZipFile zip, String name) {
        List<String> dirs = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            int slash = n.indexOf('/');
            if (slash > 0 && n.indexOf('/', slash + 1) < 0 && n.substring(slash + 1).equals("data.pkl")) dirs.add(n.substring(0, slash));
        }
        if (dirs.size() > 1) throw new TorchFormatException(name + ": holds " + dirs.size() + " data.pkl entries");
        return dirs.isEmpty() ? null : dirs.get(0);
    }

    byte[] pickle() throws IOException {
        ZipEntry e = zip.getEntry(dir + "/data.pkl");
        if (e.getSize() > MAX_PICKLE_BYTES) throw new TorchFormatException(name + ": data.pkl of " + e.getSize() + " bytes is too large for a state_dict");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(MAX_PICKLE_BYTES + 1);
            if (b.length > MAX_PICKLE_BYTES) throw new TorchFormatException(name + ": data.pkl is too large for a state_dict");
            return b;
        }
    }

    ByteOrder byteOrder() throws IOException {
        ZipEntry e = zip.getEntry(dir + "/byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN;
        try (InputStream in = zip.getInputStream(e)) {
            String s = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            if (s.equals("little")) return ByteOrder.LITTLE_ENDIAN;
            if (s.equals("big")) return ByteOrder.BIG_ENDIAN;
            throw new TorchFormatException(name + ": byteorder entry says '" + s.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
    }

    /** The bytes of one storage: exactly numel elements, refused when the entry holds fewer or more. */
    ByteBuffer storage(StorageRef s, ByteOrder order) throws IOException {
        String entryName = dir + "/data/" + s.key();
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) throw new TorchFormatException(name + ": storage " + s.key() + " is missing (no " + entryName + ")");
        long want;
        try {
            want = Math.multiplyExact(s.numel(), (long) s.type().bytes);
        } catch (ArithmeticException ex) {
            throw new TorchFormatException(name + ": storage " + s.key() + " declares " + s.numel() + " elements");
        }
        if (want > Npy.MAX_BYTES) {
            throw new TorchFormatException(name + ": storage " + s.key() + " declares " + want + " bytes, more than " + (Npy.MAX_BYTES >> 20) + " MiB");
        }
        if (e.getSize() >= 0 && e.getSize() != want) {
            throw new TorchFormatException(name + ": storage " + s.key() + " declares " + want + " bytes but its entry holds " + e.getSize());
        }
        try (InputStream in = zip.getInputStream(e)) {
            // grows as data arrives: a lying size costs what the file holds, not what it claims
            byte[] b = in.readNBytes((int) want);
            if (b.length != want || in.read() >= 0) {
                throw new TorchFormatException(name + ": storage " + s.key() + " holds " + b.length + (b.length == want ? "+" : "") + " of " + want + " bytes");
            }
            return ByteBuffer.wrap(b).order(order);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
