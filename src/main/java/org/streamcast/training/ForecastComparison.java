package org.streamcast.training;

/**
 * The Diebold–Mariano test of equal accuracy for two forecasters scored on the same positions: the loss difference
 * {@code d_i = a_i − b_i} of each position, its mean, and a long-run variance that allows for the autocorrelation
 * of h-step-ahead errors (Newey–West, Bartlett weights, {@code h − 1} lags). Diebold &amp; Mariano (1995), "Comparing
 * predictive accuracy", Journal of Business &amp; Economic Statistics 13(3).
 *
 * <p>The trainer uses it to keep a learned correction only where it beats its baseline on the validation slice by more
 * than chance: a 1% gain on a few hundred noisy steps is not evidence.
 */
public final class ForecastComparison {

  /** One-sided 5% critical value of the standard normal. */
  public static final double CRITICAL_5_PERCENT = 1.6448536269514722;

  private ForecastComparison() {}

  /**
   * The Diebold–Mariano statistic of losses {@code a} against {@code b} (same positions, same order; positions of one
   * series consecutive): negative when {@code a} is the more accurate. {@code lags} autocovariances enter the
   * variance (h − 1 for h-step-ahead forecasts). NaN when there are fewer than two positions; ±infinity when every
   * difference is the same non-zero value.
   */
  public static double statistic(double[] a, double[] b, int lags) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("losses of different lengths: " + a.length + " and " + b.length);
    }
    int n = a.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += a[i] - b[i];
    }
    mean /= n;
    double variance = autocovariance(a, b, mean, 0);
    int maxLag = Math.min(Math.max(0, lags), n - 1);
    for (int j = 1; j <= maxLag; j++) {
      variance += 2 * (1 - j / (maxLag + 1.0)) * autocovariance(a, b, mean, j);
    }
    if (variance <= 0) {
      return mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
    }
    return mean / Math.sqrt(variance / n);
  }

  private static double autocovariance(double[] a, double[] b, double mean, int lag) {
    double sum = 0;
    for (int i = lag; i < a.length; i++) {
      sum += (a[i] - b[i] - mean) * (a[i - lag] - b[i - lag] - mean);
    }
    return sum / a.length;
  }
}
