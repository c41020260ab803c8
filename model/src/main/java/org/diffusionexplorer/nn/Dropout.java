package org.diffusionexplorer.nn;

import java.util.random.RandomGenerator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * nn.Dropout(p) in training mode: zero each element with probability p and scale the rest by
 * 1/(1-p) (PyTorch's "inverted" dropout). The mask is a placeholder of the activation's full shape,
 * filled by the caller with {@link #mask} for every forward pass, and applied with a same-shape
 * multiply (whose gradient is just the mask; broadcasting backward is slow in M2.1).
 *
 * <p>Why not a random op in the graph: ND4J's dropout ops cannot be differentiated in M2.1
 * (DropOut/DropOutInverted.doDiff throw), and RandomBernoulli draws one mask per graph, reuses it on
 * every call and ignores Nd4j.getRandom().setSeed. Masks from the caller's seeded generator are
 * fresh per pass like PyTorch's and reproducible, so a resumed run is exact.
 *
 * <p>Only the training graph contains this; evaluation graphs skip it (PyTorch eval mode).
 */
public final class Dropout {
    /** Mask placeholders are named PREFIX + the owning block's parameter prefix. */
    public static final String PREFIX = "dropout_mask/";

    private Dropout() {}

    public static String maskName(String site) {
        return PREFIX + site;
    }

    /**
     * {@code x * mask}, mask a placeholder named {@link #maskName}(site) of {@code x}'s shape; the
     * first dimension of {@code shape} (the batch) may be -1. Returns x when not training or p == 0.
     */
    public static SDVariable apply(BuildContext ctx, String site, SDVariable x, double p, long... shape) {
        if (!ctx.training() || p <= 0) return x;
        SDVariable mask = ctx.sd().placeHolder(maskName(site), ctx.dtype(), shape);
        return x.mul(mask);
    }

    /** A mask of {@code shape}: each element 0 with probability p, else 1/(1-p); drawn in C order from rng. */
    public static INDArray mask(RandomGenerator rng, double p, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        int len = Math.toIntExact(n);
        double keep = 1 - p;
        if (dtype == DataType.DOUBLE) {
            double[] v = new double[len];
            double scale = 1 / keep;
            for (int i = 0; i < len; i++) v[i] = rng.nextDouble() < p ? 0 : scale;
            return Nd4j.create(v, shape, 'c');
        }
        if (dtype != DataType.FLOAT) throw new IllegalArgumentException("mask dtype must be FLOAT or DOUBLE, got " + dtype);
        float[] v = new float[len];
        float scale = (float) (1 / keep);
        for (int i = 0; i < len; i++) v[i] = rng.nextDouble() < p ? 0 : scale;
        return Nd4j.create(v, shape, 'c');
    }
}
