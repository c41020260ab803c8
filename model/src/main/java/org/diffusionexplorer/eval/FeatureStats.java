package org.diffusionexplorer.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean and covariance of a set of feature vectors, in float64: the Gaussian that the Frechet
 * distance compares. The covariance divides by n - 1 (numpy's np.cov, as the FID reference code).
 */
public record FeatureStats(double[] mean, double[][] cov, int count) {

    public FeatureStats {
        if (cov.length != mean.length) throw new IllegalArgumentException("covariance is " + cov.length + "x, mean has " + mean.length);
    }

    public int dim() {
        return mean.length;
    }

    /** Rows are samples: features [N, D], N >= 2. */
    public static FeatureStats of(INDArray features) {
        if (features.rank() != 2) throw new IllegalArgumentException("features must be [N, D], got rank " + features.rank());
        int n = (int) features.size(0), d = (int) features.size(1);
        double[] flat = features.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return of(rows);
    }

    /** Two passes (mean, then centred products) so that large offsets do not cancel. */
    public static FeatureStats of(double[][] rows) {
        int n = rows.length;
        if (n < 2) throw new IllegalArgumentException("a covariance needs at least 2 feature vectors, got " + n);
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            if (r.length != d) throw new IllegalArgumentException("feature vectors of different lengths: " + r.length + " and " + d);
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) c[j] = r[j] - mean[j];
            for (int j = 0; j < d; j++) {
                double cj = c[j];
                if (cj == 0) continue; // ReLU features are often exactly 0
                double[] row = cov[j];
                for (int k = j; k < d; k++) row[k] += cj * c[k];
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                cov[j][k] /= n - 1;
                cov[k][j] = cov[j][k];
            }
        }
        return new FeatureStats(mean, cov, n);
    }
}
