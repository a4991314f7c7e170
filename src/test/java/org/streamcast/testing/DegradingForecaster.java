package org.streamcast.testing;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntPredicate;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;

/**
 * A model with a learned output and a naive baseline for tests of live protection: the series is {@link #y}, the
 * learned output at step {@code t} is the true value {@code y(t + h)} plus a small deterministic error, or plus
 * {@value #BAD} while {@code degraded} says step {@code t} is bad; the baseline is naive, {@code y(t)}. So the learned
 * output beats naive by far except in the degraded steps, where it loses every comparison.
 */
public final class DegradingForecaster implements Forecaster {
  /** The learned output's error in degraded steps. */
  public static final double BAD = 50;

  private final long t0;
  private final long stepMs;
  private final int horizon;
  private final IntPredicate degraded;

  /**
   * @param t0       start of step 0 (epoch ms)
   * @param stepMs   the step
   * @param horizon  steps forecast
   * @param degraded which steps' learned forecasts are bad
   */
  public DegradingForecaster(long t0, long stepMs, int horizon, IntPredicate degraded) {
    this.t0 = t0;
    this.stepMs = stepMs;
    this.horizon = horizon;
    this.degraded = degraded;
  }

  /** The series: a wave with a trend, moving by up to about 2 per step. */
  public static double y(int t) {
    return 10 * Math.sin(t / 5.0) + 0.1 * t;
  }

  /** The learned forecast made at step {@code t} for {@code h} steps ahead. */
  public double learned(int t, int h) {
    double small = 0.05 * (((t * 31 + h * 7) % 11) - 5) / 5.0;
    return y(t + h) + (degraded.test(t) ? BAD : small);
  }

  @Override
  public String name() {
    return "gru";
  }

  @Override
  public long version() {
    return 5;
  }

  @Override
  public int horizon() {
    return horizon;
  }

  @Override
  public int warmup() {
    return 1;
  }

  @Override
  public int stateSize() {
    return 0;
  }

  @Override
  public boolean step(KeyState state, long stepStart, double[] out) {
    int t = (int) ((stepStart - t0) / stepMs);
    for (int h = 1; h <= horizon; h++) {
      out[h - 1] = learned(t, h);
    }
    return true;
  }

  @Override
  public boolean stepBoth(KeyState state, long stepStart, double[] learned, double[] baseline) {
    step(state, stepStart, learned);
    Arrays.fill(baseline, state.history().get(0));
    return true;
  }

  @Override
  public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
    state.hidden(new float[0], version());
    return false;
  }

  @Override
  public List<String> baselines() {
    return Collections.nCopies(horizon, "naive");
  }
}
