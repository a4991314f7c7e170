package org.streamcast.testing;

import java.util.Arrays;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;

/**
 * A forecaster that serves another but misbehaves on chosen values, as a model with a bug or a scaler that cannot
 * take a value would: a step whose newest value is above {@code failAbove} throws; a step whose newest value is above
 * {@code nanAbove} writes a NaN forecast (and a NaN hidden state when the model has one). Its {@link #stepAll} steps
 * the keys one by one, so a batch fails part-way, after earlier keys' states have changed.
 */
public final class FaultyForecaster implements Forecaster {
  private final Forecaster inner;
  private final double failAbove;
  private final double nanAbove;

  public FaultyForecaster(Forecaster inner, double failAbove, double nanAbove) {
    this.inner = inner;
    this.failAbove = failAbove;
    this.nanAbove = nanAbove;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public long version() {
    return inner.version();
  }

  @Override
  public int horizon() {
    return inner.horizon();
  }

  @Override
  public int warmup() {
    return inner.warmup();
  }

  @Override
  public int stateSize() {
    return inner.stateSize();
  }

  @Override
  public boolean step(KeyState state, long stepStart, double[] out) {
    double newest = state.history().get(0);
    if (newest > failAbove) {
      throw new IllegalArgumentException("bad scaler: value " + newest + " is out of this model's range");
    }
    boolean wrote = inner.step(state, stepStart, out);
    if (newest > nanAbove) {
      Arrays.fill(out, Double.NaN);
      Arrays.fill(state.hidden(), Float.NaN);
      return true;
    }
    return wrote;
  }

  @Override
  public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
    return inner.rewarm(state, lastStepStart, stepMs, out);
  }

  @Override
  public void prepare(String key, KeyState state) {
    inner.prepare(key, state);
  }
}
