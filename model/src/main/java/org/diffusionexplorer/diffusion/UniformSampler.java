package org.diffusionexplorer.diffusion;

import java.util.Arrays;

/** Every timestep equally likely; all weights 1. */
public final class UniformSampler implements TimestepSampler {
    private final int numTimesteps;

    public UniformSampler(int numTimesteps) {
        if (numTimesteps < 1) throw new IllegalArgumentException("need at least one timestep");
        this.numTimesteps = numTimesteps;
    }

    public UniformSampler(GaussianDiffusion diffusion) {
        this(diffusion.numTimesteps);
    }

    @Override
    public double[] weights() {
        double[] w = new double[numTimesteps];
        Arrays.fill(w, 1.0);
        return w;
    }
}
