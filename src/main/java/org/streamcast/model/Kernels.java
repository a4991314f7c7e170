package org.streamcast.model;

/**
 * The inner loops of the scalar serving kernel ({@link ScalarKernel}), shaped for HotSpot C2's auto-vectorizer, which (measured on JDK 17) only
 * vectorizes a loop when every array in it is indexed by the same induction variable from the same base and the
 * loop body is small enough to unroll. So:
 * <ul>
 *   <li>matrix-vector products run in "axpy" order over weight rows held as separate arrays (for each input, add its
 *       row of the input-major matrix, scaled by the input, to the gate accumulators), four rows per pass so that
 *       each pass loads and stores the accumulators once for four multiply-adds;
 *   <li>element-wise work is split into short loops with one activation each, over arrays indexed from 0.
 * </ul>
 */
final class Kernels {

  private Kernels() {}

  /**
   * {@code z[k] += Σ_j x[xOff + j] · w[j][k]} for {@code k < cols}, {@code j < w.length}. Summation order: rows in
   * groups of four (each group's sum added to {@code z}), then the remaining rows one by one.
   */
  static void gemvAccumulate(float[][] w, float[] x, int xOff, float[] z, int cols) {
    int rows = w.length;
    int j = 0;
    for (; j + 3 < rows; j += 4) {
      float a0 = x[xOff + j];
      float a1 = x[xOff + j + 1];
      float a2 = x[xOff + j + 2];
      float a3 = x[xOff + j + 3];
      float[] w0 = w[j];
      float[] w1 = w[j + 1];
      float[] w2 = w[j + 2];
      float[] w3 = w[j + 3];
      for (int k = 0; k < cols; k++) {
        z[k] += a0 * w0[k] + a1 * w1[k] + a2 * w2[k] + a3 * w3[k];
      }
    }
    for (; j < rows; j++) {
      float a = x[xOff + j];
      float[] w0 = w[j];
      for (int k = 0; k < cols; k++) {
        z[k] += a * w0[k];
      }
    }
  }

  /** Splits a row-major {@code [rows][cols]} matrix into row arrays. */
  static float[][] rows(float[] flat, int offset, int rows, int cols) {
    float[][] out = new float[rows][cols];
    for (int j = 0; j < rows; j++) {
      System.arraycopy(flat, offset + j * cols, out[j], 0, cols);
    }
    return out;
  }

  /** Joins row arrays back into a row-major matrix. */
  static float[] flat(float[][] rows, int cols) {
    float[] out = new float[rows.length * cols];
    for (int j = 0; j < rows.length; j++) {
      System.arraycopy(rows[j], 0, out, j * cols, cols);
    }
    return out;
  }
}
