package org.streamcast.model;

import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

/**
 * One key's step logic, shared by the stream processor and the backtest so that streaming and backtesting give the
 * same forecasts: model swap (re-warm), missing steps by the spec's gap policy, then the step itself.
 *
 * <p>Gap policies: {@code impute} feeds the model its own one-step forecast for each missing step (flagged as
 * imputed; a key still warming up has no forecast yet and holds its last value, as training fills gaps) as long as
 * the run of imputed steps stays within {@code maxImputed}, and otherwise resets the key;
 * {@code reset} clears the key (it warms up again from this observation); {@code skip} ignores the calendar and
 * treats the next observation as the next step (markets closed at weekends).
 *
 * <p>Covariates (the value fields besides the target) are known up to the step: each step pushes its row onto the
 * key's {@link KeyState#covariates()} with the target. A covariate without a value at a step ({@code NaN}) holds its
 * last value, and an imputed step holds the whole last row; the step's imputed flag marks it (the target's gap
 * policy applies to the step as a whole).
 *
 * <p>A model with a baseline ({@link Forecaster#baselines()}) gives both outputs at every step; the key's
 * {@link LiveProtection} compares them against the actuals and chooses per horizon which one serves (starting from
 * the model's own choice for the key).
 */
public final class KeyStepper {
  /** Outcome flag: a forecast was written. */
  public static final int FORECAST = 1;
  /** Outcome flag: the key's state was rebuilt for a new model version. */
  public static final int REWARMED = 2;
  /** Outcome flag: the key's state was reset (a gap the policy does not bridge, or a non-finite model output). */
  public static final int RESET = 4;
  /**
   * Outcome flag: the model gave a non-finite forecast (or hidden state) where a forecast was due; the key was reset
   * ({@link #RESET}) and the forecast withheld (no {@link #FORECAST}).
   */
  public static final int WITHHELD = 8;
  /** Outcome flag: live protection switched at least one horizon to the baseline ({@link LiveProtection#fellBack()}). */
  public static final int FELL_BACK = 16;

  private final Gaps gaps;
  private final long stepMs;
  /** Per thread, the baseline forecasts of the keys stepped together (the stepper is shared by stream threads). */
  private final ThreadLocal<double[][]> baselines = ThreadLocal.withInitial(() -> new double[0][]);
  private static final double[] NO_COVARIATES = new double[0];

  public KeyStepper(Gaps gaps, long stepMs) {
    this.gaps = gaps;
    this.stepMs = stepMs;
  }

