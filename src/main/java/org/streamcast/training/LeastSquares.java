package org.streamcast.training;

/**
 * Solves the normal equations of a small least-squares fit by Cholesky decomposition, for the autoregressions of
 * {@link KeyBaselineFit}: a few dozen unknowns do not justify a linear algebra library.
 */
final class LeastSquares {

  private LeastSquares() {}

  /**
   * The solution {@code b} of {@code A b = r} for the leading {@code m × m} block of the symmetric positive definite
   * {@code A}, given by its lower triangle ({@code a[i][j]}, {@code j <= i}), or null when that block is not positive
   * definite to working precision (collinear inputs, such as a constant series).
   */
  static double[] solve(double[][] a, double[] r, int m) {
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 1e-12 * Math.abs(a[i][i])) || a[i][i] == 0) {
            return null;
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] z = new double[m];
    for (int i = 0; i < m; i++) {
      double sum = r[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * z[k];
      }
      z[i] = sum / l[i][i];
    }
    double[] b = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double sum = z[i];
      for (int k = i + 1; k < m; k++) {
        sum -= l[k][i] * b[k];
      }
      b[i] = sum / l[i][i];
    }
    return b;
  }
}
