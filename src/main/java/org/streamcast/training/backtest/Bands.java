package org.streamcast.training.backtest;

import java.util.List;
import org.streamcast.config.SpecDefaults;
import org.streamcast.quality.Intervals;

/**
 * The prediction intervals a backtest scores: their levels and the tracking rate of the adaptive conformal bands
 * ({@link Intervals}), as the pipeline serves them.
 *
 * @param levels the interval levels, ascending, each in (0, 1)
 * @param rate   the tracking rate γ (0: split-conformal bands)
 */
public record Bands(List<Double> levels, double rate) {
  /** The pipeline's defaults. */
  public static final Bands DEFAULT = new Bands(SpecDefaults.INTERVALS, Intervals.DEFAULT_RATE);

  public Bands {
    levels = List.copyOf(levels);
  }

  /** The levels as an array. */
  public double[] levelArray() {
    return levels.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