  /**
   * Whether an observation at {@code start} is the key's next step with no step missing before it (so the forecast
   * the key made at its last step for h = 1 is the one for this step): always so under {@code skip}.
   */
  public boolean follows(KeyState state, long start) {
    long last = state.lastStep();
    return last != KeyState.NO_STEP && start > last && (gaps.policy() == GapPolicy.SKIP || start - last == stepMs);
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
   * @return outcome flags ({@link #FORECAST}, {@link #REWARMED}, {@link #RESET}, {@link #WITHHELD}) and imputed steps
   *     ({@link #imputed(int)})
   */
  public int observe(Forecaster model, String key, KeyState state, long start, double value, double[] out) {
    return observe(model, key, state, start, value, NO_COVARIATES, out);
  }

  /**
   * {@link #observe(Forecaster, String, KeyState, long, double, double[])} with the step's covariates.
   *
   * @param covariates the step's covariates in the model's order ({@code NaN}: none this step, the last one holds)
   */
  public int observe(Forecaster model, String key, KeyState state, long start, double value, double[] covariates,
      double[] out) {
    int before = before(model, key, state, start, value, covariates, out);
    if (!protects(model)) {
      return after(model, state, start, out, null, model.step(key, state, start, out), before);
    }
    double[] baseline = baselines(1, out.length)[0];
    boolean wrote = model.stepBoth(state, start, out, baseline);
    model.stepOwnBaseline(key, state, baseline);
    return after(model, state, start, out, baseline, wrote, before);
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
    observeAll(model, keys, states, starts, values, null, outs, outcomes, n);
  }

  /** {@link #observeAll} with each key's covariates ({@code covariates[b]}; null: none for any key). */
  public void observeAll(Forecaster model, String[] keys, KeyState[] states, long[] starts, double[] values,
      double[][] covariates, double[][] outs, int[] outcomes, int n) {
    for (int b = 0; b < n; b++) {
      outcomes[b] = before(model, keys[b], states[b], starts[b], values[b],
          covariates == null ? NO_COVARIATES : covariates[b], outs[b]);
    }
    boolean[] wrote = new boolean[n];
    double[][] base = null;
    if (protects(model)) {
      base = baselines(n, model.horizon());
      model.stepAllBoth(states, starts, outs, base, wrote, n);
      for (int b = 0; b < n; b++) {
        model.stepOwnBaseline(keys[b], states[b], base[b]);
      }
    } else {
      model.stepAll(keys, states, starts, outs, wrote, n);
    }
    for (int b = 0; b < n; b++) {
      outcomes[b] = after(model, states[b], starts[b], outs[b], base == null ? null : base[b], wrote[b], outcomes[b]);
    }
  }

  /** Whether the model has a baseline to fall back to: then the key's {@link LiveProtection} chooses the source. */
  private static boolean protects(Forecaster model) {
    return model.baselines() != null;
  }

  /** Starts the key's live protection from the model's own choice for it, unless it already belongs to the model. */
  private static boolean protect(Forecaster model, String key, KeyState state) {
    if (!protects(model)) {
      return false;
    }
    LiveProtection p = state.protection();
    if (!p.startedFor(model.version())) {
      p.start(model.version(), model.learnedHorizons(key));
    }
    return true;
  }

  private double[][] baselines(int n, int horizon) {
    double[][] b = baselines.get();
    if (b.length < n || b[0].length != horizon) {
      b = new double[Math.max(n, b.length)][horizon];
      baselines.set(b);
    }
    return b;
  }

  /**
   * Per horizon ({@code h − 1}), the source of the key's latest forecast: {@value OutputSources#LEARNED} or the
   * baseline's name, as its live protection chose for {@code model}, else as the model serves the key.
   */
  public static java.util.List<String> sources(Forecaster model, String key, KeyState state) {
    java.util.List<String> names = model.baselines(key);
    LiveProtection p = state.protection();
    if (names == null || !p.startedFor(model.version())) {
      return model.sources(key);
    }
    String[] out = new String[p.horizon()];
    for (int h = 1; h <= out.length; h++) {
      out[h - 1] = p.learned(h) ? OutputSources.LEARNED : names.get(h - 1);
    }
    return java.util.Arrays.asList(out);
  }

  /**
   * Everything up to the observation's model step: the re-warm after a model swap, the missing steps, the new key's
   * set-up, and the value pushed onto the history. Returns the outcome so far.
   */
  private int before(Forecaster model, String key, KeyState state, long start, double value, double[] covariates,
      double[] out) {
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
    boolean guarded = protect(model, key, state);
    long missing = last == KeyState.NO_STEP ? 0 : (start - last) / stepMs - 1;
    if (missing > 0 && gaps.policy() != GapPolicy.SKIP) {
      boolean canImpute = gaps.policy() == GapPolicy.IMPUTE
          && state.imputedRun() + missing <= gaps.maxImputed()
          && (state.forecastOrigin() == last || state.history().size() > 0);
      if (canImpute) {
        for (long i = 1; i <= missing; i++) {
          long t = last + i * stepMs;
          // a warm key fills with its own one-step forecast; a key still warming up has none and holds its last
          // value, as training fills a gap, rather than starting over (a key with a short gap every few hundred
          // steps would never finish its warm-up)
          boolean forecasts = state.forecastOrigin() == t - stepMs;
          state.history().push(forecasts ? state.forecast()[0] : state.history().get(0), true);
          pushCovariates(state, NO_COVARIATES);
          state.countStep(true);
          state.lastStep(t);
          boolean wrote = stepImputed(model, key, state, t, out, guarded);
          if (!finite(state, wrote, out)) {
            // an imputed value must never be non-finite: start over from this observation
            state.reset();
            flags |= RESET;
            imputedSteps = 0;
            break;
          }
          if (wrote && state.observedSteps() >= model.warmup()) {
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
    pushCovariates(state, covariates);
    state.countStep(false);
    state.lastStep(start);
    if (guarded) {
      state.protection().observe(value);
      flags |= state.protection().fellBack() > 0 ? FELL_BACK : 0;
    }
    return flags | (imputedSteps << 8);
  }

  /**
   * Pushes a step's covariates: each missing one ({@code NaN}, or the whole row when {@code row} is empty, as for an
   * imputed step) holds the key's last value.
   */
  private static void pushCovariates(KeyState state, double[] row) {
    state.covariates().pushHolding(row);
  }

  /** An imputed step: served by the key's protected sources when {@code guarded}, never compared. */
  private boolean stepImputed(Forecaster model, String key, KeyState state, long t, double[] out, boolean guarded) {
    if (!guarded) {
      return model.step(key, state, t, out);
    }
    double[] baseline = baselines(1, out.length)[0];
    boolean wrote = model.stepBoth(state, t, out, baseline);
    model.stepOwnBaseline(key, state, baseline);
    state.protection().skip();
    state.protection().serve(out, baseline, out);
    return wrote;
  }

  /**
   * After the observation's model step ({@code wrote}: whether it gave a forecast): keeps the forecast once warm. A
   * non-finite forecast or hidden state resets the model's part of the key instead ({@link KeyState#resetModel}: a
   * broken model, such as one whose weights overflow, once wiped every key's history, so that after a rollback every
   * key warmed up from scratch), and the forecast is withheld; a non-finite baseline resets the whole key.
   * With a {@code baseline} ({@code out} then holds the learned output), the key's protection records both outputs
   * and writes the served one into {@code out}.
   */
  private static int after(Forecaster model, KeyState state, long start, double[] out, double[] baseline,
      boolean wrote, int outcome) {
    boolean baselineBad = baseline != null && !finite(state, wrote, baseline);
    if (baselineBad || !finite(state, wrote, out)) {
      boolean due = wrote && state.observedSteps() >= model.warmup();
      if (baselineBad) {
        state.reset(); // the key's own baseline went wrong: only a new warm-up rebuilds it
      } else {
        state.resetModel(); // the model's output: the key keeps its history for the next model
      }
      return outcome | RESET | (due ? WITHHELD : 0);
    }
    // the hidden state moves on even while the key warms up
    boolean warm = wrote && state.observedSteps() >= model.warmup();
    if (baseline != null && wrote) {
      if (warm) {
        state.protection().issue(out, baseline);
      }
      state.protection().serve(out, baseline, out);
    }
    if (warm) {
      state.forecast(start, out);
      return outcome | FORECAST;
    }
    return outcome;
  }

  /** Whether the key's hidden state, and its forecast if the step wrote one, are all finite. */
  private static boolean finite(KeyState state, boolean wrote, double[] out) {
    for (float f : state.hidden()) {
      if (!Float.isFinite(f)) {
        return false;
      }
    }
    if (wrote) {
      for (double v : out) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }
}
