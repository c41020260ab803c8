package org.diffusionexplorer.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The network as the diffusion sees it: x [N,C,H,W], t [N] already as fed to the model (original
 * timestep numbers, rescaled to 0..1000 if the process says so), y [N] labels or null.
 * Returns [N,C,H,W], or [N,2C,H,W] when variances are learned. {@code UNetModel::forward} fits.
 */
@FunctionalInterface
public interface Denoiser {
    INDArray apply(INDArray x, INDArray t, INDArray y);
}
