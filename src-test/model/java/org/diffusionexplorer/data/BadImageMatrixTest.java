package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6's bad inputs, one kind per case, each beside two good images: the odd file is either
 * used (counted as loaded, decodes to the model size) or skipped with a reason naming the problem,
 * and the good images are used either way.
 */
class BadImageMatrixTest {
    @TempDir
    Path dir;

    /** Writes the odd file into the folder and returns its name. */
    interface Maker {
        String make(Path dir) throws Exception;
    }

    static Arguments used(String kind, Maker m) {
        return Arguments.of(kind, m, null);
    }

    static Arguments skipped(String kind, Maker m, String reason) {
        return Arguments.of(kind, m, reason);
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                skipped("zero-byte PNG", d -> name(Files.createFile(d.resolve("zero.png"))), "empty file"),
                skipped("zero-byte JPEG", d -> name(Files.createFile(d.resolve("zero.jpg"))), "empty file"),
                skipped("truncated PNG", d -> name(TestImages.truncated(TestImages.noise(64, 64, 1), "png", d.resolve("cut.png"))),
                        "corrupt or truncated"),
                skipped("truncated JPEG", d -> name(TestImages.truncated(TestImages.noise(64, 64, 2), "jpg", d.resolve("cut.jpg"))),
                        "corrupt or truncated"),
                skipped("text file named .png", d -> name(Files.writeString(d.resolve("notes.png"), "just text", StandardCharsets.UTF_8)),
                        "not a PNG, JPEG or GIF"),
                skipped("GIF header only", d -> name(Files.write(d.resolve("head.gif"), new byte[] {'G', 'I', 'F', '8', '9', 'a', 1})),
                        ""),
                skipped("PNG declaring 20000x20000 pixels", d -> name(TestImages.grayPng(20000, 20000, true, d.resolve("bomb.png"))),
                        "decompression bomb"),
                used("CMYK JPEG", d -> name(TestImages.cmykJpeg(16, 16, new int[] {0, 255, 255, 0}, d.resolve("cmyk.jpg")))),
                used("16-bit gray PNG", d -> name(TestImages.write(TestImages.gray16(20, 20, 0x8000), "png", d.resolve("g16.png")))),
                used("16-bit RGB PNG", d -> name(TestImages.write(TestImages.rgb16(20, 20, 0xFFFF, 0, 0x8000), "png", d.resolve("c16.png")))),
                used("palette PNG", d -> name(TestImages.write(TestImages.palette(20, 20, new int[] {0, 0xFF0000, 0xFF00, 0xFF}), "png",
                        d.resolve("pal.png")))),
                used("image smaller than the model (3x2)", d -> name(TestImages.write(TestImages.rgb(3, 2, 0x808080), "png", d.resolve("small.png")))),
                used("spaces and non-ASCII in the name", d -> name(TestImages.write(TestImages.rgb(20, 20, 0x123456), "png",
                        d.resolve("été 日本 photo (1).png")))),
                used("upper-case extension", d -> name(TestImages.write(TestImages.rgb(20, 20, 0x123456), "jpg", d.resolve("UPPER.JPEG")))));
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    private void goodImages() throws Exception {
        TestImages.write(TestImages.rgb(24, 24, 0x204060), "png", dir.resolve("good_1.png"));
        TestImages.write(TestImages.gray(30, 20, 200), "jpg", dir.resolve("good_2.jpg"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void oddFileBesideGoodOnes(String kind, Maker maker, String reason) throws Exception {
        goodImages();
        String odd = maker.make(dir);
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(16, 3));
        LoadSummary s = ds.scanAll();
        int expectLoaded = reason == null ? 3 : 2;
        assertEquals(expectLoaded, s.loaded(), kind + ": " + s);
        assertEquals(3 - expectLoaded, s.skipped(), kind + ": " + s);
        for (int i = 0; i < ds.size(); i++) {
            String file = ds.describe(i);
            if (reason != null && file.endsWith(odd)) continue;
            assertEquals(3 * 16 * 16, ds.pixels(i).length, file); // every usable image decodes to the model size
        }
        if (reason != null) {
            String r = s.reasons().get(0);
            assertTrue(r.startsWith(odd + ": ") && r.contains(reason), kind + ": '" + r + "' should name " + odd + " and say " + reason);
        }
    }

    @Test
    void aTenThousandSquareImageIsReadSubsampledInBoundedMemoryAndTime() throws Exception {
        Path big = TestImages.grayPng(10_000, 10_000, false, dir.resolve("huge.png"));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime(), before = threads.getCurrentThreadAllocatedBytes();
        Image8 im = ImageDecoder.read(big, ImageDecoder.DEFAULT_MAX_PIXELS, 32);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before, ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2500, im.width); // every 4th pixel: 6.25 M pixels instead of 100 M
        assertEquals(Image8.Mode.L, im.mode);
        assertEquals((4 * 3 + 4 * 5) & 0xff, im.get(3, 5, 0), "subsampling keeps the real pixels (x+y at 4x, 4y)");
        // a full decode would need 100 MB for the raster alone
        assertTrue(allocated < 64L << 20, "allocated " + (allocated >> 20) + " MB");
        assertTrue(ms < 30_000, "took " + ms + " ms");
        assertEquals(32 * 32, Preprocess.toCHW(im, 32, 1).length);
    }

    @Test
    void aForgedGiantHeaderIsRefusedFromTheHeaderAlone() throws Exception {
        Path bomb = TestImages.grayPng(60_000, 60_000, true, dir.resolve("bomb.png"));
        long t0 = System.nanoTime();
        var e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.read(bomb, ImageDecoder.DEFAULT_MAX_PIXELS, 32));
        assertTrue(e.getMessage().contains("60000x60000") && e.getMessage().contains("limit"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused before decoding");
    }

    @Test
    void foldersThatCannotBeUsedFailWithOneReason() throws Exception {
        var empty = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(16, 3)));
        assertTrue(empty.getMessage().startsWith("no .jpg, .jpeg, .png or .gif files in " + dir.toAbsolutePath()), empty.getMessage());
        Files.writeString(dir.resolve("readme.txt"), "no images here");
        Files.createDirectories(dir.resolve("sub"));
        var noImages = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(16, 3)));
        assertTrue(noImages.getMessage().startsWith("no .jpg"), noImages.getMessage());
        Files.createFile(dir.resolve("sub/zero.png"));
        Files.writeString(dir.resolve("fake.jpg"), "text");
        var allBad = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(16, 3)));
        assertTrue(allBad.getMessage().contains("no readable image") && allBad.getMessage().contains("2 files skipped"), allBad.getMessage());
        assertEquals(1, allBad.getMessage().lines().count());
    }

    static boolean root() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    @Test
    void unreadableFilesAreSkippedAndUnreadableFoldersNamed() throws Exception {
        assumeFalse(root(), "running as root: file permissions do not stop root, so this case cannot be exercised here");
        goodImages();
        Path locked = TestImages.write(TestImages.rgb(20, 20, 0), "png", dir.resolve("locked.png"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        LoadSummary s = ImageFolderDataset.open(dir, DatasetOptions.of(16, 3)).scanAll();
        assertEquals(2, s.loaded(), s.toString());
        assertTrue(s.reasons().get(0).startsWith("locked.png: ") && s.reasons().get(0).contains("permission denied"), s.toString());
        Path sub = Files.createDirectories(dir.resolve("private"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("---------"));
        try {
            var e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(16, 3)));
            assertTrue(e.getMessage().contains("private") && e.getMessage().contains("permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
