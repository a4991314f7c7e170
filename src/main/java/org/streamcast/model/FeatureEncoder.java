package org.streamcast.model;

import java.time.LocalDate;

/**
 * Turns one key's step (time, values, imputed flag, history) into the network's input vector, builds the training
 * labels, and turns network outputs back into forecasts. Immutable and thread-safe; training and serving both use
 * it, so features cannot drift between them. Definitions on {@link FeatureSpec}.
 */
public final class FeatureEncoder {

  private static final double TWO_PI = 2 * Math.PI;
  private static final int SECONDS_PER_DAY = 86_400;

  private final FeatureSpec spec;
  private final int[] lags;

  public FeatureEncoder(FeatureSpec spec) {
    this.spec = spec;
    this.lags = spec.seasonalLags().stream().mapToInt(Integer::intValue).toArray();
  }

  public FeatureSpec spec() {
    return spec;
  }

  /**
   * Writes the input vector for the step whose target value is {@code history.get(0)} (push it first); the
   * imputed-step input is that value's flag in the history.
   *
   * @param history     the key's raw target values, newest last (must hold at least the current one)
   * @param epochSecond the step's time, UTC seconds
   * @param extras      raw extra values, in the spec's order (length {@code extraFields().size()}; NaN: unknown)
   * @param scaling     the key's scalers
   * @param dst         receives {@code recurrentInputs() + headInputs()} floats from index 0
   */
  public void encode(History history, long epochSecond, double[] extras, KeyScaling scaling, float[] dst) {
    Scaler ts = scaling.target();
    double y = history.get(0);
    int i = 0;
    dst[i++] = (float) inputValue(history, ts);
    for (int e = 0; e < spec.extraFields().size(); e++) {
      // a covariate the key has no value for yet (NaN) is fed as its scaler's center
      dst[i++] = Double.isNaN(extras[e]) ? 0f : (float) scaling.extras().get(e).scale(extras[e]);
    }
    for (FeatureSpec.Calendar c : spec.calendar()) {
      double phase = TWO_PI * phase(c, epochSecond);
      dst[i++] = (float) Math.sin(phase);
      dst[i++] = (float) Math.cos(phase);
    }
    if (spec.imputedFlag()) {
      dst[i++] = history.imputed(0) ? 1f : 0f;
    }
    double naive = label(y, y, ts);
    double relativeTo = spec.persistenceInputs() ? naive : 0;
    for (int m : lags) {
      for (int h = 1; h <= spec.horizon(); h++) {
        int back = m * ((h + m - 1) / m) - h;
        double v = back < history.size() ? history.get(back) : y;
        dst[i++] = (float) (label(y, v, ts) - relativeTo);
      }
    }
    if (spec.persistenceInputs()) {
      dst[i++] = (float) naive;
      for (int m : lags) {
        dst[i++] = (float) (m < history.size() ? change(history.get(m), y, ts) : 0);
      }
    }
  }

  /** The change from {@code from} to {@code to} in target space (scaled, not centered). */
  private double change(double from, double to, Scaler ts) {
    return spec.target() == FeatureSpec.Target.RETURN ? ratio(to, from) / ts.scale() : (to - from) / ts.scale();
  }

  /** The scaled target-space input of the newest value. */
  double inputValue(History history, Scaler ts) {
    double y = history.get(0);
    return switch (spec.target()) {
      case LEVEL -> ts.scale(y);
      case DIFFERENCE -> history.size() < 2 ? 0 : (y - history.get(1)) / ts.scale();
      case RETURN -> history.size() < 2 ? 0 : ratio(y, history.get(1)) / ts.scale();
    };
  }

  /** The training label (target space) for a future value {@code yFuture} seen from the latest value {@code yNow}. */
  public double label(double yNow, double yFuture, Scaler ts) {
    return switch (spec.target()) {
      case LEVEL -> ts.scale(yFuture);
      case DIFFERENCE -> (yFuture - yNow) / ts.scale();
      case RETURN -> ratio(yFuture, yNow) / ts.scale();
    };
  }

  /** The forecast (original units) for a network output {@code out} (target space) from the latest value. */
  public double forecast(double yNow, double out, Scaler ts) {
    return switch (spec.target()) {
      case LEVEL -> ts.unscale(out);
      case DIFFERENCE -> yNow + out * ts.scale();
      case RETURN -> yNow * (1 + out * ts.scale());
    };
  }

  /**
   * The target-space series of raw values {@code y[from .. to)} that a key's target scaler is fitted on: levels, or
   * the differences/returns between consecutive values (one fewer).
   */
  public double[] targetSpaceSeries(double[] y, int from, int to) {
    if (spec.target() == FeatureSpec.Target.LEVEL) {
      return java.util.Arrays.copyOfRange(y, from, to);
    }
    double[] out = new double[Math.max(0, to - from - 1)];
    for (int i = from + 1; i < to; i++) {
      out[i - from - 1] = spec.target() == FeatureSpec.Target.DIFFERENCE ? y[i] - y[i - 1] : ratio(y[i], y[i - 1]);
    }
    return out;
  }

  /** Whether the target scaler is centered (levels) or only spread-scaled (differences, returns). */
  public boolean centeredTarget() {
    return spec.target() == FeatureSpec.Target.LEVEL;
  }

  private static double ratio(double num, double den) {
    return den == 0 ? 0 : num / den - 1;
  }

  /** The phase in {@code [0, 1)} of a calendar feature at {@code epochSecond} (UTC). */
  static double phase(FeatureSpec.Calendar c, long epochSecond) {
    long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    double dayFraction = Math.floorMod(epochSecond, SECONDS_PER_DAY) / (double) SECONDS_PER_DAY;
    return switch (c) {
      case TIME_OF_DAY -> dayFraction;
      case DAY_OF_WEEK -> (Math.floorMod(day + 3, 7) + dayFraction) / 7;
      case DAY_OF_YEAR -> {
        LocalDate d = LocalDate.ofEpochDay(day);
        yield (d.getDayOfYear() - 1 + dayFraction) / d.lengthOfYear();
      }
    };
  }
}
