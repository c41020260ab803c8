package org.diffusionexplorer.diffusion;

/**
 * Receives every step of a reverse process (to animate it, count it, keep frames of it): the one
 * listener of sampling, for the CLI, the trainer, evaluate and the explorer.
 */
@FunctionalInterface
public interface SamplingListener {
    void onStep(SamplingStep step);

    /** Asked before every model call; true stops the run (the explorer's Cancel). */
    default boolean stopRequested() {
        return false;
    }
}
