package org.diffusionexplorer.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images generated at a training step: {@code images} is float32 [N, C, H, W] in [-1, 1]
 * (x_0 of the reverse process) from the EMA weights named by {@code weights}, {@code labels} the
 * classes asked for or null. {@code raw}, when the run was asked for it
 * ({@link TrainingRun#sampleRawWeightsToo}), holds the same sampler from the same noise on the raw
 * weights the optimiser just updated (what the averaging adds is the difference); else null.
 */
public record SampleBatch(long step, INDArray images, long[] labels, String weights, INDArray raw) {

    public SampleBatch(long step, INDArray images, long[] labels, String weights) {
        this(step, images, labels, weights, null);
    }

    /** The EMA images as one float array in [N, C, H, W] order, for views that do not use ND4J. */
    public float[] floats() {
        return floats(images);
    }

    /** The raw-weights images the same way, or null when they were not drawn. */
    public float[] rawFloats() {
        return raw == null ? null : floats(raw);
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public int count() {
        return (int) images.size(0);
    }
}
