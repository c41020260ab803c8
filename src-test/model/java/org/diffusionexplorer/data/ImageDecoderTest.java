package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding odd files into the PIL mode the reference would see. */
class ImageDecoderTest {
    @TempDir
    Path dir;

    private Image8 read(Path p) throws ImageDecodeException {
        return ImageDecoder.read(p, ImageDecoder.DEFAULT_MAX_PIXELS, 32);
    }

    @Test
    void modesOfCommonFiles() throws Exception {
        Image8 g = read(TestImages.write(TestImages.gray(5, 4, 77), "png", dir.resolve("g.png")));
        assertEquals(Image8.Mode.L, g.mode);
        assertEquals(77, g.get(4, 3, 0));
        Image8 la = read(TestImages.write(TestImages.grayAlpha(5, 4, 90, 30), "png", dir.resolve("la.png")));
        assertEquals(Image8.Mode.LA, la.mode);
        assertEquals(90, la.get(0, 0, 0));
        assertEquals(30, la.get(0, 0, 1));
        Image8 rgba = read(TestImages.write(TestImages.argb(6, 6, 0x80112233), "png", dir.resolve("a.png")));
        assertEquals(Image8.Mode.RGBA, rgba.mode);
        assertEquals(0x11, rgba.get(2, 2, 0));
        assertEquals(0x80, rgba.get(2, 2, 3));
        Image8 jpg = read(TestImages.write(TestImages.rgb(16, 16, 0x808080), "jpg", dir.resolve("c.JPG")));
        assertEquals(Image8.Mode.RGB, jpg.mode);
        assertTrue(Math.abs(jpg.get(8, 8, 1) - 128) <= 2);
    }

    @Test
    void sixteenBitPngsKeepTheHighByte() throws Exception {
        Image8 g = read(TestImages.write(TestImages.gray16(4, 4, 0xABCD), "png", dir.resolve("g16.png")));
        assertEquals(Image8.Mode.L, g.mode);
        assertEquals(0xAB, g.get(1, 1, 0));
        Image8 c = read(TestImages.write(TestImages.rgb16(4, 4, 0xFF00, 0x1234, 0x0080), "png", dir.resolve("c16.png")));
        assertEquals(Image8.Mode.RGB, c.mode);
        assertEquals(0xFF, c.get(0, 0, 0));
        assertEquals(0x12, c.get(0, 0, 1));
        assertEquals(0x00, c.get(0, 0, 2));
    }

    @Test
    void palettePngsAndGifsArePaletteMode() throws Exception {
        int[] colours = {0x000000, 0xFF0000, 0x00FF00, 0x0000FF};
        Image8 p = read(TestImages.write(TestImages.palette(8, 8, colours), "png", dir.resolve("p.png")));
        assertEquals(Image8.Mode.P, p.mode);
        assertEquals(255, p.get(1, 0, 0)); // index 1 = red
        assertEquals(255, p.get(3, 0, 2)); // index 3 = blue
        Image8 gif = read(TestImages.write(TestImages.palette(8, 8, colours), "gif", dir.resolve("p.gif")));
        assertEquals(Image8.Mode.P, gif.mode);
        assertEquals(255, gif.get(2, 0, 1));
    }

    @Test
    void lowBitGrayPngsAreGrayNotPalette() throws Exception {
        // Pillow opens 2/4-bit gray PNGs as L (scaled to 0..255); ImageIO gives a colour map.
        Image8 g4 = read(TestImages.grayLowBitPng(9, 5, 4, dir.resolve("g4.png")));
        assertEquals(Image8.Mode.L, g4.mode);
        assertEquals(3 * 17, g4.get(1, 2, 0));
        Image8 g2 = read(TestImages.grayLowBitPng(9, 5, 2, dir.resolve("g2.png")));
        assertEquals(Image8.Mode.L, g2.mode);
        assertEquals(3 * 85, g2.get(2, 1, 0));
    }

    @Test
    void cmykJpegsConvertAsPillowDoes() throws Exception {
        java.awt.image.WritableRaster r = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) r.setPixel(x, y, new int[] {0, 0, 0, 0});
        javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        Path p = dir.resolve("cmyk.jpg");
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(p.toFile())) {
            w.setOutput(out);
            w.write(null, new javax.imageio.IIOImage(r, null, null), null);
        } finally {
            w.dispose();
        }
        Image8 im = read(p);
        assertEquals(Image8.Mode.CMYK, im.mode);
        // Whatever the stored polarity, a constant CMYK image gives a constant RGB one.
        byte[] px = Preprocess.toCHW(im, 8, 3);
        for (int i = 1; i < px.length / 3; i++) assertEquals(px[0], px[i]);
        // Pillow's cmyk2rgb: no ink -> white; full K -> black.
        assertEquals(255, Preprocess.toCHW(Image8.filled(2, 2, Image8.Mode.CMYK, 0, 0, 0, 0), 2, 3)[0] & 0xff);
        assertEquals(0, Preprocess.toCHW(Image8.filled(2, 2, Image8.Mode.CMYK, 0, 0, 0, 255), 2, 3)[0] & 0xff);
        assertEquals(128, Preprocess.toCHW(Image8.filled(2, 2, Image8.Mode.CMYK, 127, 0, 0, 0), 2, 3)[0] & 0xff);
    }

    @Test
    void brokenFilesGiveReasons() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertTrue(assertThrows(ImageDecodeException.class, () -> read(empty)).getMessage().contains("empty"));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all", StandardCharsets.UTF_8);
        assertTrue(assertThrows(ImageDecodeException.class, () -> read(text)).getMessage().contains("not a PNG"));
        Path png = TestImages.truncated(TestImages.noise(64, 64, 1), "png", dir.resolve("t.png"));
        assertThrows(ImageDecodeException.class, () -> read(png));
        Path jpg = TestImages.truncated(TestImages.noise(64, 64, 2), "jpg", dir.resolve("t.jpg"));
        assertThrows(ImageDecodeException.class, () -> read(jpg));
    }

    @Test
    void hugeImagesAreReadSubsampled() throws Exception {
        Path p = TestImages.write(TestImages.rgb(1000, 600, 0x336699), "png", dir.resolve("big.png"));
        // Limit 100k pixels: 1000x600 -> /2 = 150k, /4 = 37.5k; short side 150 still >= 2 * 32.
        Image8 im = ImageDecoder.read(p, 100_000, 32);
        assertEquals(250, im.width);
        assertEquals(150, im.height);
        assertEquals(0x66, im.get(10, 10, 1));
        // Never below twice the target on the short side: for size 200 no subsampling is possible.
        assertEquals(1000, ImageDecoder.read(p, 100_000, 200).width);
    }
}
