package org.diffusionexplorer.app.model;

/**
 * The sinusoidal timestep embedding in float64, in either layout. This is an adapter inside the app:
 * the unet branch's TimestepEmbedding had not landed when the explorer was written, and the formula
 * (REFERENCE.md section 1) is three lines.
 */
public final class SinusoidalEmbedding {
    private SinusoidalEmbedding() {
    }

    /** freq_k = exp(-ln(max_period) * k / half), k in [0, half). */
    public static double frequency(int k, int dim, double maxPeriod) {
        int half = dim / 2;
        return Math.exp(-Math.log(maxPeriod) * k / half);
    }

    /** Row-major [t.length][dim]; an odd dim gets a trailing zero column, as in the reference. */
    public static double[][] embed(double[] t, int dim, double maxPeriod, EmbeddingLayout layout) {
        if (dim < 2) throw new IllegalArgumentException("dimension must be at least 2, got " + dim);
        if (!(maxPeriod > 1)) throw new IllegalArgumentException("max_period must be greater than 1, got " + maxPeriod);
        int half = dim / 2;
        double[] freq = new double[half];
        for (int k = 0; k < half; k++) freq[k] = frequency(k, dim, maxPeriod);
        double[][] out = new double[t.length][dim];
        for (int r = 0; r < t.length; r++) {
            double[] row = out[r];
            for (int k = 0; k < half; k++) {
                double a = t[r] * freq[k];
                double c = Math.cos(a), s = Math.sin(a);
                if (layout == EmbeddingLayout.REFERENCE_COS_SIN) {
                    row[k] = c;
                    row[half + k] = s;
                } else {
                    row[2 * k] = s;
                    row[2 * k + 1] = c;
                }
            }
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
