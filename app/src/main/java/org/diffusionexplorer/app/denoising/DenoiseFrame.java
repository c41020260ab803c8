package org.diffusionexplorer.app.denoising;

import java.util.List;
import org.diffusionexplorer.app.view.ImageData;

/**
 * One stored moment of a sampling run, as plain values: x_t that went into the model and the model's
 * estimate of x_0 from it, one image per sample.
 *
 * @param step      0 for the first (noisiest) model call .. steps-1 for the last; steps for the final output
 * @param steps     model calls in the run
 * @param t         timestep of the original process the model was asked about; 0 for the final output
 * @param modelT    the number the model's time embedding was given (t * 1000 / T when the run
 *                  rescales timesteps), for highlighting its embedding row
 * @param xt        x_t per image, or the finished samples for the final frame
 * @param predX0    predicted x_0 per image (equal to xt for the final frame)
 */
public record DenoiseFrame(int step, int steps, int t, int modelT, List<ImageData> xt, List<ImageData> predX0) {
    public DenoiseFrame {
        xt = List.copyOf(xt);
        predX0 = List.copyOf(predX0);
    }

    /** The finished samples, after the last model call. */
    public boolean isFinal() {
        return step == steps;
    }
}
