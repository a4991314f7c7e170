package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates forecast errors one pair at a time, and the prediction intervals issued with them, and turns them into
 * {@link Scores}. Pairs whose actual is {@code NaN} (a missing step) are not scored. Usable for backtests and for live
 * scoring alike; not thread-safe.
 */
public final class ErrorAccumulator {

  private final double[] levels;
  private long n;
  private double sumAbs;
  private double sumSq;
  private double sumSmape;
  private final long[] issued;
  private final long[] covered;
  private final double[] intervalScore;

  /** Point forecasts only. */
  public ErrorAccumulator() {
    this(new double[0]);
  }

  /** Point forecasts and their intervals at {@code levels} (each in (0, 1)). */
  public ErrorAccumulator(double[] levels) {
    for (double l : levels) {
      if (!(l > 0 && l < 1)) {
        throw new IllegalArgumentException("interval level must be > 0 and < 1, was " + l);
      }
    }
    this.levels = levels.clone();
    this.issued = new long[levels.length];
    this.covered = new long[levels.length];
    this.intervalScore = new double[levels.length];
  }

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

  /**
   * Adds the interval at level index {@code l} issued with a forecast: {@code [lower, upper]} against
   * {@code actual}. Nothing is added when the actual is missing or there was no interval (either bound NaN).
   */
  public void addInterval(int l, double actual, double lower, double upper) {
    if (Double.isNaN(actual) || Double.isNaN(lower) || Double.isNaN(upper)) {
      return;
    }
    issued[l]++;
    if (actual >= lower && actual <= upper) {
      covered[l]++;
    }
    intervalScore[l] += intervalScore(levels[l], actual, lower, upper);
  }

  /**
   * The interval score of the M4 competition at level ℓ ({@code α = 1 − ℓ}): {@code (U − L) + 2/α·(L − y)·1{y < L}
   * + 2/α·(y − U)·1{y > U}}; MSIS is its mean divided by the MASE scale.
   */
  public static double intervalScore(double level, double actual, double lower, double upper) {
    double alpha = 1 - level;
    double score = upper - lower;
    if (actual < lower) {
      score += 2 / alpha * (lower - actual);
    } else if (actual > upper) {
      score += 2 / alpha * (actual - upper);
    }
    return score;
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
    boolean scaled = maseScale > 0 && Double.isFinite(maseScale);
    double mase = scaled ? mae / maseScale : Double.NaN;
    List<Scores.Band> bands = new ArrayList<>(levels.length);
    for (int l = 0; l < levels.length; l++) {
      long k = issued[l];
      bands.add(new Scores.Band(levels[l], k, k == 0 ? Double.NaN : covered[l] / (double) k,
          k == 0 || !scaled ? Double.NaN : intervalScore[l] / k / maseScale));
    }
    return new Scores(n, mae, Math.sqrt(sumSq / n), sumSmape / n, mase, bands);
  }
}
