package org.diffusionexplorer.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sinusoidal timestep embedding of the reference (Transformer positional encoding):
 * half = dim/2, freq_i = exp(-ln(maxPeriod) * i / half), args = t * freq,
 * embedding = [cos(args) | sin(args)] (all cosines first), one trailing zero column if dim is odd.
 * t may be fractional.
 */
public final class TimestepEmbedding {
    public static final double MAX_PERIOD = 10000;

    private TimestepEmbedding() {}

    /** The frequencies, computed in float32 step by step as the reference does. */
    public static float[] frequencies(int dim, double maxPeriod) {
        int half = dim / 2;
        float[] f = new float[half];
        float c = (float) -Math.log(maxPeriod);
        for (int i = 0; i < half; i++) f[i] = (float) Math.exp((c * (float) i) / (float) half);
        return f;
    }

    /** Frequencies in full double precision (for float64 graphs and the explorer). */
    public static double[] frequencies64(int dim, double maxPeriod) {
        int half = dim / 2;
        double[] f = new double[half];
        for (int i = 0; i < half; i++) f[i] = Math.exp(-Math.log(maxPeriod) * i / half);
        return f;
    }

    /**
     * Plain Java helper (no ND4J) for heat-maps: row n is the embedding of {@code timesteps[n]},
     * laid out as the reference does ([cos | sin]).
     */
    public static double[][] embed(double[] timesteps, int dim) {
        return embed(timesteps, dim, MAX_PERIOD);
    }

    public static double[][] embed(double[] timesteps, int dim, double maxPeriod) {
        if (dim <= 0) throw new IllegalArgumentException("embedding dimension must be positive, got " + dim);
        double[] freq = frequencies64(dim, maxPeriod);
        int half = freq.length;
        double[][] out = new double[timesteps.length][dim];
        for (int n = 0; n < timesteps.length; n++) {
            for (int i = 0; i < half; i++) {
                double a = timesteps[n] * freq[i];
                out[n][i] = Math.cos(a);
                out[n][half + i] = Math.sin(a);
            }
        }
        return out;
    }

    /**
     * The layout of the seed document's heat-map: sin at even and cos at odd indices
     * (column 2i = sin(t freq_i), 2i+1 = cos(t freq_i)). Same numbers as {@link #embed}, reordered.
     */
    public static double[][] embedInterleaved(double[] timesteps, int dim) {
        double[][] ref = embed(timesteps, dim);
        int half = dim / 2;
        double[][] out = new double[ref.length][dim];
        for (int n = 0; n < ref.length; n++) {
            for (int i = 0; i < half; i++) {
                out[n][2 * i] = ref[n][half + i];
                out[n][2 * i + 1] = ref[n][i];
            }
        }
        return out;
    }

    /** The same as SameDiff ops: t [N] (model float type) -> [N, dim]. */
    public static SDVariable apply(SameDiff sd, SDVariable t, int dim, DataType dtype) {
        int half = dim / 2;
        SDVariable freq = dtype == DataType.DOUBLE
                ? sd.constant(Nd4j.createFromArray(frequencies64(dim, MAX_PERIOD)).reshape(1, half))
                : sd.constant(Nd4j.createFromArray(frequencies(dim, MAX_PERIOD)).reshape(1, half).castTo(dtype));
        SDVariable args = t.castTo(dtype).reshape(-1, 1).mul(freq);
        SDVariable emb = sd.concat(1, sd.math().cos(args), sd.math().sin(args));
        if (dim % 2 == 1) {
            emb = sd.concat(1, emb, sd.zerosLike(args.get(org.nd4j.autodiff.samediff.SDIndex.all(),
                    org.nd4j.autodiff.samediff.SDIndex.interval(0, 1))));
        }
        return emb;
    }
}
