package org.streamcast.model;

import java.util.Arrays;

/**
 * One key's exponential smoothing baseline ({@link KeyBaseline}): additive errors, an optional trend (damped or not)
 * and an optional additive season (ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N), ETS(A,N,A), ETS(A,A,A) or ETS(A,Ad,A) in
 * Hyndman's taxonomy), with parameters fitted to the key's training steps. Monthly and quarterly series with a trend
 * or a season are where it earns its place: there the simple baselines and a pooled network leave much of what ETS
 * or ARIMA reach.
 *
 * <p>The state a key carries ({@link KeyState#ownBaseline()}) is {@code [level, trend, position, season[0..m)]}, where
 * {@code position} is the index of the next step's seasonal component. It starts from a key's first {@link #warmup()}
 * values (the level as the first season's mean, the trend as the change over one season per step, the season as
 * the first season's deviations from the level) and then takes every value in turn, so a key served from
 * its first step has exactly the state training fitted. After a model swap or a reset it starts again from the
 * history the key holds.
 *
 * @param trend    whether it has a trend (damped when {@code phi < 1})
 * @param period   the season in steps, or 0 for none
 * @param alpha    level smoothing, in (0, 1]
 * @param beta     trend smoothing, in [0, alpha] (0 without a trend)
 * @param gamma    season smoothing, in [0, 1 − alpha] (0 without a season)
 * @param phi      trend damping, in (0, 1] (1 without a trend)
 * @param log      whether it smooths the logarithms of the values (a positive series whose season and noise grow
 *                 with its level, as R's {@code ets} with {@code lambda = 0}); it then forecasts the exponential, the
 *                 median of a log-normal forecast, and takes a value that is not positive as the forecast it made
 * @param horizons per horizon ({@code h − 1}), whether it serves the key there
 */
