package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import org.streamcast.quality.KeyScores;
import org.streamcast.serving.QualityStep;

/**
 * Gives a method without intervals of its own (the naive baselines) the pipeline's adaptive conformal bands, driven
 * on its own errors by the serving path's {@link QualityStep}: after every observed step the key's pending forecasts
 * are scored and the new forecast's bands computed, exactly as for a served model. A missing step scores nothing and
 * keeps the bands as they stand.
 */
final class ConformalCursor implements Cursor {
  private final Cursor inner;
  private final QualityStep step;
  private final KeyScores quality = new KeyScores();
  private final int horizon;
  private double[][] half;

  /**
   * @param inner   the method's cursor
   * @param step    the quality step of the method's keys (its pipeline scores are shared by them)
   * @param horizon the backtest's horizon
   */
  ConformalCursor(Cursor inner, QualityStep step, int horizon) {
    this.inner = inner;
    this.step = step;
    this.horizon = horizon;
  }

  @Override
  public void observe(Instant t, double y) {
    inner.observe(t, y);
    double[] f = inner.forecast();
    boolean finite = Arrays.stream(f).allMatch(Double::isFinite);
    step.score(quality, false, 0, t.toEpochMilli(), y, finite ? f : null, null);
    half = copy(step.halfWidths());
  }

  @Override
  public void missing(Instant t) {
    inner.missing(t);
    if (quality.isShaped()) {
      step.skip(quality, 1);
      half = copy(step.halfWidths());
    }
  }

  @Override
  public double[] forecast() {
    return inner.forecast();
  }

  @Override
  public double[][] halfWidths() {
    if (half == null) {
      return null;
    }
    return copy(half);
  }

  private double[][] copy(double[][] from) {
    double[][] c = new double[from.length][horizon];
    for (int l = 0; l < from.length; l++) {
      for (int h = 1; h <= horizon; h++) {
        c[l][h - 1] = h <= from[l].length ? from[l][h - 1] : Double.NaN;
      }
    }
    return c;
  }
}
