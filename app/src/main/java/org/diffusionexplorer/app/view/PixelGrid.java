package org.diffusionexplorer.app.view;

import java.awt.image.BufferedImage;
import java.util.List;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.diffusionexplorer.data.ImageGrid;

/**
 * An opaque ARGB raster: model images converted to pixels, tiled into a grid (by the model's one
 * tiler, data.ImageGrid), put side by side, scaled, and handed to JavaFX (the views) or AWT (the
 * image writers). Built off the FX thread; never changed after.
 */
public record PixelGrid(int width, int height, int[] argb) {
    /** Between tiles and panels: light enough to separate dark digits, dark enough not to glare. */
    public static final int GAP_COLOUR = 0xff8a94a3;

    public PixelGrid {
        if (argb.length != width * height) throw new IllegalArgumentException(argb.length + " pixels for " + width + "x" + height);
    }

    /** Model images in [-1, 1] in a near-square grid (1 px gaps), row by row. */
    public static PixelGrid tiles(List<ImageData> images) {
        return tiles(images, 0, GAP_COLOUR);
    }

    /**
     * Model images of one size in a near-square grid, 1 px between tiles and {@code border} px
     * around, the gaps in {@code gapColour}.
     */
    public static PixelGrid tiles(List<ImageData> images, int border, int gapColour) {
        ImageData first = images.get(0);
        List<int[]> pixels = images.stream().map(im -> image(im).argb).toList();
        ImageGrid.Sheet s = ImageGrid.tile(List.of(pixels), first.width(), first.height(),
                ImageGrid.columns(images.size()), 1, border, gapColour);
        return new PixelGrid(s.width(), s.height(), s.pixels());
    }

    /** One model image: grey for 1 channel, RGB for 3; values outside [-1, 1] are clamped. */
    public static PixelGrid image(ImageData im) {
        int[] px = new int[im.width() * im.height()];
        for (int y = 0; y < im.height(); y++) {
            for (int x = 0; x < im.width(); x++) {
                px[y * im.width() + x] = im.channels() >= 3
                        ? 0xff000000 | byte255(im.get(0, y, x)) << 16 | byte255(im.get(1, y, x)) << 8 | byte255(im.get(2, y, x))
                        : ColorMap.grey(im.get(0, y, x));
            }
        }
        return new PixelGrid(im.width(), im.height(), px);
    }

    /** Grids left to right with {@code gap} pixels between them, top-aligned. */
    public static PixelGrid row(List<PixelGrid> parts, int gap) {
        int w = -gap, h = 0;
        for (PixelGrid p : parts) {
            w += p.width + gap;
            h = Math.max(h, p.height);
        }
        PixelGrid g = blank(w, h);
        int x = 0;
        for (PixelGrid p : parts) {
            g.paste(p, x, 0);
            x += p.width + gap;
        }
        return g;
    }

    /** Grids top to bottom with {@code gap} pixels between them. */
    public static PixelGrid column(List<PixelGrid> parts, int gap) {
        int w = 0, h = -gap;
        for (PixelGrid p : parts) {
            w = Math.max(w, p.width);
            h += p.height + gap;
        }
        PixelGrid g = blank(w, h);
        int y = 0;
        for (PixelGrid p : parts) {
            g.paste(p, 0, y);
            y += p.height + gap;
        }
        return g;
    }

    /** Every pixel as a k x k square (nearest neighbour: the pixels of small images stay visible). */
    public PixelGrid scaled(int k) {
        int[] out = new int[width * k * height * k];
        for (int y = 0; y < height * k; y++) {
            for (int x = 0; x < width * k; x++) out[y * width * k + x] = argb[(y / k) * width + x / k];
        }
        return new PixelGrid(width * k, height * k, out);
    }

    public WritableImage toFx() {
        WritableImage im = new WritableImage(width, height);
        im.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return im;
    }

    public BufferedImage toAwt() {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        im.setRGB(0, 0, width, height, argb, 0, width);
        return im;
    }

    private static PixelGrid blank(int w, int h) {
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, GAP_COLOUR);
        return new PixelGrid(w, h, px);
    }

    private void paste(PixelGrid p, int x0, int y0) {
        for (int y = 0; y < p.height; y++) System.arraycopy(p.argb, y * p.width, argb, (y0 + y) * width + x0, p.width);
    }

    private static int byte255(float v) {
        return (int) Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5);
    }
}
