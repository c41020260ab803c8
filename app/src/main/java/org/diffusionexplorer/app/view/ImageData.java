package org.diffusionexplorer.app.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A channels-first image (or feature map stack) of floats; model images live in [-1, 1]. */
public record ImageData(int channels, int height, int width, float[] data) {
    public ImageData {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException(data.length + " values for " + channels + "x" + height + "x" + width);
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** A batch [n, c, h, w] of floats, row-major, as n images. */
    public static List<ImageData> batch(float[] all, int n, int c, int h, int w) {
        int per = c * h * w;
        List<ImageData> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new ImageData(c, h, w, Arrays.copyOfRange(all, i * per, (i + 1) * per)));
        return out;
    }
}
