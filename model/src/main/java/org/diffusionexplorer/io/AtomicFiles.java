package org.diffusionexplorer.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Write-to-temp, fsync, rename: readers see the old file or the complete new one, never half of one. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the content; it must not close the stream. */
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        boolean done = false;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                    OutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                fos.getFD().sync();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new IOException("could not write " + target.getFileName() + " (" + describe(e)
                    + "); any previous version is left intact", e);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("No space left")) return "disk full";
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
