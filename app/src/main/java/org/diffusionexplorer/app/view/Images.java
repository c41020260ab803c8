package org.diffusionexplorer.app.view;

import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/** Turns model arrays into JavaFX images. */
public final class Images {
    private Images() {
    }

    /** A model image in [-1, 1]: grey for 1 channel, RGB for 3; values outside are clamped. */
    public static WritableImage fromModel(ImageData im) {
        return PixelGrid.image(im).toFx();
    }

    /** One channel of a feature map, scaled so its own largest magnitude is full colour. */
    public static WritableImage channel(ImageData maps, int c) {
        float max = 1e-12f;
        for (int y = 0; y < maps.height(); y++) {
            for (int x = 0; x < maps.width(); x++) max = Math.max(max, Math.abs(maps.get(c, y, x)));
        }
        WritableImage out = new WritableImage(maps.width(), maps.height());
        PixelWriter w = out.getPixelWriter();
        for (int y = 0; y < maps.height(); y++) {
            for (int x = 0; x < maps.width(); x++) w.setArgb(x, y, ColorMap.diverging(maps.get(c, y, x) / max));
        }
        return out;
    }

    /** A [rows][cols] matrix with values in [-1, 1] as a diverging heat-map, one pixel per entry. */
    public static WritableImage heatMap(double[][] m, double scale) {
        int rows = m.length, cols = m[0].length;
        WritableImage out = new WritableImage(cols, rows);
        PixelWriter w = out.getPixelWriter();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) w.setArgb(c, r, ColorMap.diverging(m[r][c] / scale));
        }
        return out;
    }
}
