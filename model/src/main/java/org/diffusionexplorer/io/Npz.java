package org.diffusionexplorer.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's .npz: a zip of .npy entries, STORED (np.savez) or DEFLATE (np.savez_compressed).
 * Entry order is kept, names lose their ".npy" suffix as numpy does.
 */
public final class Npz {
    private Npz() {}

    /** Reads through the central directory, which copes with every entry layout numpy writes. */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NpyFormatException(file + ": no such file");
        String name = file.getFileName().toString();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
                    arrays.put(arrayName(e), Npy.read(in, name + ":" + e.getName()));
                }
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException ex) {
            throw new NpyFormatException(name + ": not a readable .npz archive (" + Failures.describe(ex) + ")", ex);
        }
        if (arrays.isEmpty()) throw new NpyFormatException(name + ": the .npz archive holds no arrays");
        return arrays;
    }

    private static String arrayName(ZipEntry e) {
        String n = e.getName();
        return n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
    }

    public static Map<String, NpyArray> read(InputStream stream, String name) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                arrays.put(arrayName(e), Npy.read(zip, name + ":" + e.getName()));
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException ex) {
            throw new NpyFormatException(name + ": not a readable .npz archive (" + Failures.describe(ex) + ")", ex);
        }
        if (arrays.isEmpty()) throw new NpyFormatException(name + ": not an .npz archive, or it holds no arrays");
        return arrays;
    }

    /**
     * Writes to a temporary file beside {@code file}, forces it to disk and renames it over
     * {@code file}: a crash or a full disk leaves the previous file untouched.
     */
    public static void writeAtomically(Path file, Map<String, NpyArray> arrays) throws IOException {
        AtomicFiles.write(file, out -> write(out, arrays));
    }

    /**
     * Writes STORED entries as numpy.savez does. Float weights hardly compress (8% in a tiny run's
     * checkpoint) while DEFLATE made writing a checkpoint many times slower: the stall of every
     * save and the window in which a crash or a full disk strikes a write.
     */
    public static void write(OutputStream out, Map<String, NpyArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            java.io.ByteArrayOutputStream npy = new java.io.ByteArrayOutputStream();
            Npy.write(npy, e.getValue());
            byte[] bytes = npy.toByteArray();
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes);
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(bytes);
            zip.closeEntry();
        }
        zip.finish();
    }
}
