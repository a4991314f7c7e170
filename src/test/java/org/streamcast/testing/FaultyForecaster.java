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
public final class FaultyForecaster extends DelegatingForecaster {
  private final double failAbove;
  private final double nanAbove;

  public FaultyForecaster(Forecaster inner, double failAbove, double nanAbove) {
    super(inner);
    this.failAbove = failAbove;
    this.nanAbove = nanAbove;
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
}
