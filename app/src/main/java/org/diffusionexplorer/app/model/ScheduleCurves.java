package org.diffusionexplorer.app.model;

import org.diffusionexplorer.diffusion.NoiseSchedule;

/** Per-timestep quantities of the forward process that the explorer plots (float64, length T). */
public record ScheduleCurves(NoiseSchedule schedule, double[] alphasCumprod, double[] sqrtAlphasCumprod,
        double[] sqrtOneMinusAlphasCumprod) {

    public int steps() {
        return alphasCumprod.length;
    }

    /** Signal-to-noise ratio abar / (1 - abar). */
    public double snr(int t) {
        return alphasCumprod[t] / (1 - alphasCumprod[t]);
    }
}
