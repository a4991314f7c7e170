package org.streamcast.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.streamcast.domain.Observation;

/**
 * One key's regular series, oldest first: what the trainer reads. One element is one step.
 *
 * @param key          series key
 * @param epochSeconds step times (UTC seconds), ascending
 * @param values       target values (finite)
 * @param extras       extra value fields, {@code extras[f][t]} (may have zero fields)
 * @param imputed      whether each step was imputed
 */
public record KeySeries(String key, long[] epochSeconds, double[] values, double[][] extras, boolean[] imputed) {

  public KeySeries {
    Objects.requireNonNull(key, "key");
    int n = values.length;
    if (epochSeconds.length != n || imputed.length != n) {
      throw new IllegalArgumentException(key + ": times, values and flags differ in length");
    }
    for (double[] e : extras) {
      if (e.length != n) {
        throw new IllegalArgumentException(key + ": an extra field has " + e.length + " values, expected " + n);
      }
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(key + ": value " + values[i] + " at index " + i + " is not finite");
      }
      if (i > 0 && epochSeconds[i] <= epochSeconds[i - 1]) {
        throw new IllegalArgumentException(key + ": times are not increasing at index " + i);
      }
    }
  }

  /** A target-only series (no extra fields, nothing imputed). */
  public static KeySeries of(String key, long[] epochSeconds, double[] values) {
    return new KeySeries(key, epochSeconds, values, new double[0][], new boolean[values.length]);
  }

  /**
   * A series on a regular grid whose missing steps are {@code NaN}: each gap repeats the previous value and is
   * flagged imputed (as the pipeline's windowing hands a gap to the model). Leading gaps are dropped.
   */
  public static KeySeries withGaps(String key, long[] epochSeconds, double[] valuesOrNaN) {
    return withGaps(key, epochSeconds, valuesOrNaN, new double[0][]);
  }

  /**
   * {@link #withGaps(String, long[], double[])} with covariates ({@code covariates[f][t]}, {@code NaN}: none at that
   * step): each missing covariate holds its last value, as the serving step holds it; one missing from the first
   * step on stays {@code NaN} (fed as its scaler's center).
   */
  public static KeySeries withGaps(String key, long[] epochSeconds, double[] valuesOrNaN, double[][] covariates) {
    int first = 0;
    while (first < valuesOrNaN.length && Double.isNaN(valuesOrNaN[first])) {
      first++;
    }
    int n = valuesOrNaN.length - first;
    long[] t = java.util.Arrays.copyOfRange(epochSeconds, first, epochSeconds.length);
    double[] v = new double[n];
    boolean[] imputed = new boolean[n];
    for (int i = 0; i < n; i++) {
      double y = valuesOrNaN[first + i];
      if (Double.isNaN(y)) {
        v[i] = v[i - 1];
        imputed[i] = true;
      } else {
        v[i] = y;
      }
    }
    double[][] ex = new double[covariates.length][n];
    for (int f = 0; f < ex.length; f++) {
      double held = Double.NaN;
      for (int i = 0; i < n; i++) {
        double c = covariates[f][first + i];
        held = Double.isNaN(c) ? held : c;
        ex[f][i] = held;
      }
    }
    return new KeySeries(key, t, v, ex, imputed);
  }

  /** The first {@code n} steps. */
  public KeySeries head(int n) {
    double[][] ex = new double[extras.length][];
    for (int f = 0; f < extras.length; f++) {
      ex[f] = java.util.Arrays.copyOf(extras[f], n);
    }
    return new KeySeries(key, java.util.Arrays.copyOf(epochSeconds, n), java.util.Arrays.copyOf(values, n), ex,
        java.util.Arrays.copyOf(imputed, n));
  }

  public int length() {
    return values.length;
  }

  /**
   * Groups observations by key (in order of first appearance), each key's rows in the given order (sorted by
   * time, as in the dataset files); one row is one step.
   */
  public static List<KeySeries> fromObservations(List<Observation> rows) {
    Map<String, List<Observation>> byKey = new LinkedHashMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    List<KeySeries> out = new ArrayList<>();
    byKey.forEach((key, obs) -> {
      long[] t = new long[obs.size()];
      double[] v = new double[obs.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = obs.get(i).time().getEpochSecond();
        v[i] = obs.get(i).value();
      }
      out.add(of(key, t, v));
    });
    return out;
  }
}
