/**
 * A run's configuration as config.json holds it: {@link org.diffusionexplorer.config.RunConfig} and
 * its diffusion, training and data parts (the model part is unet's UNetConfig), read from JSON or
 * from the reference's command-line flags, every bad value named by its key. It sits below sample,
 * models and train because all three need a run's settings and none of them may need each other's
 * callers: the trainer draws sample grids and reads weights for --init-from.
 */
package org.diffusionexplorer.config;
