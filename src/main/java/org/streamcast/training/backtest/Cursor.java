package org.streamcast.training.backtest;

import java.time.Instant;

/**
 * One key's running state in a fitted method. The backtest calls, for every grid step in order, either
 * {@link #observe} (the step has a value) or {@link #missing} (a gap: no value for that step), and after any step
 * may ask for {@link #forecast()}. A cursor is used by one thread at a time.
 */
public interface Cursor {

  /**
   * The next step's observed value.
   *
   * @param t the step's time
   * @param y the observed value, finite
   */
  void observe(Instant t, double y);

  /**
   * The next step's observed value with the step's covariates ({@link Series#covariatesAt}); methods that read no
   * covariates ignore them (the default).
   */
  default void observe(Instant t, double y, double[] covariates) {
    observe(t, y);
  }

  /**
   * The next step had no observation. The method decides what that means (the baselines carry the last observed
   * value forward; a recurrent model may impute and flag the step).
   *
   * @param t the missing step's time
   */
  void missing(Instant t);

  /**
   * Forecasts for the steps after the last one fed in: element {@code h − 1} is the forecast {@code h} steps ahead,
   * for {@code h = 1..horizon} (the horizon given to {@link ForecastMethod#fit}). {@code NaN} when the method cannot
   * forecast yet (for example before any observation).
   */
  double[] forecast();

  /**
   * The half-widths of the prediction intervals around {@link #forecast()}, {@code [level][h − 1]} at the backtest's
   * interval levels ({@code NaN}: no interval), or null when the method makes no intervals of its own (the backtest
   * then gives it conformal bands from its own errors, see {@link ConformalCursor}).
   */
  default double[][] halfWidths() {
    return null;
  }
}
