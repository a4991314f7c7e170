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

  /**
   * Rearranges {@code a[from, to)} so that {@code a[k]} is the value of rank k there, the smaller ones before it and
   * the larger after (Floyd and Rivest's selection: a sample narrows the range first, so a high rank among a thousand
   * values, a pool's 95% quantile, costs about n + min(k, n − k) comparisons, a third fewer than Hoare's quickselect).
   */
  static void select(float[] a, int from, int to, int k) {
    int left = from;
    int right = to - 1;
    while (right > left) {
      if (right - left > 600) {
        int n = right - left + 1;
        int i = k - left + 1;
        double z = Math.log(n);
        double s = 0.5 * Math.exp(2 * z / 3);
        double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * Math.signum(i - n / 2.0);
        select(a, Math.max(left, (int) Math.floor(k - i * s / n + sd)),
            Math.min(right, (int) Math.floor(k + (n - i) * s / n + sd)) + 1, k);
      }
      float t = a[k];
      int i = left;
      int j = right;
      swap(a, left, k);
      if (a[right] > t) {
        swap(a, right, left);
      }
      while (i < j) { // a[left] and a[right] bound both scans
        swap(a, i, j);
        i++;
        j--;
        while (a[i] < t) {
          i++;
        }
        while (a[j] > t) {
          j--;
        }
      }
      if (a[left] == t) {
        swap(a, left, j);
      } else {
        j++;
        swap(a, j, right);
      }
      if (j <= k) {
        left = j + 1;
      }
      if (k <= j) {
        right = j - 1;
      }
    }
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
