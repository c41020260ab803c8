package org.diffusionexplorer.app.view;

import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/** A placeholder window icon drawn in code: a noisy disc fading into a clean one, left to right. */
public final class AppIcon {
    private AppIcon() {
    }

    public static WritableImage create(int size) {
        WritableImage im = new WritableImage(size, size);
        PixelWriter w = im.getPixelWriter();
        java.util.Random r = new java.util.Random(7);
        double c = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x - c, y - c) / c;
                double signal = d < 0.7 ? 1 : -1;
                double noiseAmount = 1 - x / (double) (size - 1);
                double v = Math.sqrt(1 - noiseAmount) * signal + Math.sqrt(noiseAmount) * r.nextGaussian() * 0.8;
                int argb = d > 1 ? 0 : ColorMap.diverging(v);
                w.setArgb(x, y, argb);
            }
        }
        return im;
    }
}
