package org.streamcast.model;

/**
 * A weight matrix {@code W[rows][cols]} (input-major: row {@code j} holds the weights from input {@code j}) kept in
 * the layout of one {@link Kernel}, and the one product the serving step needs:
 * {@code z[k] += Σ_j x[xOff + j] · W[j][k]} for {@code k < cols}.
 *
 * <p>Accumulator arrays given to {@link #accumulate} must be {@link #padded(int) padded}: the vector kernel works on
 * whole vectors and may write the padding after the first {@code cols} values.
 */
abstract class Gemv {

  /** Accumulator arrays are at least {@code padded(cols)} long: a multiple of the widest float vector (512 bits). */
  static final int PAD = 16;

  final int rows;
  final int cols;

  Gemv(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
  }

  /** {@code n} rounded up to a multiple of {@link #PAD}. */
  static int padded(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }

  /**
   * {@code z[k] += Σ_j x[xOff + j] · W[j][k]} for {@code k < cols}; {@code z} is {@link #padded} long. Each sum is
   * formed in the same order whatever {@code backwards} says; it only asks the kernel to walk its weights from the
   * end, so that a caller alternating the direction finds the weights it read last still in the L1 cache.
   */
  abstract void accumulate(float[] x, int xOff, float[] z, boolean backwards);

  /**
   * {@link #accumulate} for keys {@code 0 .. n−1} at once: {@code zs[b][k] += Σ_j xs[b][xOff + j] · W[j][k]}. Every
   * key's sums are formed exactly as {@link #accumulate} forms them, so the results are the same bits; a kernel may
   * walk the weights once for all the keys instead of once per key. This one does not: it steps key by key.
   */
  void accumulateAll(float[][] xs, int xOff, float[][] zs, int n, boolean backwards) {
    for (int b = 0; b < n; b++) {
      accumulate(xs[b], xOff, zs[b], backwards);
    }
  }

  /** {@link #accumulate(float[], int, float[], boolean)} walking forwards. */
  final void accumulate(float[] x, int xOff, float[] z) {
    accumulate(x, xOff, z, false);
  }

  /** A row-major copy of the matrix. */
  abstract float[] rowMajor();

  /** The scalar kernel's matrix: row arrays and {@link Kernels#gemvAccumulate}. */
  static final class Scalar extends Gemv {
    private final float[][] w;

    Scalar(float[] rowMajor, int offset, int rows, int cols) {
      super(rows, cols);
      this.w = Kernels.rows(rowMajor, offset, rows, cols);
    }

    @Override
    void accumulate(float[] x, int xOff, float[] z, boolean backwards) {
      Kernels.gemvAccumulate(w, x, xOff, z, cols);
    }

    @Override
    float[] rowMajor() {
      return Kernels.flat(w, cols);
    }
  }
}
