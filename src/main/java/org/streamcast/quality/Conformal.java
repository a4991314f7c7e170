package org.streamcast.quality;

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
   * The half-widths at {@code levels} (ascending) from the absolute values of {@code n} residuals, written to
   * {@code out} (NaN where the level needs more residuals). Selects in a copy in {@code scratch} (length ≥ n) in
   * linear expected time; {@code residuals} is left as it was.
   */
  public static void halfWidths(float[] residuals, int offset, int n, double[] levels, float[] scratch,
      double[] out) {
    for (int i = 0; i < n; i++) {
      scratch[i] = Math.abs(residuals[offset + i]);
    }
    int bound = n; // after selecting rank k, scratch[0, k) holds the k smallest: lower ranks are found there
    for (int l = levels.length - 1; l >= 0; l--) {
      int k = rank(n, levels[l]);
      if (k > n) {
        out[l] = Double.NaN;
        continue;
      }
      select(scratch, 0, bound, k - 1);
      out[l] = scratch[k - 1];
      bound = k;
    }
  }

  /** Rearranges {@code a[from, to)} so that {@code a[k]} is the value of rank k there (Hoare's quickselect). */
  static void select(float[] a, int from, int to, int k) {
    int lo = from;
    int hi = to - 1;
    while (lo < hi) {
      float pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          float t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }
}
