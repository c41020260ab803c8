package org.diffusionexplorer.app.training;

import org.diffusionexplorer.app.view.ImageData;

/** Tiles N images [N, C, H, W] into one square-ish grid image with a thin grey gap between tiles. */
final class GridImage {
    static final int GAP = 1;
    /** mid-grey in the model's [-1, 1]: visible against white digits and black backgrounds alike */
    static final float GAP_VALUE = -0.5f;

    private GridImage() {
    }

    static ImageData tile(float[] images, int n, int channels, int size) {
        int cols = (int) Math.ceil(Math.sqrt(n)), rows = (int) Math.ceil(n / (double) cols);
        int w = cols * (size + GAP) + GAP, h = rows * (size + GAP) + GAP;
        float[] out = new float[channels * h * w];
        java.util.Arrays.fill(out, GAP_VALUE);
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            int ox = GAP + (i % cols) * (size + GAP), oy = GAP + (i / cols) * (size + GAP);
            for (int c = 0; c < channels; c++) {
                int src = (i * channels + c) * plane;
                for (int y = 0; y < size; y++) {
                    System.arraycopy(images, src + y * size, out, (c * h + oy + y) * w + ox, size);
                }
            }
        }
        return new ImageData(channels, h, w, out);
    }
}
