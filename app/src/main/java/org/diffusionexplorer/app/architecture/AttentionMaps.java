package org.diffusionexplorer.app.architecture;

import java.util.Map;
import org.diffusionexplorer.app.view.ImageData;

/**
 * Where every spatial position attends in each attention block, for one image at timestep t (batch
 * element 0), keyed by the block's state_dict prefix (e.g. "input_blocks.3").
 */
public record AttentionMaps(int timestep, ImageData input, Map<String, Heads> byBlock) {

    /**
     * One attention layer's softmax weights: [heads][size*size queries][size*size keys], flattened;
     * positions are row-major over the block's size x size grid, as the reference reshapes them.
     */
    public record Heads(int heads, int size, float[] weights) {
        public Heads {
            long t = (long) size * size;
            if (weights.length != heads * t * t) {
                throw new IllegalArgumentException(weights.length + " weights for " + heads + " heads over " + size + "x" + size);
            }
        }

        /** The softmax row of one query position (qy, qx) for one head: size*size weights that sum to 1. */
        public double[] row(int head, int qy, int qx) {
            int t = size * size, q = qy * size + qx;
            double[] out = new double[t];
            for (int k = 0; k < t; k++) out[k] = weights[(head * t + q) * t + k];
            return out;
        }
    }
}
