package org.streamcast.testing;

import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.KeyState;

/**
 * A forecaster that serves {@link #inner} as it is: test doubles extend it and override only what they change
 * (fail, record, misbehave).
 */
public abstract class DelegatingForecaster implements Forecaster {
  /** The forecaster served. */
  protected final Forecaster inner;

  protected DelegatingForecaster(Forecaster inner) {
    this.inner = inner;
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
    return inner.step(state, stepStart, out);
  }

  @Override
  public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
    return inner.rewarm(state, lastStepStart, stepMs, out);
  }

  @Override
  public void prepare(String key, KeyState state) {
    inner.prepare(key, state);
  }

  @Override
  public java.util.List<String> baselines(String key) {
    return inner.baselines(key);
  }

  @Override
  public void stepOwnBaseline(String key, KeyState state, double[] baseline) {
    inner.stepOwnBaseline(key, state, baseline);
  }

  @Override
  public KeyBaseline ownBaseline(String key) {
    return inner.ownBaseline(key);
  }
}
