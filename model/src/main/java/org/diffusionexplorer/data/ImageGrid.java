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
        int cols = (int) Math.ceil(Math.sqrt(n));
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
        writePng(sheet(List.of(tiles), c, size, size, (int) Math.ceil(Math.sqrt(tiles.size())), scale), out);
    }

    /** A pixel scale that shows small images at about 64 pixels. */
    public static int defaultScale(int imageSize) {
        return Math.max(1, 64 / imageSize);
    }

    /** The tiler: each group of [C, H, W] uint8 tiles wraps after {@code cols} and starts a new row. */
    private static BufferedImage sheet(List<List<byte[]>> groups, int c, int h, int w, int cols, int scale) {
        int lines = 0;
        for (List<byte[]> g : groups) lines += (int) Math.ceil(g.size() / (double) cols);
        int cw = w * scale + GAP, ch = h * scale + GAP, plane = h * w;
        BufferedImage img = new BufferedImage(cols * cw + GAP, Math.max(1, lines) * ch + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, BACKGROUND);
        int line = 0;
        for (List<byte[]> g : groups) {
            for (int i = 0; i < g.size(); i++) {
                byte[] px = g.get(i);
                int ox = GAP + (i % cols) * cw, oy = GAP + (line + i / cols) * ch;
                for (int y = 0; y < h * scale; y++) {
                    for (int x = 0; x < w * scale; x++) {
                        int p = (y / scale) * w + x / scale;
                        int red = px[p] & 0xff;
                        int green = c == 3 ? px[p + plane] & 0xff : red;
                        int blue = c == 3 ? px[p + 2 * plane] & 0xff : red;
                        img.setRGB(ox + x, oy + y, (red << 16) | (green << 8) | blue);
                    }
                }
            }
            line += (int) Math.ceil(g.size() / (double) cols);
        }
        return img;
    }

    private static void writePng(BufferedImage img, Path out) throws IOException {
        AtomicFiles.write(out, o -> {
            if (!ImageIO.write(img, "png", o)) throw new IOException("no PNG writer");
        });
    }
}
