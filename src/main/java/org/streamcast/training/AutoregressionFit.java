package org.streamcast.training;

import java.util.Arrays;
import org.streamcast.model.Autoregression;

/**
 * Fits a key's autoregression ({@link Autoregression}) by least squares, deciding first whether it is fitted on the
 * values or on their changes. {@link KeyBaselineFit} decides whether and where it serves.
 */
final class AutoregressionFit {

  /** The 5% critical value of the Dickey–Fuller t statistic with an intercept (asymptotic, MacKinnon). */
  static final double DICKEY_FULLER_5 = -2.86;

  private AutoregressionFit() {}

  /**
   * The autoregression of lowest AICc, fitted by least squares: on the values (orders 1 to {@code maxOrder}, with an
   * intercept) when an augmented Dickey–Fuller test rejects a unit root at 5%, else on the changes (orders 1 to
   * {@code maxOrder − 1}, no intercept) if one beats no weights at all, which is naive. Every order is fitted on the
   * same steps, {@code y[maxOrder .. trainEnd)}, so that their AICc compare. A random walk fitted on its values
   * reverts to the mean of the very steps it is judged on, which looks good there and not after them: the test keeps
   * it off the values. Null when nothing is found or nothing can be solved (a constant series).
   */
  static Autoregression fit(double[] y, int trainEnd, int maxOrder, int horizon) {
    if (maxOrder < 1) {
      return null;
    }
    return unitRoot(y, trainEnd) ? onChanges(y, trainEnd, maxOrder, horizon) : onValues(y, trainEnd, maxOrder, horizon);
  }

  /**
   * Whether the augmented Dickey–Fuller test (an intercept, {@code (n − 1)^(1/3)} lagged changes, as R's
   * {@code tseries::adf.test}) does not reject a unit root in {@code y[0 .. trainEnd)} at 5%.
   */
  static boolean unitRoot(double[] y, int trainEnd) {
    int k = (int) Math.cbrt(trainEnd - 1.0);
    int first = k + 1;
    if (trainEnd - first < k + 6) {
      return true;
    }
    double mean = mean(y, trainEnd);
    double[][] x = new double[trainEnd - first][k + 2];
    double[] target = new double[trainEnd - first];
    for (int t = first; t < trainEnd; t++) {
      double[] row = x[t - first];
      row[0] = 1;
      row[1] = y[t - 1] - mean;
      for (int i = 1; i <= k; i++) {
        row[1 + i] = y[t - i] - y[t - i - 1];
      }
      target[t - first] = y[t] - y[t - 1];
    }
    double[][] xtx = crossProduct(x);
    double[] b = LeastSquares.solve(xtx, crossProduct(x, target), k + 2);
    double[] unit = new double[k + 2];
    unit[1] = 1;
    double[] inverse = LeastSquares.solve(xtx, unit, k + 2);
    if (b == null || inverse == null) {
      return true;
    }
    double sigma2 = sse(x, target, b, k + 2) / (target.length - k - 2);
    double t = b[1] / Math.sqrt(sigma2 * inverse[1]);
    return !(t < DICKEY_FULLER_5);
  }

  /** {@code y[t] = c + Σ a[i]·y[t−1−i]}, orders 1 to {@code maxOrder}, the values centred on their mean. */
  private static Autoregression onValues(double[] y, int trainEnd, int maxOrder, int horizon) {
    double mean = mean(y, trainEnd);
    double[][] x = new double[trainEnd - maxOrder][maxOrder + 1];
    double[] target = new double[trainEnd - maxOrder];
    for (int t = maxOrder; t < trainEnd; t++) {
      double[] row = x[t - maxOrder];
      row[0] = 1;
      for (int i = 1; i <= maxOrder; i++) {
        row[i] = y[t - i] - mean;
      }
      target[t - maxOrder] = y[t] - mean;
    }
    double[] b = bestOrder(x, target, 2);
    if (b == null) {
      return null;
    }
    double[] a = Arrays.copyOfRange(b, 1, b.length);
    double sum = 0;
    for (double c : a) {
      sum += c;
    }
    return new Autoregression(mean + b[0] - mean * sum, a, false, new boolean[horizon]);
  }

  /**
   * {@code Δy[t] = Σ b[i]·Δy[t−1−i]}, orders 1 to {@code maxOrder − 1}, as the equivalent weights on the values; null
   * when none beats naive (order 0).
   */
  private static Autoregression onChanges(double[] y, int trainEnd, int maxOrder, int horizon) {
    if (maxOrder < 2) {
      return null;
    }
    double[][] x = new double[trainEnd - maxOrder][maxOrder - 1];
    double[] target = new double[trainEnd - maxOrder];
    for (int t = maxOrder; t < trainEnd; t++) {
      double[] row = x[t - maxOrder];
      for (int i = 1; i < maxOrder; i++) {
        row[i - 1] = y[t - i] - y[t - i - 1];
      }
      target[t - maxOrder] = y[t] - y[t - 1];
    }
    double[] b = bestOrder(x, target, 0);
    if (b == null || b.length == 0) {
      return null;
    }
    double[] a = new double[b.length + 1];
    a[0] = 1 + b[0];
    for (int i = 1; i < b.length; i++) {
      a[i] = b[i] - b[i - 1];
    }
    a[b.length] = -b[b.length - 1];
    return new Autoregression(0, a, true, new boolean[horizon]);
  }

  /**
   * The least-squares weights of the leading columns of {@code x}, for the number of columns from {@code fewest} to
   * all, whose AICc is lowest; null when none can be solved.
   */
  private static double[] bestOrder(double[][] x, double[] target, int fewest) {
    int k = x[0].length;
    double[][] xtx = crossProduct(x);
    double[] xty = crossProduct(x, target);
    double[] best = null;
    double bestAicc = Double.POSITIVE_INFINITY;
    for (int m = fewest; m <= k; m++) {
      double[] b = m == 0 ? new double[0] : LeastSquares.solve(xtx, xty, m);
      if (b == null) {
        continue;
      }
      double a = KeyBaselineFit.aicc(sse(x, target, b, m), target.length, m);
      if (a < bestAicc) {
        bestAicc = a;
        best = b;
      }
    }
    return best;
  }

  private static double mean(double[] y, int n) {
    double sum = 0;
    for (int t = 0; t < n; t++) {
      sum += y[t];
    }
    return sum / n;
  }

  /** The lower triangle of {@code xᵀx}. */
  private static double[][] crossProduct(double[][] x) {
    int k = x[0].length;
    double[][] out = new double[k][k];
    for (double[] row : x) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j <= i; j++) {
          out[i][j] += row[i] * row[j];
        }
      }
    }
    return out;
  }

  private static double[] crossProduct(double[][] x, double[] target) {
    double[] out = new double[x[0].length];
    for (int r = 0; r < x.length; r++) {
      for (int i = 0; i < out.length; i++) {
        out[i] += x[r][i] * target[r];
      }
    }
    return out;
  }

  /** Squared residuals of {@code target} on the first {@code m} columns of {@code x} weighted by {@code b}. */
  private static double sse(double[][] x, double[] target, double[] b, int m) {
    double sse = 0;
    for (int r = 0; r < x.length; r++) {
      double e = target[r];
      for (int i = 0; i < m; i++) {
        e -= b[i] * x[r][i];
      }
      sse += e * e;
    }
    return sse;
  }
}
