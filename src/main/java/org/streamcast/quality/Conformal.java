package org.streamcast.quality;

import java.util.Arrays;

/**
 * Split-conformal prediction intervals from absolute residuals. With n calibration residuals {@code |y − ŷ|}, the
 * interval at level ℓ is {@code ŷ ± q}, where q is the k-th smallest of them, {@code k = ⌈(n + 1)·ℓ⌉}. When the
 * residuals and the next one are exchangeable, the interval covers the next actual with probability at least ℓ (and
 * less than ℓ + 1/(n + 1)). When k > n there are too few residuals for the level and there is no finite interval.
 */
public final class Conformal {
  private Conformal() {}

  /** The rank k = ⌈(n + 1)·level⌉ of the conformal quantile among n residuals (may exceed n). */
  public static int rank(int n, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be > 0 and < 1, was " + level);
    }
    return (int) Math.ceil((n + 1) * level - 1e-9);
  }

  /** The fewest residuals that give a finite interval at {@code level}: ⌈ℓ/(1 − ℓ)⌉. */
  public static int minResiduals(double level) {
    int n = 1;
    while (rank(n, level) > n) {
      n++;
    }
    return n;
  }

  /**
   * The half-widths at {@code levels} from the absolute values of {@code n} residuals, written to {@code out} (NaN
   * where the level needs more residuals). Sorts a copy in {@code scratch} (length ≥ n); {@code residuals} is left as
   * it was.
   */
  public static void halfWidths(float[] residuals, int offset, int n, double[] levels, float[] scratch,
      double[] out) {
    for (int i = 0; i < n; i++) {
      scratch[i] = Math.abs(residuals[offset + i]);
    }
    Arrays.sort(scratch, 0, n);
    for (int l = 0; l < levels.length; l++) {
      int k = rank(n, levels[l]);
      out[l] = k <= n ? scratch[k - 1] : Double.NaN;
    }
  }
}
