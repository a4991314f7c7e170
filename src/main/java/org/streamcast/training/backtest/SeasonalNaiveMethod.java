package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Map;

/**
 * Seasonal naive with season {@code m}: {@code ŷ[t+h] = y[t + h − m·ceil(h/m)]}, the value of the latest step in the
 * same season. With {@code m = 1} it is the naive forecast.
 *
 * <p>Gaps: a missing step is remembered as the last observed value before it, so a forecast that points at a missing
 * step uses the last observed value at or before that step. Before {@code m} steps have been seen, a lag that points
 * before the first step uses the last observed value. Learns nothing.
 */
public final class SeasonalNaiveMethod implements ForecastMethod {

  /** The name in reports. */
  public static final String NAME = "snaive";

  private final int season;

  /**
   * @param season the season {@code m} in steps, at least 1
   */
  public SeasonalNaiveMethod(int season) {
    if (season < 1) {
      throw new IllegalArgumentException("season must be at least 1: " + season);
    }
    this.season = season;
  }

  /** The season {@code m}. */
  public int season() {
    return season;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Fitted fit(Map<String, Series> trainParts, int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1: " + horizon);
    }
    return key -> new SeasonalCursor(season, horizon);
  }

  private static final class SeasonalCursor implements Cursor {
    private final double[] ring;
    private final int horizon;
    private long steps;
    private double last = Double.NaN;

    SeasonalCursor(int season, int horizon) {
      this.ring = new double[season];
      this.horizon = horizon;
    }

    @Override
    public void observe(Instant t, double y) {
      last = y;
      push(y);
    }

    @Override
    public void missing(Instant t) {
      push(last);
    }

    private void push(double v) {
      ring[(int) (steps % ring.length)] = v;
      steps++;
    }

    @Override
    public double[] forecast() {
      int m = ring.length;
      double[] f = new double[horizon];
      long t = steps - 1; // index of the last step fed in
      for (int h = 1; h <= horizon; h++) {
        long back = (long) m * ((h + m - 1) / m);
        long source = t + h - back; // in (t - m, t]
        f[h - 1] = source < 0 ? last : ring[(int) (source % m)];
      }
      return f;
    }
  }
}
