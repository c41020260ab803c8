package org.diffusionexplorer.app.architecture;

import org.diffusionexplorer.app.view.ImageData;

/** Fits an image to a model's channel count: grey to RGB by repeating, RGB to grey by averaging. */
final class ImageAdapt {
    private ImageAdapt() {
    }

    static ImageData toChannels(ImageData im, int channels) {
        if (im.channels() == channels) return im;
        int n = im.height() * im.width();
        float[] out = new float[channels * n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                float v;
                if (im.channels() == 1) {
                    v = im.data()[i];
                } else {
                    float s = 0;
                    for (int k = 0; k < im.channels(); k++) s += im.data()[k * n + i];
                    v = s / im.channels();
                }
                out[c * n + i] = v;
            }
        }
        return new ImageData(channels, im.height(), im.width(), out);
    }
}
