package org.streamcast.quality;

/**
 * The thresholds of the anomaly watches ({@link ChangeWatch}), each set so that its false alarms on normal noise are
 * as rare as the band's misses at the same level, and the normal-distribution arithmetic they need.
 */
public final class WatchThresholds {

  private WatchThresholds() {}

  /**
   * The CUSUM threshold, in σ, whose false alarms on independent normal errors are as rare as the misses of a band of
   * {@code level}: two-sided in-control run length {@code 1 / (1 − level)} steps by Siegmund's approximation
   * ({@code ARL ≈ e^x − x − 1}, {@code x = h + 1.166} for drift ½σ). 3.49σ at 0.99, 5.75σ at 0.999; at least 0.5.
   */
  public static double cusumThreshold(double level) {
    double target = 1 / (1 - level);
    double lo = 0;
    double hi = 60;
    for (int i = 0; i < 100; i++) {
      double x = (lo + hi) / 2;
      if (Math.exp(x) - x - 1 < target) {
        lo = x;
      } else {
        hi = x;
      }
    }
    return Math.max(0.5, lo - 1.166);
  }

  /**
   * The spike threshold, in σ of a key's step-to-step changes, that two changes of independent normal readings with
   * the same middle reading (correlated ½) pass together, in the same direction, once in {@code 1 / (1 − level)}
   * steps: {@code P(Z₁ > k, Z₂ > k) = (1 − level) / 2}. 1.94σ at 0.99, 2.57σ at 0.999.
   */
  public static double spikeThreshold(double level) {
    double target = (1 - level) / 2;
    double lo = 0;
    double hi = 10;
    for (int i = 0; i < 60; i++) {
      double k = (lo + hi) / 2;
      if (bothAbove(k) > target) {
        lo = k;
      } else {
        hi = k;
      }
    }
    return lo;
  }

  /**
   * {@code P(Z₁ > k, Z₂ > k)} for standard normals correlated ½: {@code ∫ₖ^∞ φ(z)·Φ̄((k − z/2)/√¾) dz} by
   * Simpson's rule.
   */
  static double bothAbove(double k) {
    int n = 2000;
    double span = 12;
    double step = span / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double z = k + i * step;
      double f = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * upperTail((k - z / 2) / Math.sqrt(0.75));
      sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return sum * step / 3;
  }

  /** {@code Φ̄(x) = P(Z > x)} (complementary error function, Numerical Recipes' erfcc, relative error below 1.2e-7). */
  static double upperTail(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + z / 2);
    double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return x >= 0 ? erfc / 2 : 1 - erfc / 2;
  }

  /**
   * The standard normal quantile of {@code p} in (0, 1) (Acklam's rational approximation, relative error below
   * 1.2e-9): the band of level {@code L} spans ±{@code normalQuantile((1 + L) / 2)} σ of normal errors.
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double low = 0.02425;
    if (p < low || p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
      double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      return p < low ? x : -x;
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
