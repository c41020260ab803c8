package org.diffusionexplorer.app.view;

import javafx.scene.paint.Color;

/** Colour maps as ARGB ints, so images can be filled with setArgb without allocating Colors. */
public final class ColorMap {
    // Blue - white - red (ColorBrewer RdBu reversed): -1 blue, 0 white, +1 red; readable on a projector.
    private static final int[] DIVERGING = {0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
            0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f};

    private ColorMap() {
    }

    /** v in [-1, 1] (clamped) to a diverging colour. */
    public static int diverging(double v) {
        if (Double.isNaN(v)) return 0xff808080;
        double x = (Math.max(-1, Math.min(1, v)) + 1) / 2 * (DIVERGING.length - 1);
        int i = (int) Math.floor(x);
        if (i >= DIVERGING.length - 1) return 0xff000000 | DIVERGING[DIVERGING.length - 1];
        return lerp(DIVERGING[i], DIVERGING[i + 1], x - i);
    }

    public static Color divergingColor(double v) {
        int argb = diverging(v);
        return Color.rgb((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
    }

    /** v in [-1, 1] (clamped) to grey, the model's pixel range. */
    public static int grey(double v) {
        int g = (int) Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5);
        return 0xff000000 | (g << 16) | (g << 8) | g;
    }

    private static int lerp(int a, int b, double f) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return 0xff000000 | (r << 16) | (g << 8) | bl;
    }
}
