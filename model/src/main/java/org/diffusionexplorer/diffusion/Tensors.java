package org.diffusionexplorer.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves batches between ND4J and plain float64 arrays, where the per-timestep arithmetic happens. */
final class Tensors {
    private Tensors() {}

    static double[] doubles(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    static INDArray create(double[] values, long[] shape, DataType dtype) {
        INDArray d = Nd4j.create(values, shape, 'c');
        return dtype == DataType.DOUBLE ? d : d.castTo(dtype);
    }

    static void checkBatch(long[] shape, int[] t, String what) {
        if (shape.length < 1 || shape[0] != t.length) {
            throw new IllegalArgumentException(what + ": batch of " + (shape.length == 0 ? 0 : shape[0])
                    + " items but " + t.length + " timesteps");
        }
    }
}
