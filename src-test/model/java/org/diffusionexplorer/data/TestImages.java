package org.diffusionexplorer.data;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Odd images made at test time, so no binary fixtures are needed. */
final class TestImages {
    private TestImages() {
    }

    static BufferedImage rgb(int w, int h, int rgb) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, rgb);
        return im;
    }

    static BufferedImage gray(int w, int h, int v) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = im.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, v);
        return im;
    }

    static BufferedImage gray16(int w, int h, int v16) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = im.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, v16);
        return im;
    }

    /** 16 bits per channel RGB, constant colour. */
    static BufferedImage rgb16(int w, int h, int r16, int g16, int b16) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) r.setPixel(x, y, new int[] {r16, g16, b16});
        return new BufferedImage(cm, r, false, null);
    }

    /** Gray + alpha (PIL mode LA). */
    static BufferedImage grayAlpha(int w, int h, int v, int a) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setPixel(x, y, new int[] {v, a});
        return new BufferedImage(cm, r, false, null);
    }

    static BufferedImage argb(int w, int h, int argb) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, argb);
        return im;
    }

    /** A 4-colour palette image; pixel (x, y) has index (x + y) % 4. */
    static BufferedImage palette(int w, int h, int[] colours) {
        byte[] r = new byte[4], g = new byte[4], b = new byte[4];
        for (int i = 0; i < 4; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        IndexColorModel cm = new IndexColorModel(2, 4, r, g, b);
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
        WritableRaster ras = im.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) ras.setSample(x, y, 0, (x + y) % 4);
        return im;
    }

    /** A grayscale PNG of 2 or 4 bits per pixel, written by hand (ImageIO would choose its own layout). */
    static Path grayLowBitPng(int w, int h, int bits, Path file) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int perByte = 8 / bits;
        for (int y = 0; y < h; y++) {
            raw.write(0); // filter type none
            for (int x0 = 0; x0 < w; x0 += perByte) {
                int b = 0;
                for (int k = 0; k < perByte; k++) {
                    int v = x0 + k < w ? (x0 + k + y) % (1 << bits) : 0;
                    b |= v << (8 - bits * (k + 1));
                }
                raw.write(b);
            }
        }
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
            d.write(raw.toByteArray());
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bits).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", z.toByteArray());
        chunk(png, "IEND", new byte[0]);
        Files.createDirectories(file.getParent());
        Files.write(file, png.toByteArray());
        return file;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A CMYK JPEG written by ImageIO from a 4-band raster (ImageIO stores the bands as given). */
    static Path cmykJpeg(int w, int h, int[] cmyk, Path file) throws IOException {
        WritableRaster r = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setPixel(x, y, cmyk);
        javax.imageio.ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
        Files.createDirectories(file.getParent());
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            wr.setOutput(out);
            wr.write(null, new javax.imageio.IIOImage(r, null, null), null);
        } finally {
            wr.dispose();
        }
        return file;
    }

    /**
     * A w x h 8-bit gray PNG streamed row by row (no raster in memory), value (x + y) & 0xff, or
     * with {@code headerOnly} just IHDR, a few rows of IDAT and IEND, as a forged header would be.
     */
    static Path grayPng(int w, int h, boolean headerOnly, Path file) throws IOException {
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z, new java.util.zip.Deflater(1), 1 << 16)) {
            byte[] row = new byte[w + 1];
            for (int y = 0; y < (headerOnly ? 4 : h); y++) {
                row[0] = 0;
                for (int x = 0; x < w; x++) row[x + 1] = (byte) (x + y);
                d.write(row);
            }
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", z.toByteArray());
        chunk(png, "IEND", new byte[0]);
        Files.createDirectories(file.getParent());
        Files.write(file, png.toByteArray());
        return file;
    }

    static Path write(BufferedImage im, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(im, format, file.toFile())) throw new IOException("no " + format + " writer for " + im);
        return file;
    }

    static byte[] bytes(BufferedImage im, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(im, format, out)) throw new IOException("no " + format + " writer");
        return out.toByteArray();
    }

    /** A noisy image whose encoding is long enough that cutting it surely truncates pixel data. */
    static BufferedImage noise(int w, int h, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, rnd.nextInt(1 << 24));
        return im;
    }

    static Path truncated(BufferedImage im, String format, Path file) throws IOException {
        byte[] b = bytes(im, format);
        Files.createDirectories(file.getParent());
        Files.write(file, Arrays.copyOf(b, b.length / 2));
        return file;
    }
}
