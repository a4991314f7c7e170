package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;

/**
 * A dataset of several keys on one {@link Cadence}, built from {@code key,timestamp,value} observations.
 *
 * <p>Per key, observations are sorted by time and placed on the grid that starts at the key's first timestamp: each
 * falls into step {@code cadence.slot(first, t)}. Keys keep their own start and length. A grid step without an
 * observation is a gap ({@code NaN}); nothing is imputed here. Observations that fall into the same step (duplicate
 * or off-grid timestamps) are averaged, like the streaming pipeline's default {@code MEAN} window, and counted in
 * {@link #merged()}.
 *
 * @param cadence the grid spacing shared by all keys
 * @param series  the series by key, in the order keys first appear in the input
 * @param merged  observations that shared a step with an earlier one and were averaged into it
 */
public record SeriesPanel(Cadence cadence, Map<String, Series> series, int merged) {

  /** The most steps one key may span; more means the step is wrong for the data. */
  static final long MAX_STEPS = 20_000_000L;

  public SeriesPanel {
    Objects.requireNonNull(cadence, "cadence");
    series = Collections.unmodifiableMap(new LinkedHashMap<>(series));
  }

  /** Builds a panel, inferring the cadence with {@link CadenceInference}. */
  public static SeriesPanel of(List<Observation> observations) {
    Map<String, List<Observation>> byKey = group(observations);
    List<List<Instant>> times = new ArrayList<>();
    for (List<Observation> obs : byKey.values()) {
      times.add(obs.stream().map(Observation::time).toList());
    }
    return build(byKey, CadenceInference.infer(times));
  }

  /** Builds a panel on a given cadence (for example the step of a pipeline spec). */
  public static SeriesPanel of(List<Observation> observations, Cadence cadence) {
    return build(group(observations), cadence);
  }

  /**
   * Builds a panel of series with covariates from wide rows ({@link Measurement#values()}: the target, then the
   * covariates named {@code covariates}) on a given cadence, or an inferred one when it is null. Rows that share a
   * step are averaged field by field (a missing covariate, {@code NaN}, is left out of its field's mean).
   */
  public static SeriesPanel ofRows(List<Measurement> rows, List<String> covariates, Cadence cadence) {
    List<Observation> targets = new ArrayList<>(rows.size());
    for (Measurement m : rows) {
      targets.add(new Observation(m.key(), m.time(), m.target()));
    }
    SeriesPanel panel = cadence == null ? of(targets) : of(targets, cadence);
    Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
    for (Measurement m : rows) {
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
    }
    Map<String, Series> out = new LinkedHashMap<>();
    panel.series().forEach((key, s) -> {
      double[][] sum = new double[covariates.size()][s.length()];
      int[][] count = new int[covariates.size()][s.length()];
      for (Measurement m : byKey.get(key)) {
        int slot = (int) panel.cadence().slot(s.start(), m.time());
        double[] v = m.values();
        for (int f = 0; f < covariates.size(); f++) {
          if (!Double.isNaN(v[1 + f])) {
            sum[f][slot] += v[1 + f];
            count[f][slot]++;
          }
        }
      }
      for (int f = 0; f < sum.length; f++) {
        for (int i = 0; i < sum[f].length; i++) {
          sum[f][i] = count[f][i] == 0 ? Double.NaN : sum[f][i] / count[f][i];
        }
      }
      out.put(key, new Series(key, s.start(), s.cadence(), s.values(), covariates, sum));
    });
    return new SeriesPanel(panel.cadence(), out, panel.merged());
  }

  /** The keys, in input order. */
  public List<String> keys() {
    return List.copyOf(series.keySet());
  }

  /** The keys accepted by {@code keep}; the result may be empty. */
  public SeriesPanel select(Predicate<String> keep) {
    Map<String, Series> kept = new LinkedHashMap<>();
    series.forEach((k, s) -> {
      if (keep.test(k)) {
        kept.put(k, s);
      }
    });
    return new SeriesPanel(cadence, kept, merged);
  }

  private static Map<String, List<Observation>> group(List<Observation> observations) {
    if (observations.isEmpty()) {
      throw new SpecException("no observations: the data has no rows");
    }
    Map<String, List<Observation>> byKey = new LinkedHashMap<>();
    for (Observation o : observations) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    for (List<Observation> obs : byKey.values()) {
      obs.sort(Comparator.comparing(Observation::time));
    }
    return byKey;
  }

  private static SeriesPanel build(Map<String, List<Observation>> byKey, Cadence cadence) {
    Map<String, Series> out = new LinkedHashMap<>();
    int merged = 0;
    for (Map.Entry<String, List<Observation>> e : byKey.entrySet()) {
      String key = e.getKey();
      List<Observation> obs = e.getValue();
      Instant first = obs.get(0).time();
      long steps = cadence.slot(first, obs.get(obs.size() - 1).time()) + 1;
      if (steps > MAX_STEPS) {
        throw new SpecException("key " + key + ": " + steps + " steps of " + cadence.label()
            + " between its first and last timestamp; the step does not fit the data");
      }
      double[] sum = new double[(int) steps];
      int[] count = new int[(int) steps];
      for (Observation o : obs) {
        if (!Double.isFinite(o.value())) {
          throw new SpecException("key " + key + ": value at " + o.time() + " is not a finite number: " + o.value());
        }
        int slot = (int) cadence.slot(first, o.time());
        sum[slot] += o.value();
        count[slot]++;
      }
      double[] values = new double[sum.length];
      Arrays.fill(values, Double.NaN);
      for (int i = 0; i < values.length; i++) {
        if (count[i] > 0) {
          values[i] = sum[i] / count[i];
          merged += count[i] - 1;
        }
      }
      out.put(key, new Series(key, first, cadence, values));
    }
    return new SeriesPanel(cadence, out, merged);
  }
}
