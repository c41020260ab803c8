package org.diffusionexplorer.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the classifier says about N images.
 *
 * @param probabilities float32 [N, 10], softmax over the digits
 * @param features      float32 [N, 128], the penultimate (ReLU) layer: what the Frechet distance compares
 */
public record Prediction(INDArray probabilities, INDArray features) {

    public int size() {
        return (int) probabilities.size(0);
    }

    /** The most probable digit of image i. */
    public int digit(int i) {
        int best = 0;
        for (int k = 1; k < probabilities.size(1); k++) if (probabilities.getFloat(i, k) > probabilities.getFloat(i, best)) best = k;
        return best;
    }

    /** The probability of that digit. */
    public double confidence(int i) {
        return probabilities.getFloat(i, digit(i));
    }

    /** The most probable digit of every image. */
    public int[] digits() {
        int[] d = new int[size()];
        for (int i = 0; i < d.length; i++) d[i] = digit(i);
        return d;
    }

    /** Share of images whose predicted digit equals the label. */
    public double accuracy(int[] labels) {
        if (labels.length != size()) throw new IllegalArgumentException(labels.length + " labels for " + size() + " predictions");
        int right = 0;
        for (int i = 0; i < labels.length; i++) if (digit(i) == labels[i]) right++;
        return right / (double) labels.length;
    }
}
