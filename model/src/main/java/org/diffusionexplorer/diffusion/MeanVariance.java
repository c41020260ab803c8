package org.diffusionexplorer.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian over x_{t-1} given x_t, element by element, with the x_0 it implies: the result of
 * p_mean_variance (predXstart = the model's x_0 prediction) or q_posterior (predXstart = the true x_0).
 */
public record MeanVariance(INDArray mean, INDArray variance, INDArray logVariance, INDArray predXstart) {}
