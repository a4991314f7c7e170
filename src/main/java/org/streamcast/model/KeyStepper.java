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
    int flags = 0;
    int imputedSteps = 0;
    long last = state.lastStep();
    if (last != KeyState.NO_STEP && start <= last) {
      throw new IllegalArgumentException("step " + start + " is not after the key's last step " + last);
    }
    if (state.modelVersion() != model.version() && state.history().size() > 0) {
      model.prepare(key, state);
      model.rewarm(state, last, stepMs, out);
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
          if (model.step(state, t, out)) {
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
    boolean wrote = model.step(state, start, out); // the hidden state moves on even while the key warms up
    if (wrote && state.observedSteps() >= model.warmup()) {
      state.forecast(start, out);
      flags |= FORECAST;
    }
    return flags | (imputedSteps << 8);
  }
}
