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
   * Lets the model set up a key's state before its first step with this model (a new key, or the first step after a
   * model swap), when the caller knows the key: a trained model sets the key's scale from its training data. Models
   * without per-key knowledge do nothing (the default).
   */
  default void prepare(String key, KeyState state) {
  }
}
