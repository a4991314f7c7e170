package org.streamcast.model;

import org.streamcast.config.PipelineSpec;

/**
 * One key's step logic, shared by the stream processor and the backtest so that streaming and backtesting give the
 * same forecasts: model swap (re-warm), missing steps by the spec's gap policy, then the step itself.
 *
 * <p>Gap policies: {@code impute} feeds the model its own one-step forecast for each missing step (flagged as
 * imputed) as long as the run of imputed steps stays within {@code maxImputed}, and otherwise resets the key;
 * {@code reset} clears the key (it warms up again from this observation); {@code skip} ignores the calendar and
 * treats the next observation as the next step (markets closed at weekends).
 */
public final class KeyStepper {
  /** Outcome flag: a forecast was written. */
  public static final int FORECAST = 1;
  /** Outcome flag: the key's state was rebuilt for a new model version. */
  public static final int REWARMED = 2;
  /** Outcome flag: the key's state was reset because of a gap. */
  public static final int RESET = 4;

  private final PipelineSpec.Gaps gaps;
  private final long stepMs;

  public KeyStepper(PipelineSpec.Gaps gaps, long stepMs) {
    this.gaps = gaps;
    this.stepMs = stepMs;
  }

  /** Outcome flags and the number of imputed steps, packed: flags in the low byte, imputed count above. */
  public static int imputed(int outcome) {
    return outcome >>> 8;
  }

  /**
   * Applies one observed step.
   *
   * @param model the model serving now
   * @param key   the key (a model may know its scale)
   * @param state the key's state (updated)
   * @param start the step's start (epoch ms)
   * @param value the step's value
   * @param out   receives the forecast (length {@code model.horizon()})
   * @return outcome flags ({@link #FORECAST}, {@link #REWARMED}, {@link #RESET}) and imputed steps
   *     ({@link #imputed(int)})
   */
  public int observe(Forecaster model, String key, KeyState state, long start, double value, double[] out) {
    int before = before(model, key, state, start, value, out);
    return after(model, state, start, out, model.step(key, state, start, out), before);
  }

  /**
   * Applies one observed step to each of keys {@code 0 .. n−1}, with the same results as {@link #observe} for each in
   * turn: the model step that every key takes for its observation is taken for all of them at once
   * ({@link Forecaster#stepAll}), which a recurrent model makes cheaper per key. The keys must be distinct (a key's
   * second step depends on its first).
   *
   * @param outcomes receives each key's outcome, as {@link #observe} returns it
   */
  public void observeAll(Forecaster model, String[] keys, KeyState[] states, long[] starts, double[] values,
      double[][] outs, int[] outcomes, int n) {
    for (int b = 0; b < n; b++) {
      outcomes[b] = before(model, keys[b], states[b], starts[b], values[b], outs[b]);
    }
    boolean[] wrote = new boolean[n];
    model.stepAll(keys, states, starts, outs, wrote, n);
    for (int b = 0; b < n; b++) {
      outcomes[b] = after(model, states[b], starts[b], outs[b], wrote[b], outcomes[b]);
    }
  }

  /**
   * Everything up to the observation's model step: the re-warm after a model swap, the missing steps, the new key's
   * set-up, and the value pushed onto the history. Returns the outcome so far.
   */
  private int before(Forecaster model, String key, KeyState state, long start, double value, double[] out) {
    int flags = 0;
    int imputedSteps = 0;
    long last = state.lastStep();
    if (last != KeyState.NO_STEP && start <= last) {
      throw new IllegalArgumentException("step " + start + " is not after the key's last step " + last);
    }
    if (state.modelVersion() != model.version() && state.history().size() > 0) {
      model.prepare(key, state);
      model.rewarm(key, state, last, stepMs, out);
      flags |= REWARMED;
    }
    long missing = last == KeyState.NO_STEP ? 0 : (start - last) / stepMs - 1;
    if (missing > 0 && gaps.policy() != PipelineSpec.GapPolicy.SKIP) {
      boolean canImpute = gaps.policy() == PipelineSpec.GapPolicy.IMPUTE
          && state.imputedRun() + missing <= gaps.maxImputed()
          && state.forecastOrigin() == last;
      if (canImpute) {
        for (long i = 1; i <= missing; i++) {
          long t = last + i * stepMs;
          state.history().push(state.forecast()[0], true);
          state.countStep(true);
          state.lastStep(t);
          if (model.step(key, state, t, out)) {
            state.forecast(t, out);
          }
          imputedSteps++;
        }
      } else {
        state.reset();
        flags |= RESET;
      }
    }
    if (state.modelVersion() != model.version()) {
      model.prepare(key, state);
      state.hidden(new float[model.stateSize()], model.version());
    }
    state.history().push(value, false);
    state.countStep(false);
    state.lastStep(start);
    return flags | (imputedSteps << 8);
  }

  /** After the observation's model step ({@code wrote}: whether it gave a forecast): keeps the forecast once warm. */
  private static int after(Forecaster model, KeyState state, long start, double[] out, boolean wrote, int outcome) {
    // the hidden state moves on even while the key warms up
    if (wrote && state.observedSteps() >= model.warmup()) {
      state.forecast(start, out);
      return outcome | FORECAST;
    }
    return outcome;
  }
}
