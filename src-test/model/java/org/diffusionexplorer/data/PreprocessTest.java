package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reference's preprocessing on synthetic images whose result is known by hand. */
class PreprocessTest {

    @Test
    void constantImageStaysConstant() {
        for (int[] wh : new int[][] {{100, 70}, {3, 5}, {33, 32}, {257, 129}}) {
            byte[] out = Preprocess.toCHW(Image8.filled(wh[0], wh[1], Image8.Mode.RGB, 10, 200, 30), 32, 3);
            assertEquals(3 * 32 * 32, out.length);
            for (int i = 0; i < out.length; i++) {
                int expected = i < 1024 ? 10 : i < 2048 ? 200 : 30;
                assertEquals(expected, out[i] & 0xff, "at " + i + " for " + wh[0] + "x" + wh[1]);
            }
        }
    }

    @Test
    void checkerboardBoxHalvesToGrey() {
        // 64x64 at size 32: one box halving; every 2x2 block holds two 0s and two 255s.
        byte[] d = new byte[64 * 64];
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) d[y * 64 + x] = (byte) (((x + y) & 1) == 0 ? 0 : 255);
        byte[] out = Preprocess.toCHW(new Image8(64, 64, Image8.Mode.L, d), 32, 1);
        // Horizontal pass: (0 + 255) / 2 = 127.5 rounds to 128 in Pillow's fixed point, then stays.
        for (byte b : out) assertEquals(128, b & 0xff);
        float[] f = new float[out.length];
        Preprocess.toFloat(out, f, 0);
        assertEquals(128 / 127.5f - 1f, f[0]);
    }

    @Test
    void boxHalvingAveragesTwoByTwoBlocks() {
        // 4x4 -> size 2: one halving to 2x2, then no bicubic (already the size).
        int[] v = {0, 4, 8, 12, 16, 20, 24, 28, 100, 104, 200, 204, 108, 112, 208, 212};
        byte[] d = new byte[16];
        for (int i = 0; i < 16; i++) d[i] = (byte) v[i];
        byte[] out = Preprocess.toCHW(new Image8(4, 4, Image8.Mode.L, d), 2, 1);
        assertArrayEquals(new byte[] {10, 18, 106, (byte) 206}, out);
    }

    @Test
    void centreCropUsesFloorDivision() {
        // 32 wide, 49 high: no resize; rows 8..39 kept ((49 - 32) // 2 = 8).
        byte[] d = new byte[32 * 49];
        for (int y = 0; y < 49; y++) for (int x = 0; x < 32; x++) d[y * 32 + x] = (byte) y;
        byte[] out = Preprocess.toCHW(new Image8(32, 49, Image8.Mode.L, d), 32, 1);
        assertEquals(8, out[0]);
        assertEquals(39, out[31 * 32 + 5]);
        // And horizontally with a landscape image 45 x 32: columns 6..37.
        byte[] e = new byte[45 * 32 * 3];
        for (int y = 0; y < 32; y++) for (int x = 0; x < 45; x++) e[(y * 45 + x) * 3 + 1] = (byte) x;
        byte[] o2 = Preprocess.toCHW(new Image8(45, 32, Image8.Mode.RGB, e), 32, 3);
        assertEquals(6, o2[1024]);
        assertEquals(37, o2[1024 + 31]);
        assertEquals(0, o2[0]);
    }

    @Test
    void tinyImagesAreUpscaled() {
        byte[] d = new byte[3 * 5];
        for (int i = 0; i < d.length; i++) d[i] = (byte) (i * 17);
        Image8 fit = Preprocess.fitShortSide(new Image8(3, 5, Image8.Mode.L, d), 32);
        assertEquals(32, fit.width);
        assertEquals(53, fit.height); // round(5 * 32 / 3) = round(53.33)
        byte[] out = Preprocess.toCHW(new Image8(3, 5, Image8.Mode.L, d), 32, 3);
        assertEquals(3 * 32 * 32, out.length);
    }

    @Test
    void roundingOfTheLongSideIsHalfToEven() {
        // 10 x 5 image, size 2: halve to 5x2 (short 5 >= 4), then 2 < 4 stops; scale 1.
        Image8 fit = Preprocess.fitShortSide(Image8.filled(10, 5, Image8.Mode.L, 7), 2);
        assertEquals(5, fit.width);
        assertEquals(2, fit.height);
        // 7 x 6 to size 4: scale 4/6, 7 * 0.667 = 4.67 -> 5.
        assertEquals(5, Preprocess.fitShortSide(Image8.filled(7, 6, Image8.Mode.L, 7), 4).width);
        // 10 x 4 to size 5: scale 1.25, 12.5 rounds to even 12 (Python's round), not 13.
        assertEquals(12, Preprocess.fitShortSide(Image8.filled(10, 4, Image8.Mode.L, 7), 5).width);
    }

    @Test
    void grayscaleConversionUsesPilLuma() {
        byte[] out = Preprocess.toCHW(Image8.filled(4, 4, Image8.Mode.RGB, 255, 0, 0), 4, 1);
        assertEquals(76, out[0] & 0xff); // (255*19595 + 0x8000) >> 16
        byte[] g = Preprocess.toCHW(Image8.filled(4, 4, Image8.Mode.RGB, 0, 255, 0), 4, 1);
        assertEquals(150, g[0] & 0xff);
        // A gray image to 3 channels replicates.
        byte[] rgb = Preprocess.toCHW(Image8.filled(4, 4, Image8.Mode.L, 90), 4, 3);
        for (byte b : rgb) assertEquals(90, b & 0xff);
    }

    @Test
    void alphaIsDroppedNotComposited() {
        // PIL's convert("RGB") keeps the stored colour of a transparent pixel.
        byte[] out = Preprocess.toCHW(Image8.filled(8, 8, Image8.Mode.RGBA, 200, 100, 50, 0), 8, 3);
        assertEquals(200, out[0] & 0xff);
        assertEquals(100, out[64] & 0xff);
        assertEquals(50, out[128] & 0xff);
        // Resized with alpha: premultiplied, then un-premultiplied; an opaque constant stays exact.
        byte[] r = Preprocess.toCHW(Image8.filled(20, 20, Image8.Mode.RGBA, 200, 100, 50, 255), 8, 3);
        assertEquals(200, r[0] & 0xff);
    }

    @Test
    void paletteImagesResizeWithNearestNeighbour() {
        // 4x4 palette image (as RGB) of two colours in columns; to size 2 Pillow uses NEAREST:
        // source columns floor((x + 0.5) * 2) = 1, 3.
        byte[] d = new byte[4 * 4 * 3];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) d[(y * 4 + x) * 3] = (byte) (x * 60);
        byte[] out = Preprocess.toCHW(new Image8(4, 4, Image8.Mode.P, d), 2, 3);
        assertEquals(60, out[0] & 0xff);
        assertEquals(180, out[1] & 0xff);
    }

    @Test
    void floatsAreInMinusOneToOne() {
        byte[] b = {0, (byte) 255, (byte) 127, (byte) 128};
        float[] f = new float[4];
        Preprocess.toFloat(b, f, 0);
        assertEquals(-1f, f[0]);
        assertEquals(1f, f[1]);
        assertTrue(f[2] < 0 && f[3] > 0);
    }
}
