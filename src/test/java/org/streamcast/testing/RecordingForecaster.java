package org.streamcast.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;

/**
 * A forecaster that serves another and records how many keys each {@link #stepAll} call stepped together; it can be
 * told to fail its next {@link #stepAll}.
 */
public final class RecordingForecaster extends DelegatingForecaster {
  private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean failNext;

  public RecordingForecaster(Forecaster inner) {
    super(inner);
  }

  /** The sizes of the {@link #stepAll} calls so far, in order. */
  public List<Integer> batches() {
    synchronized (batches) {
      return List.copyOf(batches);
    }
  }

  /** Makes the next {@link #stepAll} throw an {@link IllegalStateException} (after recording its size). */
  public void failNext() {
    failNext = true;
  }

  @Override
  public void stepAll(KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    record(n);
    inner.stepAll(states, stepStarts, outs, wrote, n);
  }

  @Override
  public void stepAll(String[] keys, KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    record(n);
    inner.stepAll(keys, states, stepStarts, outs, wrote, n);
  }

  /** A model with a baseline is stepped through this one (both outputs, for live protection). */
  @Override
  public void stepAllBoth(KeyState[] states, long[] stepStarts, double[][] learned, double[][] baselines,
      boolean[] wrote, int n) {
    record(n);
    inner.stepAllBoth(states, stepStarts, learned, baselines, wrote, n);
  }

  private void record(int n) {
    batches.add(n);
    if (failNext) {
      failNext = false;
      throw new IllegalStateException("told to fail a batch of " + n);
    }
  }

  @Override
  public boolean step(String key, KeyState state, long stepStart, double[] out) {
    return inner.step(key, state, stepStart, out);
  }

  @Override
  public boolean stepBoth(KeyState state, long stepStart, double[] learned, double[] baseline) {
    return inner.stepBoth(state, stepStart, learned, baseline);
  }

  @Override
  public boolean rewarm(String key, KeyState state, long lastStepStart, long stepMs, double[] out) {
    return inner.rewarm(key, state, lastStepStart, stepMs, out);
  }

  @Override
  public List<String> sources(String key) {
    return inner.sources(key);
  }

  @Override
  public List<String> baselines() {
    return inner.baselines();
  }

  @Override
  public boolean[] learnedHorizons(String key) {
    return inner.learnedHorizons(key);
  }
}
