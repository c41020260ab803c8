package org.diffusionexplorer.app.denoising;

import javafx.scene.image.Image;
import org.diffusionexplorer.app.view.PixelGrid;

/** A frame as the viewer shows it: the grids of x_t and predicted x_0, drawn once on the sampling thread. */
record RenderedFrame(DenoiseFrame frame, PixelGrid xt, PixelGrid x0, Image xtImage, Image x0Image) {

    static RenderedFrame of(DenoiseFrame f) {
        PixelGrid xt = PixelGrid.tiles(f.xt()), x0 = PixelGrid.tiles(f.predX0());
        return new RenderedFrame(f, xt, x0, xt.toFx(), x0.toFx());
    }

    /** "t = 734, call 27 of 50" or "finished samples". */
    String describe() {
        DenoiseFrame f = frame;
        if (f.isFinal()) return "finished samples, after " + f.steps() + " calls";
        return "t = " + f.t() + ", call " + (f.step() + 1) + " of " + f.steps();
    }
}
