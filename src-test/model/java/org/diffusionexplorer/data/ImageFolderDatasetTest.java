package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder full of odd files: what is loaded, what is skipped, labels and order. */
class ImageFolderDatasetTest {
    @TempDir
    Path dir;

    private static byte[] largePng;

    /** A 3000x2000 PNG, encoded once for all tests (encoding is the slow part). */
    private static synchronized byte[] largePng() throws Exception {
        if (largePng == null) largePng = TestImages.bytes(TestImages.rgb(3000, 2000, 0x102030), "png");
        return largePng;
    }

    /** 9 good images (one per kind) and 5 broken ones, plus ignored non-image files. */
    private void fillOddFolder() throws Exception {
        TestImages.write(TestImages.gray(40, 40, 100), "png", dir.resolve("gray_a.png"));
        TestImages.write(TestImages.argb(40, 40, 0x40FF0000), "png", dir.resolve("alpha_b.png"));
        TestImages.write(TestImages.gray16(40, 40, 0x8000), "png", dir.resolve("gray_16bit.png"));
        TestImages.write(TestImages.palette(40, 40, new int[] {0, 0xFF0000, 0xFF00, 0xFF}), "png", dir.resolve("palette_p.PNG"));
        TestImages.write(TestImages.rgb(3, 5, 0x204060), "png", dir.resolve("tiny_3x5.png"));
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/large_photo.png"), largePng());
        TestImages.write(TestImages.rgb(50, 40, 0xC0C0C0), "jpg", dir.resolve("sub/deeper/photo_1.jpeg"));
        TestImages.write(TestImages.rgb(32, 32, 0x00FF00), "gif", dir.resolve("anim_x.gif"));
        TestImages.write(TestImages.rgb(32, 32, 0x0000FF), "png", dir.resolve("ünïcödé name_with spaces.png"));
        Files.createFile(dir.resolve("broken_zero.png"));
        Files.writeString(dir.resolve("broken_text.png"), "hello", StandardCharsets.UTF_8);
        TestImages.truncated(TestImages.noise(64, 64, 3), "png", dir.resolve("broken_trunc.png"));
        TestImages.truncated(TestImages.noise(64, 64, 4), "jpg", dir.resolve("broken_trunc.jpg"));
        Files.write(dir.resolve("broken_header.gif"), new byte[] {'G', 'I', 'F', '8', '9', 'a', 1});
        Files.writeString(dir.resolve("readme.txt"), "ignored", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("noext"), "ignored", StandardCharsets.UTF_8);
    }

    @Test
    void oddFilesAreLoadedOrSkippedAndCounted() throws Exception {
        fillOddFolder();
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(32, 3).withClassLabels(true));
        LoadSummary s = ds.scanAll();
        assertEquals(9, s.loaded(), s.toString());
        assertEquals(5, s.skipped(), s.toString());
        assertEquals(LoadSummary.MAX_REASONS, s.reasons().size());
        assertTrue(s.reasons().stream().allMatch(r -> r.startsWith("broken_")), s.reasons().toString());
        assertTrue(s.toString().contains("5 skipped"));
        int good = 0;
        for (int i = 0; i < ds.size(); i++) {
            try {
                byte[] px = ds.pixels(i);
                assertEquals(3 * 32 * 32, px.length);
                float[] f = ds.image(i);
                for (float v : f) assertTrue(v >= -1f && v <= 1f);
                good++;
            } catch (ImageDecodeException e) {
                assertTrue(ds.describe(i).contains("broken_"), ds.describe(i));
            }
        }
        assertEquals(9, good);
    }

    @Test
    void pixelValuesOfOddModes() throws Exception {
        fillOddFolder();
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(32, 3));
        List<String> names = ds.files().stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        byte[] gray = ds.pixels(names.indexOf("gray_a.png"));
        assertEquals(100, gray[0] & 0xff);
        assertEquals(100, gray[2048 + 500] & 0xff);
        byte[] alpha = ds.pixels(names.indexOf("alpha_b.png")); // 40 -> 32 resize, premultiplied, alpha dropped
        assertEquals(255, alpha[300] & 0xff);
        assertEquals(0, alpha[1024 + 300] & 0xff);
        assertEquals(0x80, ds.pixels(names.indexOf("gray_16bit.png"))[10] & 0xff);
        byte[] large = ds.pixels(names.indexOf("large_photo.png")); // 3000x2000: five box halvings + bicubic
        assertEquals(0x10, large[0] & 0xff);
        assertEquals(0x30, large[2048 + 1023] & 0xff);
        byte[] tiny = ds.pixels(names.indexOf("tiny_3x5.png"));
        assertEquals(0x40, tiny[1024 + 512] & 0xff);
        byte[] uni = ds.pixels(names.indexOf("ünïcödé name_with spaces.png"));
        assertEquals(255, uni[2048] & 0xff);
    }

    @Test
    void listingIsRecursiveSortedAndCaseInsensitive() throws Exception {
        TestImages.write(TestImages.gray(8, 8, 1), "png", dir.resolve("b_1.png"));
        TestImages.write(TestImages.gray(8, 8, 1), "png", dir.resolve("a/z_9.PNG"));
        TestImages.write(TestImages.gray(8, 8, 1), "jpg", dir.resolve("c/a_2.JpEg"));
        TestImages.write(TestImages.gray(8, 8, 1), "png", dir.resolve("B_0.png"));
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1).withClassLabels(true));
        List<String> rel = ds.files().stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).collect(Collectors.toList());
        // Entries sorted per directory by code point (upper case first), sub-folders in place.
        assertEquals(List.of("B_0.png", "a/z_9.PNG", "b_1.png", "c/a_2.JpEg"), rel);
        assertEquals(List.of("B", "a", "b", "z"), ds.classNames());
        assertEquals(0, ds.label(0));
        assertEquals(3, ds.label(1));
        assertEquals(2, ds.label(2));
        assertEquals(1, ds.label(3));
    }

    @Test
    void labelsOffMeansNoClasses() throws Exception {
        TestImages.write(TestImages.gray(8, 8, 1), "png", dir.resolve("cat_1.png"));
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        assertTrue(ds.classNames().isEmpty());
        assertFalse(ds.labelled());
        assertEquals(-1, ds.label(0));
    }

    @Test
    void emptyOrImagelessFoldersFailClearly() throws Exception {
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(32, 3)));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        Files.writeString(dir.resolve("a.txt"), "x");
        assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(32, 3)));
        Files.createFile(dir.resolve("zero.png"));
        DatasetException e2 = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, DatasetOptions.of(32, 3)));
        assertTrue(e2.getMessage().contains("zero.png"), e2.getMessage());
        DatasetException e3 = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir.resolve("missing"), DatasetOptions.of(32, 3)));
        assertTrue(e3.getMessage().contains("missing"));
    }

    @Test
    void cachingKeepsDecodedImages() throws Exception {
        TestImages.write(TestImages.gray(8, 8, 5), "png", dir.resolve("x.png"));
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        assertTrue(ds.cached());
        ImageFolderDataset off = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1).withCache(false));
        assertFalse(off.cached());
        byte[] a = ds.pixels(0);
        Files.delete(dir.resolve("x.png"));
        assertTrue(a == ds.pixels(0), "second read comes from the cache");
        assertThrows(ImageDecodeException.class, () -> off.pixels(0));
        assertEquals(1, off.summary().skipped());
    }
}
