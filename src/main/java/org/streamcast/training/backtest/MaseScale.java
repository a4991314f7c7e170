package org.streamcast.training.backtest;

/**
 * The MASE denominator: the in-sample MAE of the seasonal naive forecast over a training part,
 * {@code mean(|y[i] − y[i−m]|, i = m+1 .. n_train)}. With gaps, only pairs where both values are observed count.
 */
public final class MaseScale {

  private MaseScale() {}

  /**
   * The scale.
   *
   * @param train  the training part, {@code NaN} for missing steps
   * @param season the season {@code m}, at least 1
   * @return the mean absolute seasonal difference; {@code NaN} when no pair {@code (i, i−m)} is observed
   */
  public static double of(double[] train, int season) {
    if (season < 1) {
      throw new IllegalArgumentException("season must be at least 1: " + season);
    }
    double sum = 0;
    long count = 0;
    for (int i = season; i < train.length; i++) {
      double a = train[i];
      double b = train[i - season];
      if (!Double.isNaN(a) && !Double.isNaN(b)) {
        sum += Math.abs(a - b);
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The scale of a series' training part. */
  public static double of(Series train, int season) {
    return of(train.values(), season);
  }
}
