package org.diffusionexplorer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.diffusionexplorer.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PNG contact sheets: model images [N, C, H, W] in [-1, 1] (sample grids, strips) and dataset
 * images as the model sees them (previews), drawn by one tiler. Model pixels are converted as
 * image_sample.py does: ((x + 1) * 127.5) clamped to [0, 255] and truncated to uint8.
 */
public final class ImageGrid {
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x404040;

    private ImageGrid() {}

    /** One byte per pixel value, [N, C, H, W] order: the reference's uint8 conversion. */
    public static byte[] toUint8(INDArray images) {
        float[] f = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            double v = (f[i] + 1.0) * 127.5;
            b[i] = (byte) (int) Math.max(0, Math.min(255, v));
        }
        return b;
    }

    /** A square-ish grid of the images, each pixel drawn scale x scale. */
    public static void write(INDArray images, int scale, Path out) throws IOException {
        int n = (int) images.size(0);
        int cols = columns(n);
        writeRows(List.of(images), cols, scale, out);
    }

    /**
     * Rows of tiles: every array of {@code rows} is laid out left to right, wrapping after
     * {@code cols} tiles, and each array starts a new row (the progressive strips: one row per frame kind).
     */
    public static void writeRows(List<INDArray> rows, int cols, int scale, Path out) throws IOException {
        long[] shape = rows.get(0).shape();
        int c = (int) shape[1], h = (int) shape[2], w = (int) shape[3];
        List<List<byte[]>> groups = new ArrayList<>();
        for (INDArray r : rows) {
            byte[] px = toUint8(r);
            int n = (int) r.size(0), tile = c * h * w;
            List<byte[]> tiles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) tiles.add(java.util.Arrays.copyOfRange(px, i * tile, (i + 1) * tile));
            groups.add(tiles);
        }
        writePng(sheet(groups, c, h, w, cols, scale), out);
    }

    /** Uint8 tiles of [C, H, W] pixels (a dataset's own bytes) in a square-ish grid. */
    public static void writeTiles(List<byte[]> tiles, int c, int size, int scale, Path out) throws IOException {
        writePng(sheet(List.of(tiles), c, size, size, columns(tiles.size()), scale), out);
    }

    /** A pixel scale that shows small images at about 64 pixels. */
    public static int defaultScale(int imageSize) {
        return Math.max(1, 64 / imageSize);
    }

    /** Columns of a square-ish grid of n tiles: ceil(sqrt(n)). */
    public static int columns(int n) {
        return (int) Math.ceil(Math.sqrt(n));
    }

    /** A tiled raster: packed RGB (or ARGB) ints, row by row. */
    public record Sheet(int width, int height, int[] pixels) {}

    /**
     * The one tiler of the project (the CLI's PNGs here, the app's grids through its PixelGrid):
     * tiles of w x h packed pixels, each group wrapping after {@code cols} tiles and starting a new
     * row, {@code gap} pixels between tiles, {@code border} pixels around, {@code background}
     * everywhere no tile covers. Pixel values are copied as they are: converting them is the caller's.
     */
    public static Sheet tile(List<List<int[]>> groups, int w, int h, int cols, int gap, int border, int background) {
        int lines = 0;
        for (List<int[]> g : groups) lines += (int) Math.ceil(g.size() / (double) cols);
        lines = Math.max(1, lines);
        int width = 2 * border + cols * w + (cols - 1) * gap, height = 2 * border + lines * h + (lines - 1) * gap;
        int[] out = new int[width * height];
        java.util.Arrays.fill(out, background);
        int line = 0;
        for (List<int[]> g : groups) {
            for (int i = 0; i < g.size(); i++) {
                int[] px = g.get(i);
                if (px.length != w * h) throw new IllegalArgumentException("tile " + i + " has " + px.length + " pixels, not " + w + "x" + h);
                int ox = border + (i % cols) * (w + gap), oy = border + (line + i / cols) * (h + gap);
                for (int y = 0; y < h; y++) System.arraycopy(px, y * w, out, (oy + y) * width + ox, w);
            }
            line += (int) Math.ceil(g.size() / (double) cols);
        }
        return new Sheet(width, height, out);
    }

    /** The CLI's sheet: [C, H, W] uint8 tiles as RGB (grey repeated), each pixel drawn scale x scale. */
    private static BufferedImage sheet(List<List<byte[]>> groups, int c, int h, int w, int cols, int scale) {
        int sw = w * scale, sh = h * scale, plane = h * w;
        List<List<int[]>> rgb = new ArrayList<>(groups.size());
        for (List<byte[]> g : groups) {
            List<int[]> tiles = new ArrayList<>(g.size());
            for (byte[] px : g) {
                int[] t = new int[sw * sh];
                for (int y = 0; y < sh; y++) {
                    for (int x = 0; x < sw; x++) {
                        int p = (y / scale) * w + x / scale;
                        int red = px[p] & 0xff;
                        int green = c == 3 ? px[p + plane] & 0xff : red;
                        int blue = c == 3 ? px[p + 2 * plane] & 0xff : red;
                        t[y * sw + x] = (red << 16) | (green << 8) | blue;
                    }
                }
                tiles.add(t);
            }
            rgb.add(tiles);
        }
        Sheet s = tile(rgb, sw, sh, cols, GAP, GAP, BACKGROUND);
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, s.width(), s.height(), s.pixels(), 0, s.width());
        return img;
    }

    /** Writes a picture as PNG through AtomicFiles, as every output of the project: never half a PNG. */
    public static void writePng(BufferedImage img, Path out) throws IOException {
        AtomicFiles.write(out, o -> {
            if (!ImageIO.write(img, "png", o)) throw new IOException("no PNG writer");
        });
    }
}
