package org.diffusionexplorer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles never replaces what is not a regular file, and its temporary names stay short. */
class SpecialFilesTest {
    @TempDir
    Path dir;

    private static void write(Path p, String text) throws IOException {
        AtomicFiles.writeString(p, text);
    }

    private List<String> temps() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList();
        }
    }

    @Test
    void aSymlinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path real = dir.resolve("real.txt");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real.txt"));
        Path link2 = Files.createSymbolicLink(dir.resolve("link2.txt"), Path.of("link.txt")); // a chain
        write(link2, "new");
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(link2), "the links stay links");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of(), temps());
    }

    @Test
    void aDanglingSymlinkGetsItsTargetCreated() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("sub/made.txt"));
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(dir.resolve("sub/made.txt")));
    }

    @Test
    void aHardLinkIsSplitAsTheClassCommentSays() throws IOException {
        Path a = dir.resolve("a.txt");
        Files.writeString(a, "old");
        Path b = Files.createLink(dir.resolve("b.txt"), a);
        write(a, "new");
        assertEquals("new", Files.readString(a));
        assertEquals("old", Files.readString(b), "the other name keeps the old inode and content");
    }

    @Test
    void aFifoIsWrittenIntoAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is not available here");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        write(fifo, "through the pipe");
        assertEquals("through the pipe", new String(read.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertTrue(Files.readAttributes(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode") instanceof Integer m
                && (m & 0170000) == 0010000, "still a FIFO");
        assertEquals(List.of(), temps());
    }

    /** Device nodes made with mknod: only root may; /dev/null's and /dev/full's numbers (1,3 and 1,7). */
    @Test
    void aDeviceIsWrittenIntoNeverReplaced() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root; this test runs as "
                + System.getProperty("user.name") + ", so the device case is skipped");
        Path nul = dir.resolve("null-copy"), full = dir.resolve("full-copy");
        assumeTrue(new ProcessBuilder("mknod", nul.toString(), "c", "1", "3").inheritIO().start().waitFor() == 0, "mknod failed");
        assumeTrue(new ProcessBuilder("mknod", full.toString(), "c", "1", "7").inheritIO().start().waitFor() == 0, "mknod failed");
        write(nul, "gone");
        assertTrue(isCharDevice(nul), "still a device");
        IOException e = assertThrows(IOException.class, () -> write(full, "x".repeat(100_000)));
        assertTrue(e.getMessage().contains(full.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertTrue(isCharDevice(full), "still a device");
        assertEquals(List.of(), temps());
    }

    private static boolean isCharDevice(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0020000;
    }

    @Test
    void aDirectoryIsRefusedNamingIt() throws IOException {
        Path d = Files.createDirectory(dir.resolve("out.png"));
        IOException e = assertThrows(IOException.class, () -> write(d, "x"));
        assertEquals("could not write " + d + " (it is a directory)", e.getMessage());
        assertTrue(Files.isDirectory(d));
    }

    @Test
    void longestLegalNamesWorkAndErrorsNameTheTarget() throws IOException {
        for (int len : new int[] {232, 254, 255}) {
            Path p = dir.resolve("n".repeat(len - 4) + ".npy");
            write(p, "ok " + len);
            assertEquals("ok " + len, Files.readString(p));
        }
        Path inProc = Path.of("/proc/diffusion-explorer-test.png");
        IOException e = assertThrows(IOException.class, () -> write(inProc, "x"));
        assertTrue(e.getMessage().startsWith("could not write " + inProc + " ("), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp-"), "the temporary name means nothing to the user: " + e.getMessage());
        assertEquals(List.of(), temps());
    }

    /** `sample --npy` writes through Npy.write(Path): an interrupted write keeps the previous file whole. */
    @Test
    void npyOutputsAreWrittenThroughTheTempAndRename() throws IOException {
        Path f = dir.resolve("samples.npy");
        NpyArray small = NpyArray.of(new float[] {1, 2, 3}, 3);
        Npy.write(f, small);
        byte[] before = Files.readAllBytes(f);
        AtomicFiles.simulateFullDisk(p -> p.getFileName().toString().equals("samples.npy"));
        try {
            IOException e = assertThrows(IOException.class, () -> Npy.write(f, NpyArray.of(new float[10_000], 10_000)));
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        } finally {
            AtomicFiles.simulateFullDisk(null);
        }
        assertArrayEquals(before, Files.readAllBytes(f), "the previous .npy is intact, not truncated");
        assertEquals(List.of(), temps());
    }

    @Test
    void leftoversOfDeadProcessesAreRemovedThoseOfLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Path dead = Files.writeString(dir.resolve(String.format(".tmp-%d-%08x", gone.pid(), 0xabc)), "torn");
        Path alive = Files.writeString(dir.resolve(String.format(".tmp-%d-%08x", live, 0xdef)), "being written");
        Path other = Files.writeString(dir.resolve(".tmp-notours"), "not a temp name of ours");
        write(dir.resolve("out.txt"), "x");
        assertFalse(Files.exists(dead), "a killed writer's leftover is removed");
        assertTrue(Files.exists(alive), "a live writer's file is left alone");
        assertTrue(Files.exists(other));
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("out.txt")));
    }
}
