package org.diffusionexplorer.diffusion;

/** Receives every step of a reverse process, e.g. to animate it. */
@FunctionalInterface
public interface SamplingListener {
    void onStep(SamplingStep step);
}
