package org.diffusionexplorer.app.view;

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
}
