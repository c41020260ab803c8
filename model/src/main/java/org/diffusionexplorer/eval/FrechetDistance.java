package org.diffusionexplorer.eval;

/**
 * The Frechet (2-Wasserstein) distance between two Gaussians fitted to feature sets, as FID
 * (Heusel et al. 2017) computes it on Inception features:
 * d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 *
 * <p>S1 S2 is not symmetric, so its square root is not taken directly: it has the same eigenvalues
 * as the symmetric PSD matrix S1^(1/2) S2 S1^(1/2), whose eigenvalues are real and (up to rounding)
 * non-negative, so Tr (S1 S2)^(1/2) = sum of their square roots. Two symmetric eigendecompositions
 * ({@link SymmetricEigen}) and no complex arithmetic; rounding negatives are clamped to 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The squared distance d^2 (what FID reports), split into its two terms. */
    public record Result(double meanTerm, double covarianceTerm) {
        public double value() {
            return meanTerm + covarianceTerm;
        }
    }

    public static double of(FeatureStats a, FeatureStats b) {
        return terms(a, b).value();
    }

    public static Result terms(FeatureStats a, FeatureStats b) {
        int d = a.dim();
        if (b.dim() != d) throw new IllegalArgumentException("feature dimensions differ: " + d + " and " + b.dim());
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
        }
        double trace = 0;
        for (int i = 0; i < d; i++) trace += a.cov()[i][i] + b.cov()[i][i];
        return new Result(meanTerm, trace - 2 * traceSqrtProduct(a.cov(), b.cov()));
    }

    /** Tr (S1 S2)^(1/2) for symmetric PSD S1, S2. */
    static double traceSqrtProduct(double[][] s1, double[][] s2) {
        double[][] root = SymmetricEigen.of(s1).apply(x -> Math.sqrt(Math.max(0, x)));
        double[][] m = multiply(multiply(root, s2), root);
        double sum = 0;
        for (double lambda : SymmetricEigen.of(m).values()) sum += Math.sqrt(Math.max(0, lambda));
        return sum;
    }

    static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length, k = y.length, m = y[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] row = out[i];
            for (int l = 0; l < k; l++) {
                double xl = x[i][l];
                if (xl == 0) continue;
                double[] yl = y[l];
                for (int j = 0; j < m; j++) row[j] += xl * yl[j];
            }
        }
        return out;
    }
}