public record Smoothing(boolean trend, int period, double alpha, double beta, double gamma, double phi, boolean log,
    boolean[] horizons) implements KeyBaseline {

  /** The longest season it models (the state holds one value per step of it). */
  public static final int MAX_PERIOD = 64;

  /** The name of the baseline it is, as forecasts label their source. */
  public static final String SOURCE_PREFIX = "ets";

  public Smoothing {
    horizons = horizons.clone();
    if (period < 0 || period == 1 || period > MAX_PERIOD) {
      throw new IllegalArgumentException("smoothing period " + period + " is not 0 or 2.." + MAX_PERIOD);
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("smoothing alpha " + alpha + " is not in (0, 1]");
    }
    if (!(beta >= 0 && beta <= alpha) || (!trend && beta != 0)) {
      throw new IllegalArgumentException("smoothing beta " + beta + " is not in [0, alpha] (0 without a trend)");
    }
    if (!(gamma >= 0 && gamma <= 1 - alpha + 1e-12) || (period == 0 && gamma != 0)) {
      throw new IllegalArgumentException("smoothing gamma " + gamma + " is not in [0, 1 - alpha] (0 without a season)");
    }
    if (!(phi > 0 && phi <= 1) || (!trend && phi != 1)) {
      throw new IllegalArgumentException("smoothing phi " + phi + " is not in (0, 1] (1 without a trend)");
    }
  }

  /** A smoothing of the values themselves. */
  public Smoothing(boolean trend, int period, double alpha, double beta, double gamma, double phi,
      boolean[] horizons) {
    this(trend, period, alpha, beta, gamma, phi, false, horizons);
  }

  /** E.g. {@code ets(A,Ad,A)}, or {@code log-ets(A,N,A)} on the logarithms. */
  @Override
  public String name() {
    return (log ? "log-" : "") + SOURCE_PREFIX + "(A," + (trend ? phi < 1 ? "Ad" : "A" : "N") + ","
        + (period > 0 ? "A" : "N") + ")";
  }

  /**
   * Values a key needs before the state can start: a season and one step, or two steps without a season (no more
   * than a model with this seasonal lag needs before it forecasts).
   */
  @Override
  public int warmup() {
    return period + (period > 0 ? 1 : 2);
  }

  @Override
  public boolean serves(int h) {
    return h >= 1 && h <= horizons.length && horizons[h - 1];
  }

  @Override
  public Smoothing serving(boolean[] serves) {
    return new Smoothing(trend, period, alpha, beta, gamma, phi, log, serves);
  }

  @Override
  public int stateSize() {
    return 3 + period;
  }

  /** Started from the first {@link #warmup()} values, then taking every value. */
  @Override
  public double[] start(double[] values, int n) {
    if (n < warmup()) {
      throw new IllegalArgumentException(n + " values cannot start a smoothing state that needs " + warmup());
    }
    double[] s = new double[stateSize()];
    double[] v = log ? logs(values, warmup()) : values;
    if (period > 0) {
      double first = mean(v, 0, period);
      s[0] = first;
      s[1] = trend ? (v[period] - v[0]) / period : 0;
      for (int i = 0; i < period; i++) {
        s[3 + i] = v[i] - first;
      }
    } else {
      s[0] = v[0];
      s[1] = trend ? v[1] - v[0] : 0;
    }
    for (int t = 0; t < n; t++) {
      update(s, values[t]);
    }
    return s;
  }

  /** On the logarithms, the error is the logarithm's (0 for a value that is not positive). */
  @Override
  public double update(double[] state, double y) {
    int p = (int) state[2];
    double season = period > 0 ? state[3 + p] : 0;
    double damped = trend ? phi * state[1] : 0;
    double expected = state[0] + damped + season;
    double error = !log ? y - expected : y > 0 ? Math.log(y) - expected : 0;
    state[0] = state[0] + damped + alpha * error;
    if (trend) {
      state[1] = damped + beta * error;
    }
    if (period > 0) {
      state[3 + p] = season + gamma * error;
      state[2] = (p + 1) % period;
    }
    return error;
  }

  @Override
  public double forecast(double[] state, int h) {
    double level = state[0];
    if (trend) {
      double sum = 0;
      double f = 1;
      for (int j = 1; j <= h; j++) {
        f *= phi;
        sum += f;
      }
      level += sum * state[1];
    }
    if (period > 0) {
      level += state[3 + ((int) state[2] + h - 1) % period];
    }
    return log ? Math.exp(level) : level;
  }

  /** Its length, a valid position, finite values. */
  @Override
  public boolean fits(double[] state) {
    return KeyBaseline.finite(state, stateSize()) && state[2] >= 0 && state[2] < Math.max(period, 1)
        && state[2] == Math.rint(state[2]);
  }

  /**
   * The logarithms of the first {@code n} values; one that is not positive is taken as the mean of the others'
   * (all NaN when none is positive: such a state does not {@linkplain #fits fit} and is started again later).
   */
  private static double[] logs(double[] values, int n) {
    double[] out = new double[n];
    double sum = 0;
    int positive = 0;
    for (int i = 0; i < n; i++) {
      out[i] = values[i] > 0 ? Math.log(values[i]) : Double.NaN;
      if (values[i] > 0) {
        sum += out[i];
        positive++;
      }
    }
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(out[i]) && positive > 0) {
        out[i] = sum / positive;
      }
    }
    return out;
  }

  private static double mean(double[] v, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += v[i];
    }
    return sum / (to - from);
  }

  @Override
  public boolean[] horizons() {
    return horizons.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Smoothing s && trend == s.trend && period == s.period && alpha == s.alpha && beta == s.beta
        && gamma == s.gamma && phi == s.phi && log == s.log && Arrays.equals(horizons, s.horizons);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new double[] {alpha, beta, gamma, phi, period, log ? 1 : 0}) * 31
        + Arrays.hashCode(horizons);
  }

  @Override
  public String toString() {
    return name() + String.format(java.util.Locale.ROOT, "[m=%d, alpha=%.4f, beta=%.4f, gamma=%.4f, phi=%.4f]",
        period, alpha, beta, gamma, phi);
  }
}
