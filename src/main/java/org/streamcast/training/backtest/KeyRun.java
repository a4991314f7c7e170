package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.List;

/**
 * One method's forecasts for one key over the test part. Origins are numbered {@code o = 0 .. origins()−1}; origin
 * {@code o} is the grid step {@code trainLength − 1 + o} (0-based), i.e. the method has seen
 * {@code y[1 .. n_train + o]} in the 1-based notation of docs/protocol.md. Only the scored horizons are kept.
 */
public final class KeyRun {

  private final Series series;
  private final int trainLength;
  private final double maseScale;
  private final List<Integer> horizons;
  private final double[][] forecasts;
  private final double[][][] halfWidths;

  KeyRun(Series series, int trainLength, double maseScale, List<Integer> horizons, double[][] forecasts) {
    this(series, trainLength, maseScale, horizons, forecasts, new double[0][][]);
  }

  KeyRun(Series series, int trainLength, double maseScale, List<Integer> horizons, double[][] forecasts,
      double[][][] halfWidths) {
    this.halfWidths = halfWidths;
    this.series = series;
    this.trainLength = trainLength;
    this.maseScale = maseScale;
    this.horizons = List.copyOf(horizons);
    this.forecasts = forecasts;
  }

  /** The whole series (training and test part). */
  public Series series() {
    return series;
  }

  /** {@code n_train}: steps in the training part. */
  public int trainLength() {
    return trainLength;
  }

  /** The MASE denominator of this key ({@link MaseScale} over the training part). */
  public double maseScale() {
    return maseScale;
  }

  /** The scored horizons, ascending. */
  public List<Integer> horizons() {
    return horizons;
  }

  /** Number of forecast origins: {@code n − n_train}. */
  public int origins() {
    return series.length() - trainLength;
  }

  /** The grid step (0-based) of origin {@code o}. */
  public int originStep(int o) {
    return trainLength - 1 + o;
  }

  /** The time of origin {@code o}. */
  public Instant originTime(int o) {
    return series.time(originStep(o));
  }

  /** Whether origin {@code o} has a target {@code h} steps ahead inside the series ({@code t + h ≤ n}). */
  public boolean hasTarget(int o, int h) {
    return originStep(o) + h < series.length();
  }

  /** The actual {@code h} steps after origin {@code o}; {@code NaN} when that step is missing. */
  public double actual(int o, int h) {
    return series.value(originStep(o) + h);
  }

  /** The forecast made at origin {@code o} for {@code h} steps ahead; {@code h} must be one of {@link #horizons}. */
  public double forecast(int o, int h) {
    int index = horizons.indexOf(h);
    if (index < 0) {
      throw new IllegalArgumentException("horizon " + h + " was not scored; scored: " + horizons);
    }
    return forecasts[index][o];
  }

  /** Interval levels kept (as many as the plan's levels, or 0 when the method made no intervals). */
  public int levels() {
    return halfWidths.length;
  }

  /**
   * The half-width of the interval at level index {@code l} issued with {@link #forecast(int, int)}; {@code NaN}
   * when none.
   */
  public double halfWidth(int l, int o, int h) {
    int index = horizons.indexOf(h);
    if (index < 0) {
      throw new IllegalArgumentException("horizon " + h + " was not scored; scored: " + horizons);
    }
    return halfWidths[l][index][o];
  }
}
