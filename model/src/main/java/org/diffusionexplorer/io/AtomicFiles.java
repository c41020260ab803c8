package org.diffusionexplorer.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Write-to-temp, fsync, rename: readers see the old file or the complete new one, never half of one.
 *
 * <p>Only regular files are replaced. A symbolic link is followed (a chain of them too) and the
 * file it names is replaced, so the link stays a link. A device or FIFO is written into directly,
 * as a shell redirection would: renaming over it would swap the special file for a plain one. A
 * hard link cannot be kept: the rename gives this name a new inode, and the other names of the old
 * one keep the old content (the link is split), the price of never showing a reader half a file.
 *
 * <p>Temporary files are named {@code .tmp-<pid>-<random>} beside the target: short, so a target
 * name of up to 255 bytes still has a legal temporary name, and carrying the writer's process id,
 * so a leftover of a killed process is recognised and removed at the next write into that folder
 * while a live writer's file is left alone. On SIGINT/SIGTERM {@link ExitCleanup} deletes them.
 */
public final class AtomicFiles {
    private static final Pattern TEMP = Pattern.compile("\\.tmp-(\\d+)-[0-9a-f]{8}");
    private static final long PID = ProcessHandle.current().pid();
    /** folders already cleared of other processes' leftovers by this process */
    private static final Set<Path> swept = ConcurrentHashMap.newKeySet();
    /** a chain of symbolic links longer than Linux's own limit is refused */
    private static final int MAX_LINKS = 40;

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
        Path named = file.toAbsolutePath();
        BasicFileAttributes a = attributes(named);
        if (a != null && a.isDirectory()) throw new IOException("could not write " + named + " (it is a directory)");
        if (a != null && !a.isRegularFile()) {
            writeInto(named, writer);
            return;
        }
        Path target = followLinks(named);
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("could not write " + named + " (" + Failures.describe(e) + ")", e);
        }
        removeStaleTemps(dir);
        Path tmp = newTemp(dir, named);
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
            throw new IOException("could not write " + named + " (" + Failures.describe(e) + "); any previous version is left intact", e);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
            ExitCleanup.forget(tmp);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The attributes of what {@code p} names after following links, or null when nothing is there. */
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IOException("could not write " + p + " (" + Failures.describe(e) + ")", e);
        }
    }

    /** A device, FIFO or the like: no temporary file and no rename can stand in for it. */
    private static void writeInto(Path target, Writer writer) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.WRITE), 1 << 16)) {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new IOException("could not write " + target + " (" + Failures.describe(e) + ")", e);
        }
    }

    /** The file a chain of symbolic links ends at (it need not exist yet), or {@code p} itself. */
    private static Path followLinks(Path p) throws IOException {
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        if (Files.isSymbolicLink(p)) throw new IOException("could not write " + p + " (too many levels of symbolic links)");
        return p;
    }

    private static Path newTemp(Path dir, Path named) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path tmp = dir.resolve(String.format(".tmp-%d-%08x", PID, ThreadLocalRandom.current().nextInt()));
            try {
                ExitCleanup.createTemp(tmp);
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            } catch (FileSystemException e) { // the temporary name means nothing to the user: name the folder
                throw new IOException("could not write " + named + " (cannot create a file in " + dir + ": " + Failures.reason(e) + ")", e);
            } catch (IOException e) {
                throw new IOException("could not write " + named + " (" + Failures.describe(e) + ")", e);
            }
        }
    }

    /** True for the name of one of these temporary files (of any process). */
    public static boolean isTempName(String name) {
        return TEMP.matcher(name).matches();
    }

    /**
     * Deletes the temporary files in {@code dir} left by processes that no longer run (kill -9, a
     * power cut); once per folder and process. A live process's file, another writer's at this very
     * moment, is left alone; so is one whose process id a new process happens to have taken.
     */
    public static void removeStaleTemps(Path dir) {
        if (!swept.add(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                long pid = Long.parseLong(m.group(1));
                boolean alive = pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // a leftover is harmless (a hidden file): the write itself decides whether the folder is usable
        }
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
