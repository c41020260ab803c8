package org.diffusionexplorer.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch.
 *
 * @param x       float32 [N, C, H, W] in [-1, 1]
 * @param y       int64 [N] class labels, or null for an unlabelled dataset
 * @param index   global batch number (0, 1, 2, ... across epochs)
 * @param epoch   epoch the batch belongs to
 * @param indices dataset indices of the images, in batch order (after any skip substitution)
 */
public record Batch(INDArray x, INDArray y, long index, int epoch, int[] indices) {
}
