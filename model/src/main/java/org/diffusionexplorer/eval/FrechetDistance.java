package org.diffusionexplorer.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Frechet (2-Wasserstein) distance between two Gaussians fitted to feature sets, as FID
 * (Heusel et al. 2017) computes it on Inception features:
 * d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 *
 * <p>S1 S2 is not symmetric, so its square root is not taken directly: it has the same eigenvalues
 * as the symmetric PSD matrix S1^(1/2) S2 S1^(1/2), whose eigenvalues are real and (up to rounding)
 * non-negative, so Tr (S1 S2)^(1/2) = sum of their square roots. Two symmetric eigendecompositions
 * (commons-math3's EigenDecomposition) and no complex arithmetic; rounding negatives are clamped to 0.
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
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(s1, false));
        double[] roots = e.getRealEigenvalues().clone();
        for (int i = 0; i < roots.length; i++) roots[i] = Math.sqrt(Math.max(0, roots[i]));
        RealMatrix root = e.getV().multiply(MatrixUtils.createRealDiagonalMatrix(roots)).multiply(e.getVT());
        RealMatrix m = root.multiply(new Array2DRowRealMatrix(s2, false)).multiply(root);
        m = m.add(m.transpose()).scalarMultiply(0.5); // symmetric up to rounding: make it exact for the symmetric solver
        double sum = 0;
        for (double lambda : new EigenDecomposition(m).getRealEigenvalues()) sum += Math.sqrt(Math.max(0, lambda));
        return sum;
    }
}
