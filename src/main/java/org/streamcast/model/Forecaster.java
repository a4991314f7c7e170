package org.streamcast.model;

/**
 * A servable forecasting model: advances one key's {@link KeyState} by one step and forecasts h = 1..H. Immutable
 * and safe to call from many threads at once (each call gets its own key state); the recurrent models and the
 * seasonal-naive baseline implement it, and the stream processor and the backtest drive it through
 * {@link KeyStepper}, so the two cannot disagree.
 */
public interface Forecaster {

  /** {@code gru}, {@code lstm}, {@code rnn}, or {@code baseline}. */
  String name();

  /** The model version (0 for the baseline); a key's hidden state belongs to one version. */
  long version();

  /** Steps forecast at once. */
  int horizon();

  /** Observed steps a key needs before its first forecast. */
  int warmup();

  /** Floats of hidden state per key. */
  int stateSize();

  /**
   * Advances {@code state} by the step starting at {@code stepStart} whose value was just pushed onto its history,
   * and writes the unscaled forecasts for h = 1..H into {@code out}.
   *
   * @return whether {@code out} holds a forecast (false while the key warms up)
   */
  boolean step(KeyState state, long stepStart, double[] out);

  /**
   * {@link #step} for keys {@code 0 .. n−1} (distinct), with the same results: key {@code b}'s forecast goes to
   * {@code outs[b]} and whether there is one to {@code wrote[b]}. A model may step the keys together, as the
   * recurrent models do; this default steps them one by one.
   */
  default void stepAll(KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    for (int b = 0; b < n; b++) {
      wrote[b] = step(states[b], stepStarts[b], outs[b]);
    }
  }

  /**
   * Rebuilds the key's hidden state for this model from its history (the re-warm after a model swap): a zero state
   * stepped through the history's values, the newest of which started at {@code lastStepStart}.
   *
   * @return whether the last step produced a forecast, which is then in {@code out}
   */
  boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out);

  /**
   * {@link #step} for a known key: a model that serves keys differently (a trained model serves some keys its
   * baseline at some horizons, see {@link OutputSources}) overrides this; the default ignores the key.
   */
  default boolean step(String key, KeyState state, long stepStart, double[] out) {
    return step(state, stepStart, out);
  }

  /** {@link #stepAll} for known keys ({@code keys[b]} is key {@code b}'s); the default ignores the keys. */
  default void stepAll(String[] keys, KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    stepAll(states, stepStarts, outs, wrote, n);
  }

  /** {@link #rewarm} for a known key; the default ignores the key. */
  default boolean rewarm(String key, KeyState state, long lastStepStart, long stepMs, double[] out) {
    return rewarm(state, lastStepStart, stepMs, out);
  }

  /**
   * Per horizon ({@code h − 1}), the source of {@code key}'s forecast: {@value OutputSources#LEARNED} for a learned
   * output, else the baseline's name (e.g. {@code naive}, {@code snaive(336)}). The default: the model's name at every
   * horizon (a model that is its own source, such as a seasonal naive baseline).
   */
  default java.util.List<String> sources(String key) {
    return java.util.Collections.nCopies(horizon(), name());
  }

  /**
   * Per horizon ({@code h − 1}), the name of the baseline this model can serve instead of its learned output, or
   * null when it has none (then its {@link #sources} are fixed and {@link LiveProtection} does not apply). A horizon
   * without a baseline is named {@value OutputSources#LEARNED}. The default: none.
   */
  default java.util.List<String> baselines() {
    return null;
  }

  /** {@link #baselines()} as {@code key} has them (a key may have its own, see {@link KeyBaseline}). */
  default java.util.List<String> baselines(String key) {
    return baselines();
  }

  /**
   * After {@link #stepBoth} of {@code key}'s step (observed or imputed, warm or not): advances the key's own
   * baseline, if it has one, with the step's value and writes its forecasts into {@code baseline} at the horizons it
   * serves. The default: no per-key baselines.
   */
  default void stepOwnBaseline(String key, KeyState state, double[] baseline) {
  }

  /** {@code key}'s own baseline ({@link #stepOwnBaseline}), or null (the default: none). */
  default KeyBaseline ownBaseline(String key) {
    return null;
  }

  /** Per horizon, whether the model itself serves {@code key} its learned output (the default: everywhere). */
  default boolean[] learnedHorizons(String key) {
    boolean[] all = new boolean[horizon()];
    java.util.Arrays.fill(all, true);
    return all;
  }

  /**
   * {@link #step}, writing both sources' forecasts whatever the key is served: the learned output into
   * {@code learned} and the baseline into {@code baseline} (equal to the learned output where there is none). The
   * default: the step's forecast into both.
   */
  default boolean stepBoth(KeyState state, long stepStart, double[] learned, double[] baseline) {
    boolean wrote = step(state, stepStart, learned);
    System.arraycopy(learned, 0, baseline, 0, baseline.length);
    return wrote;
  }

  /** {@link #stepBoth} for keys {@code 0 .. n−1} (distinct); a model may step them together. */
  default void stepAllBoth(KeyState[] states, long[] stepStarts, double[][] learned, double[][] baselines,
      boolean[] wrote, int n) {
    for (int b = 0; b < n; b++) {
      wrote[b] = stepBoth(states[b], stepStarts[b], learned[b], baselines[b]);
    }
  }

  /**
   * Lets the model set up a key's state before its first step with this model (a new key, or the first step after a
   * model swap), when the caller knows the key: a trained model sets the key's scale from its training data. Models
   * without per-key knowledge do nothing (the default).
   */
  default void prepare(String key, KeyState state) {
  }
}
