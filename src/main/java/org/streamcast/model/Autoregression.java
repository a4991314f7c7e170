package org.streamcast.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * One key's autoregression baseline: {@code y[t] = c + a[0]·y[t−1] + … + a[p−1]·y[t−p]}, fitted by least squares to the
 * key's training steps, on the values (ARIMA(p,0,0) with a mean) or, for a series with a unit root, on its changes
 * (ARIMA(p−1,1,0): no intercept, weights summing to 1, kept as their equivalent on the values). It serves series that
 * swing around a level in cycles no trend or fixed season describes (an animal population, a river, the daily weather,
 * an index of activity), where R's auto.arima finds an AR or ARMA model and exponential smoothing finds little.
 *
 * <p>The state a key carries is its last {@code p} values, newest first, so starting it from the key's history and
 * taking the values one by one give the same state.
 *
 * @param intercept    {@code c}
 * @param coefficients {@code a[0 .. p)}, the weight of the value {@code i + 1} steps back
 * @param integrated   whether it was fitted on the changes
 * @param horizons     per horizon ({@code h − 1}), whether it serves the key there
 */
public record Autoregression(double intercept, double[] coefficients, boolean integrated, boolean[] horizons)
    implements KeyBaseline {

  /** The most lagged values it weighs (four weeks of days, two years of months). */
  public static final int MAX_ORDER = 28;

  /** The name of the baseline it is, as forecasts label their source. */
  public static final String SOURCE_PREFIX = "arima";

  public Autoregression {
    coefficients = coefficients.clone();
    horizons = horizons.clone();
    if (coefficients.length < 1 || coefficients.length > MAX_ORDER) {
      throw new IllegalArgumentException("autoregression order " + coefficients.length + " is not 1.." + MAX_ORDER);
    }
    if (!Double.isFinite(intercept)) {
      throw new IllegalArgumentException("autoregression intercept " + intercept + " is not finite");
    }
    double sum = 0;
    for (double a : coefficients) {
      if (!Double.isFinite(a)) {
        throw new IllegalArgumentException("autoregression coefficient " + a + " is not finite");
      }
      sum += a;
    }
    if (integrated && (intercept != 0 || coefficients.length < 2 || Math.abs(sum - 1) > 1e-9)) {
      throw new IllegalArgumentException("autoregression on the changes has intercept " + intercept + ", "
          + coefficients.length + " weights summing to " + sum + " (expected 0, at least 2 and 1)");
    }
  }

  /** Lagged values it weighs. */
  public int order() {
    return coefficients.length;
  }

  /** {@code arima(p,0,0)} on the values, {@code arima(p−1,1,0)} on the changes. */
  @Override
  public String name() {
    return SOURCE_PREFIX + "(" + (integrated ? order() - 1 + ",1" : order() + ",0") + ",0)";
  }

  @Override
  public int warmup() {
    return order();
  }

  @Override
  public int stateSize() {
    return order();
  }

  @Override
  public boolean serves(int h) {
    return h >= 1 && h <= horizons.length && horizons[h - 1];
  }

  @Override
  public Autoregression serving(boolean[] serves) {
    return new Autoregression(intercept, coefficients, integrated, serves);
  }

  @Override
  public double[] start(double[] values, int n) {
    if (n < warmup()) {
      throw new IllegalArgumentException(n + " values cannot start an autoregression that needs " + warmup());
    }
    double[] s = new double[order()];
    for (int i = 0; i < s.length; i++) {
      s[i] = values[n - 1 - i];
    }
    return s;
  }

  @Override
  public double update(double[] state, double y) {
    double error = y - next(state);
    System.arraycopy(state, 0, state, 1, state.length - 1);
    state[0] = y;
    return error;
  }

  @Override
  public double forecast(double[] state, int h) {
    double[] out = new double[h];
    forecasts(state, out);
    return out[h - 1];
  }

  /** Each forecast feeds the next one's lags: one pass for every horizon. */
  @Override
  public void forecasts(double[] state, double[] out) {
    int p = order();
    for (int h = 0; h < out.length; h++) {
      double v = intercept;
      for (int i = 0; i < p; i++) {
        int back = h - 1 - i; // the forecast i + 1 steps before this one, or a value of the state
        v += coefficients[i] * (back >= 0 ? out[back] : state[-back - 1]);
      }
      out[h] = v;
    }
  }

  @Override
  public boolean fits(double[] state) {
    return KeyBaseline.finite(state, stateSize());
  }

  private double next(double[] state) {
    double v = intercept;
    for (int i = 0; i < coefficients.length; i++) {
      v += coefficients[i] * state[i];
    }
    return v;
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  @Override
  public boolean[] horizons() {
    return horizons.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Autoregression a && intercept == a.intercept && Arrays.equals(coefficients, a.coefficients)
        && integrated == a.integrated && Arrays.equals(horizons, a.horizons);
  }

  @Override
  public int hashCode() {
    return ((Double.hashCode(intercept) * 31 + Arrays.hashCode(coefficients)) * 31 + Boolean.hashCode(integrated)) * 31
        + Arrays.hashCode(horizons);
  }

  @Override
  public String toString() {
    return name() + String.format(Locale.ROOT, "[c=%.4g, a=%s]", intercept, Arrays.toString(coefficients));
  }
}
