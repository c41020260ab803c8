package org.diffusionexplorer.eval;

import java.util.Arrays;
import java.util.Random;
import org.diffusionexplorer.data.BatchIterator;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageDecodeException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images with their digit labels, read from a bundled MNIST split ("mnist": 9,000 training digits,
 * "mnist-test": the 1,000 held out).
 *
 * @param images float32 [N, C, S, S] in [-1, 1]
 * @param labels the digit 0..9 of every image
 */
public record Digits(INDArray images, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** The whole split at the classifier's size (28 x 28, one channel: the digits as bundled). */
    public static Digits load(String split) {
        return load(split, DigitImages.SIZE, 1, Integer.MAX_VALUE, 0);
    }

    /**
     * The split as a model of {@code size} x {@code size} x {@code channels} was trained on it (the
     * data pipeline's resize), so that real and generated digits reach the classifier through the
     * same resize. At most {@code limit} images: a subset drawn with {@code seed}, kept in file order.
     */
    public static Digits load(String split, int size, int channels, int limit, long seed) {
        ImageDataset ds = Datasets.open(split, size, channels, true);
        int[] pick = subset(ds.size(), limit, seed);
        int per = channels * size * size;
        float[] data = new float[pick.length * per];
        int[] labels = new int[pick.length];
        for (int k = 0; k < pick.length; k++) {
            try {
                System.arraycopy(ds.image(pick[k]), 0, data, k * per, per);
            } catch (ImageDecodeException e) {
                throw new DatasetException(split + ": " + ds.describe(pick[k]) + " is unreadable: " + e.getMessage());
            }
            labels[k] = Integer.parseInt(ds.classNames().get(ds.label(pick[k])));
        }
        return new Digits(Nd4j.create(data, new long[] {pick.length, channels, size, size}, 'c'), labels);
    }

    /** Indices 0..n-1, or {@code limit} of them chosen by a seeded shuffle, sorted. */
    static int[] subset(int n, int limit, long seed) {
        int[] all = BatchIterator.identity(n);
        if (limit >= n) return all;
        BatchIterator.shuffle(all, new Random(seed));
        int[] pick = Arrays.copyOf(all, limit);
        Arrays.sort(pick);
        return pick;
    }
}
