package org.diffusionexplorer.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images generated at a training step: {@code images} is float32 [N, C, H, W] in [-1, 1]
 * (x_0 of the reverse process), {@code labels} the classes asked for or null.
 */
public record SampleBatch(long step, INDArray images, long[] labels, String weights) {

    /** The images as one float array in [N, C, H, W] order, for views that do not use ND4J. */
    public float[] floats() {
        return images.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public int count() {
        return (int) images.size(0);
    }
}
