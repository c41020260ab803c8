package org.diffusionexplorer.app.embedding;

import org.diffusionexplorer.nn.TimestepEmbedding;

/** Rearranging and comparing timestep embeddings (the numbers themselves come from nn.TimestepEmbedding). */
public final class SinusoidalEmbedding {
    private SinusoidalEmbedding() {
    }

    /** Sinusoidal embeddings of the timesteps, [t.length][dim], in the given layout. Fast for the sizes the explorer shows. */
    public static double[][] embed(double[] t, int dim, double maxPeriod, EmbeddingLayout layout) {
        if (dim < 2) throw new IllegalArgumentException("the embedding dimension must be at least 2, got " + dim);
        if (!(maxPeriod > 1)) throw new IllegalArgumentException("max_period must be greater than 1, got " + maxPeriod);
        double[][] ref = TimestepEmbedding.embed(t, dim, maxPeriod);
        return layout == EmbeddingLayout.REFERENCE_COS_SIN ? ref : interleave(ref);
    }

    /** Angular frequency of frequency index k. */
    public static double frequency(int k, int dim, double maxPeriod) {
        return TimestepEmbedding.frequencies64(dim, maxPeriod)[k];
    }

    /**
     * The seed figure's layout from the reference's [cos | sin] rows: column 2k = sin(w_k t),
     * 2k+1 = cos(w_k t); an odd dimension keeps its zero pad column last. For any max_period
     * (nn.TimestepEmbedding.embedInterleaved fixes it at 10000).
     */
    public static double[][] interleave(double[][] reference) {
        double[][] out = new double[reference.length][];
        for (int r = 0; r < reference.length; r++) {
            double[] ref = reference[r];
            int half = ref.length / 2;
            double[] row = new double[ref.length];
            for (int k = 0; k < half; k++) {
                row[2 * k] = ref[half + k];
                row[2 * k + 1] = ref[k];
            }
            out[r] = row;
        }
        return out;
    }

    /** Gram matrix of the rows: entry (i, j) = emb(t_i) . emb(t_j), which equals sum_k cos(w_k (t_i - t_j)). */
    public static double[][] dotProducts(double[][] emb) {
        int n = emb.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                double[] a = emb[i], b = emb[j];
                for (int k = 0; k < a.length; k++) s += a[k] * b[k];
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
    }
}
