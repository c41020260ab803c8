package org.diffusionexplorer.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reverse step, as handed to the explorer: {@code index} counts steps from 0 (the first, noisiest
 * step) to steps-1; {@code t} is the step of the (possibly respaced) process, {@code originalT} the
 * step of the original process (what the model was told, before rescaling); {@code x} is x_t that went
 * in, {@code sample} is x_{t-1} that came out, {@code predXstart} the model's x_0 estimate.
 */
public record SamplingStep(int index, int steps, int t, int originalT, INDArray x, INDArray sample, INDArray predXstart) {}
