package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The naive forecast {@code ŷ[t+h] = y[t]} for every horizon: the last value. After a gap it is the last observed
 * value. Learns nothing.
 */
public final class NaiveMethod implements ForecastMethod {

  /** The name in reports. */
  public static final String NAME = "naive";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Fitted fit(Map<String, Series> trainParts, int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1: " + horizon);
    }
    return key -> new NaiveCursor(horizon);
  }

  private static final class NaiveCursor implements Cursor {
    private final int horizon;
    private double last = Double.NaN;

    NaiveCursor(int horizon) {
      this.horizon = horizon;
    }

    @Override
    public void observe(Instant t, double y) {
      last = y;
    }

    @Override
    public void missing(Instant t) {
      // the last observed value stays the forecast
    }

    @Override
    public double[] forecast() {
      double[] f = new double[horizon];
      Arrays.fill(f, last);
      return f;
    }
  }
}
