package org.diffusionexplorer.diffusion;

/** What the network's (first C) output channels predict. */
public enum ModelMeanType {
    /** x_{t-1} itself (the posterior mean). */
    PREVIOUS_X,
    /** the clean image x_0. */
    START_X,
    /** the noise epsilon that was added (the DDPM default). */
    EPSILON
}
