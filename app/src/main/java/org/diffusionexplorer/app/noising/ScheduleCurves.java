package org.diffusionexplorer.app.noising;

import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.NoiseSchedule;

/** Per-timestep quantities of the forward process that the explorer plots (float64, length T). */
public record ScheduleCurves(NoiseSchedule schedule, double[] alphasCumprod, double[] sqrtAlphasCumprod,
        double[] sqrtOneMinusAlphasCumprod) {

    /** The curves of a schedule with T steps, as GaussianDiffusion computes them. */
    public static ScheduleCurves of(NoiseSchedule schedule, int steps) {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(schedule).steps(steps).build();
        return new ScheduleCurves(schedule, d.alphasCumprod, d.sqrtAlphasCumprod, d.sqrtOneMinusAlphasCumprod);
    }

    /** q_sample: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps. */
    public ImageData qSample(ImageData x0, ImageData eps, int t) {
        // The same arithmetic as GaussianDiffusion.qSample, on plain arrays: scrubbing must not wait for ND4J.
        double a = sqrtAlphasCumprod[t], b = sqrtOneMinusAlphasCumprod[t];
        float[] out = new float[x0.data().length];
        for (int i = 0; i < out.length; i++) out[i] = (float) (a * x0.data()[i] + b * eps.data()[i]);
        return new ImageData(x0.channels(), x0.height(), x0.width(), out);
    }

    public int steps() {
        return alphasCumprod.length;
    }

    /** Signal-to-noise ratio abar / (1 - abar). */
    public double snr(int t) {
        return alphasCumprod[t] / (1 - alphasCumprod[t]);
    }
}
