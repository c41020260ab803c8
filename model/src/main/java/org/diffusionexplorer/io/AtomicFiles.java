package org.diffusionexplorer.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

/** Write-to-temp, fsync, rename: readers see the old file or the complete new one, never half of one. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the content; it must not close the stream. */
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Test seam: writes to files whose name matches fail as on a full disk (see {@link #simulateFullDisk}). */
    private static volatile Predicate<Path> fullDisk;

    /**
     * For tests: from now on, writes of files whose name matches fail with "No space left on device"
     * after their first 4 KB, as a full disk fails; null ends it.
     */
    public static void simulateFullDisk(Predicate<Path> which) {
        fullDisk = which;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        boolean done = false;
        Predicate<Path> full = fullDisk;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                    OutputStream out = new BufferedOutputStream(full != null && full.test(target) ? new FullDisk(fos) : fos, 1 << 16)) {
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

    /** "disk full" for ENOSPC anywhere in the causes, else the message. */
    public static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left")) return "disk full";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Accepts 4 KB, then fails every write as the kernel does on a full file system (ENOSPC). */
    private static final class FullDisk extends FilterOutputStream {
        private long room = 4096;

        FullDisk(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) throw new IOException("No space left on device");
            room -= len;
            out.write(b, off, len);
        }
    }
}
