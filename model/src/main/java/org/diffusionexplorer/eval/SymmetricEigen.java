package org.diffusionexplorer.eval;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method: plane
 * rotations that zero one off-diagonal entry at a time until the matrix is diagonal. Slower than
 * QR-based methods (n^3 per sweep, ~10 sweeps) but simple, and accurate to full precision for the
 * small (128 x 128) covariance matrices of {@link FrechetDistance}, without a native LAPACK call.
 *
 * @param values  eigenvalues (unsorted)
 * @param vectors column k of this n x n matrix is the unit eigenvector of values[k]
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    private static final int MAX_SWEEPS = 100;

    /** Decomposes {@code a} (left untouched); only its symmetry is assumed, its upper triangle is read. */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][n];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("not a square matrix: row " + i + " has " + a[i].length + " entries, expected " + n);
            for (int j = 0; j < n; j++) m[i][j] = j >= i ? a[i][j] : a[j][i];
            v[i][i] = 1;
        }
        double scale = 0;
        for (double[] row : m) for (double x : row) scale += x * x;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
            // converged once the off-diagonal mass is at rounding level relative to the whole matrix
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) rotate(m, v, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i][i];
        return new SymmetricEigen(values, v);
    }

    /**
     * One rotation J in the (p, q) plane, angle chosen so that (J^T M J)[p][q] = 0; t = tan(angle) is
     * the smaller root of t^2 + 2 theta t - 1 = 0, which keeps the rotation small and the method stable.
     */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) { // columns: M J
            double kp = m[k][p], kq = m[k][q];
            m[k][p] = c * kp - s * kq;
            m[k][q] = s * kp + c * kq;
        }
        for (int k = 0; k < n; k++) { // rows: J^T (M J)
            double pk = m[p][k], qk = m[q][k];
            m[p][k] = c * pk - s * qk;
            m[q][k] = s * pk + c * qk;
        }
        m[p][q] = 0; // exactly zero by construction; drop the rounding residue
        m[q][p] = 0;
        for (int k = 0; k < n; k++) { // accumulate V J: its columns become the eigenvectors
            double kp = v[k][p], kq = v[k][q];
            v[k][p] = c * kp - s * kq;
            v[k][q] = s * kp + c * kq;
        }
    }

    /** V f(D) V^T: a function applied to the eigenvalues (e.g. the square root of a PSD matrix). */
    public double[][] apply(java.util.function.DoubleUnaryOperator f) {
        int n = values.length;
        double[] fd = new double[n];
        for (int k = 0; k < n; k++) fd[k] = f.applyAsDouble(values[k]);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[i][k] * fd[k] * vectors[j][k];
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }
}
