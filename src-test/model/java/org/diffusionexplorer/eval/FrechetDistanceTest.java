package org.diffusionexplorer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Frechet distance against closed forms; pure Java, no ND4J. */
class FrechetDistanceTest {

    private static double[][] gaussianRows(int n, int d, long seed, double shift, double scale) {
        Random r = new Random(seed);
        double[][] rows = new double[n][d];
        for (double[] row : rows) {
            // correlated features: each is a mix of the previous and fresh noise
            double prev = 0;
            for (int j = 0; j < d; j++) {
                prev = 0.6 * prev + r.nextGaussian() * scale * (1 + j % 3);
                row[j] = prev + shift * j;
            }
        }
        return rows;
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        FeatureStats s = FeatureStats.of(gaussianRows(500, 24, 1, 0.5, 1.0));
        double d = FrechetDistance.of(s, s);
        assertEquals(0, d, 1e-9 * trace(s.cov()), "d = " + d);
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        int dim = 6;
        double[] m1 = new double[dim], m2 = new double[dim];
        double[][] s1 = new double[dim][dim], s2 = new double[dim][dim];
        double expected = 0;
        for (int i = 0; i < dim; i++) {
            m1[i] = 0.3 * i;
            m2[i] = -0.2 * i + 1;
            double a = 0.5 + i, b = 2.0 / (i + 1);
            s1[i][i] = a;
            s2[i][i] = b;
            expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.pow(Math.sqrt(a) - Math.sqrt(b), 2);
        }
        double d = FrechetDistance.of(new FeatureStats(m1, s1, 100), new FeatureStats(m2, s2, 100));
        assertEquals(expected, d, 1e-12 * expected);
    }

    /**
     * Non-commuting 2x2 covariances: the eigenvalues l1, l2 of S1 S2 are positive, and
     * Tr sqrt(S1 S2) = sqrt(l1) + sqrt(l2) = sqrt(tr(S1 S2) + 2 sqrt(det(S1 S2))).
     */
    @Test
    void nonCommutingCovariancesMatchTheTwoByTwoClosedForm() {
        double[][] s1 = {{2.0, 0.7}, {0.7, 1.0}};
        double[][] s2 = {{0.5, -0.3}, {-0.3, 3.0}};
        double[][] p = product(s1, s2);
        double tr = p[0][0] + p[1][1], det = p[0][0] * p[1][1] - p[0][1] * p[1][0];
        double traceSqrt = Math.sqrt(tr + 2 * Math.sqrt(det));
        double[] m1 = {1, 2}, m2 = {0.5, -1};
        double expected = 0.25 + 9 + (2.0 + 1.0 + 0.5 + 3.0) - 2 * traceSqrt;
        double d = FrechetDistance.of(new FeatureStats(m1, s1, 10), new FeatureStats(m2, s2, 10));
        assertEquals(expected, d, 1e-12);
        assertEquals(traceSqrt, FrechetDistance.traceSqrtProduct(s2, s1), 1e-12, "symmetric in its arguments");
    }

    @Test
    void orderOfSamplesDoesNotMatter() {
        double[][] a = gaussianRows(400, 16, 2, 0.0, 1.0), b = gaussianRows(300, 16, 3, 0.1, 1.5);
        double d = FrechetDistance.of(FeatureStats.of(a), FeatureStats.of(b));
        Random r = new Random(7);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double[] t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        double shuffled = FrechetDistance.of(FeatureStats.of(a), FeatureStats.of(b));
        assertEquals(d, shuffled, 1e-9 * d);
        assertTrue(d > 0.1, "different distributions are apart: " + d);
        assertEquals(d, FrechetDistance.of(FeatureStats.of(b), FeatureStats.of(a)), 1e-9 * d, "symmetric");
    }

    @Test
    void covarianceIsNumpysUnbiasedEstimate() {
        double[][] rows = {{1, 2}, {3, 1}, {5, 6}};
        FeatureStats s = FeatureStats.of(rows);
        assertEquals(3, s.mean()[0], 1e-15);
        assertEquals(3, s.mean()[1], 1e-15);
        assertEquals((4 + 0 + 4) / 2.0, s.cov()[0][0], 1e-15);
        assertEquals((1 + 4 + 9) / 2.0, s.cov()[1][1], 1e-15);
        assertEquals((-2 * -1 + 0 + 2 * 3) / 2.0, s.cov()[0][1], 1e-15);
        assertEquals(s.cov()[0][1], s.cov()[1][0], 0);
    }

    /**
     * Covariances sharing their eigenvectors (a random rotation Q): S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T,
     * so Tr (S1 S2)^(1/2) = sum of sqrt(a_i b_i), in 40 dimensions.
     */
    @Test
    void commutingCovariancesGiveTheSumOfRootsOfEigenvalueProducts() {
        int n = 40;
        Random r = new Random(5);
        double[][] g = new double[n][n];
        for (double[] row : g) for (int j = 0; j < n; j++) row[j] = r.nextGaussian();
        double[][] q = new org.apache.commons.math3.linear.QRDecomposition(new org.apache.commons.math3.linear.Array2DRowRealMatrix(g))
                .getQ().getData();
        double[] a = new double[n], b = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            a[i] = 0.1 + r.nextDouble() * 3;
            b[i] = i < 3 ? 0 : 0.1 + r.nextDouble(); // a singular S2 too
            expected += Math.sqrt(a[i] * b[i]);
        }
        double[][] s1 = rotate(q, a), s2 = rotate(q, b);
        // the three zero eigenvalues come out as rounding (~1e-15), whose square roots add ~3e-8 each
        assertEquals(expected, FrechetDistance.traceSqrtProduct(s1, s2), 1e-6);
        assertEquals(expected, FrechetDistance.traceSqrtProduct(s2, s1), 1e-6);
    }

    /** Q diag(d) Q^T. */
    private static double[][] rotate(double[][] q, double[] d) {
        int n = d.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double v = 0;
            for (int k = 0; k < n; k++) v += q[i][k] * d[k] * q[j][k];
            out[i][j] = v;
        }
        return out;
    }

    /** S1 S2 for 2x2 matrices. */
    private static double[][] product(double[][] x, double[][] y) {
        return new double[][] {{x[0][0] * y[0][0] + x[0][1] * y[1][0], x[0][0] * y[0][1] + x[0][1] * y[1][1]},
            {x[1][0] * y[0][0] + x[1][1] * y[1][0], x[1][0] * y[0][1] + x[1][1] * y[1][1]}};
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) t += m[i][i];
        return t;
    }
}
