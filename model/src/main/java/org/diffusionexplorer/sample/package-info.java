/**
 * Generating images from a model, as the reference's image_sample.py: {@link
 * org.diffusionexplorer.sample.Sampling} (one options type and one listener for the CLI, the
 * trainer's grids, evaluation and the explorer) and {@link org.diffusionexplorer.sample.Interpolation}
 * (DDIM between two starting noises). The reverse loop itself is diffusion.ReverseSampler.
 */
package org.diffusionexplorer.sample;
