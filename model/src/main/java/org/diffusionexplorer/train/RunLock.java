package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.Failures;

/**
 * The owner of a run folder: an OS lock on {@code .lock} inside it, held by the process that trains
 * the run for as long as the run is open. The kernel drops the lock when the process ends, however
 * it ends (kill -9 included), so a lock is never stale and nothing has to be cleaned up; the file
 * itself stays and holds the last owner's pid, only to name it in the refusal.
 *
 * <p>Readers (info, sample, the explorer following a run) take no lock: they read files that are
 * only ever replaced whole.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir} (which must exist), or refuses in one line when another process holds it. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            // not following a link: a .lock planted as a symlink must not make us write elsewhere
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            throw new RunException("cannot lock the run folder " + dir + ": " + file + ": " + Failures.reason(e));
        } catch (IOException e) {
            throw new RunException("cannot lock the run folder " + dir + ": " + e.getMessage());
        }
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                String pid = holder(ch);
                ch.close();
                throw new RunException("another process" + pid + " is training " + dir + "; wait for it to end or stop it, then try again");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new RunLock(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new RunException(dir + " is already open for training in this program");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new RunException("cannot lock the run folder " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Refuses in one line, as {@link #acquire} does, when a process trains {@code dir} now; takes and
     * drops the lock otherwise. For a check before slower work (reading checkpoints, opening data)
     * and for messages that should say "being trained" before "not empty".
     */
    public static void refuseIfHeld(Path dir) {
        if (Files.isRegularFile(dir.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) acquire(dir).close();
    }

    /**
     * True when a process holds the lock of {@code dir} now, found without taking any lock or opening
     * the file for writing: for a follower that must leave a run being written exactly as it is (a
     * probe that took the lock for an instant could make the writer's own start fail). On Linux the
     * kernel's table of locks (/proc/locks) is read for the lock file's inode; elsewhere a shared lock
     * is tried on a read-only channel (still no byte written). A lock held on another machine of a
     * shared or synced folder is not seen. Not for the process that holds the lock itself: there the
     * portable probe's close would release it (POSIX locks belong to the process).
     */
    public static boolean heldByWriter(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return false;
        Path table = Path.of("/proc/locks");
        if (Files.isReadable(table)) {
            try {
                long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
                long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
                // the kernel prints the device as MAJOR:MINOR in hex; glibc's encoding of st_dev
                String device = String.format(java.util.Locale.ROOT, "%02x:%02x", ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL),
                        (dev & 0xff) | ((dev >>> 12) & ~0xffL));
                String id = device + ":" + ino;
                for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
                    // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF": FileChannel locks are POSIX locks
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 6 || f[1].equals("->")) continue; // "->" marks a waiter, not a holder
                    if (f[5].equals(id) && f[3].equals("WRITE")) return true;
                }
                return false;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
                // no unix attributes or an unreadable table: the portable probe below
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** " (pid N)" from the lock file, read bounded; empty when it holds nothing sensible. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(24);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("\\d{1,19}") ? " (pid " + s + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the refusal is what matters
        }
    }

    /** Releases the lock (the file stays: deleting it would let two processes lock two different files). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
