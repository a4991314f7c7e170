package org.streamcast.training.backtest;

/**
 * Accumulates forecast errors one pair at a time and turns them into {@link Scores}. Pairs whose actual is
 * {@code NaN} (a missing step) are not scored. Usable for backtests and for live scoring alike; not thread-safe.
 */
public final class ErrorAccumulator {

  private long n;
  private double sumAbs;
  private double sumSq;
  private double sumSmape;

  /**
   * Adds one forecast and its actual.
   *
   * @param actual   the observed value, or {@code NaN} when the step is missing (then nothing is added)
   * @param forecast the forecast; must be finite when {@code actual} is
   * @return whether the pair was scored
   */
  public boolean add(double actual, double forecast) {
    if (Double.isNaN(actual)) {
      return false;
    }
    if (!Double.isFinite(forecast)) {
      throw new IllegalArgumentException("forecast is not finite: " + forecast + " (actual " + actual + ")");
    }
    double e = actual - forecast;
    double abs = Math.abs(e);
    n++;
    sumAbs += abs;
    sumSq += e * e;
    sumSmape += smapeTerm(actual, forecast);
    return true;
  }

  /** One sMAPE term: {@code 200·|y − ŷ| / (|y| + |ŷ|)}, and 0 when both are 0. */
  public static double smapeTerm(double actual, double forecast) {
    double denominator = Math.abs(actual) + Math.abs(forecast);
    return denominator == 0 ? 0 : 200 * Math.abs(actual - forecast) / denominator;
  }

  /** Pairs scored so far. */
  public long count() {
    return n;
  }

  /**
   * The scores so far.
   *
   * @param maseScale the MASE denominator ({@link MaseScale#of}); MASE is {@code NaN} when it is 0 or {@code NaN}
   */
  public Scores scores(double maseScale) {
    if (n == 0) {
      return Scores.EMPTY;
    }
    double mae = sumAbs / n;
    double mase = maseScale > 0 && Double.isFinite(maseScale) ? mae / maseScale : Double.NaN;
    return new Scores(n, mae, Math.sqrt(sumSq / n), sumSmape / n, mase);
  }
}
