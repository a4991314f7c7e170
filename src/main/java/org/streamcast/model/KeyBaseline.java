package org.streamcast.model;

/**
 * A key's own baseline, fitted to that key's training steps: exponential smoothing ({@link Smoothing}) or an
 * autoregression ({@link Autoregression}). It is a small state machine over the key's values: it
 * {@linkplain #start starts} from the values a key holds, takes each new value ({@link #update}) and forecasts from its
 * state, which the key carries in {@link KeyState#ownBaseline()}. It serves a key at the horizons where training
 * found it clearly better than the simple baselines on that key's own steps ({@link #horizons()}); elsewhere the key
 * keeps its other sources.
 */
public sealed interface KeyBaseline permits Smoothing, Autoregression {

  /** The longest state any own baseline keeps (a bound for stored states). */
  int MAX_STATE = 3 + Smoothing.MAX_PERIOD;

  /** The name a forecast's source carries, e.g. {@code ets(A,Ad,A)} or {@code ar(3)}. */
  String name();

  /** Values a key needs before its state can start. */
  int warmup();

  /** Length of the state it keeps per key. */
  int stateSize();

  /** Per horizon ({@code h − 1}), whether it serves the key there (a copy). */
  boolean[] horizons();

  /** Whether it serves at horizon {@code h} (1-based; false beyond its horizons). */
  boolean serves(int h);

  /** The same baseline, serving at {@code horizons}. */
  KeyBaseline serving(boolean[] horizons);

  /** The state after {@code values[0 .. n)} (oldest first, {@code n >= warmup()}). */
  double[] start(double[] values, int n);

  /** Takes the next value into {@code state}; returns its one-step error. */
  double update(double[] state, double y);

  /** The forecast {@code h} steps after the last value taken into {@code state}. */
  double forecast(double[] state, int h);

  /** The forecasts at horizons 1 to {@code out.length} (what {@link #forecast} gives, in one pass where it can). */
  default void forecasts(double[] state, double[] out) {
    for (int h = 1; h <= out.length; h++) {
      out[h - 1] = forecast(state, h);
    }
  }

  /** Whether {@code state} is a state of this baseline (its length and values). */
  boolean fits(double[] state);

  /** Whether {@code state} has {@code size} values, all finite (what every own baseline's state must be). */
  static boolean finite(double[] state, int size) {
    if (state.length != size) {
      return false;
    }
    for (double v : state) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
