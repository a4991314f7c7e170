package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.resample.KeySteps;
import org.streamcast.resample.Resampler;

/**
 * A dataset of several keys on one {@link Cadence}, built from {@code key,timestamp,value} observations.
 *
 * <p>Per key, observations are resampled by the one resampler ({@link Resampler}) onto the cadence's epoch-aligned
 * steps ({@link Cadence#grid()}), as the stream's windows take them: a series starts at the step of its first
 * observation. Keys keep their own start and length. A step without an observation is a gap ({@code NaN}); nothing
 * is imputed here. Observations that fall into the same step (duplicate or off-grid timestamps) are aggregated, by
 * default averaged like the streaming pipeline's default {@code MEAN} window, and counted in {@link #merged()}.
 *
 * @param cadence the grid spacing shared by all keys
 * @param series  the series by key, in the order keys first appear in the input
 * @param merged  observations that shared a step with an earlier one and were averaged into it
 */
public record SeriesPanel(Cadence cadence, Map<String, Series> series, int merged) {

  public SeriesPanel {
    Objects.requireNonNull(cadence, "cadence");
    series = Collections.unmodifiableMap(new LinkedHashMap<>(series));
  }

  /** Builds a panel, inferring the cadence with {@link CadenceInference}. */
  public static SeriesPanel of(List<Observation> observations) {
    return ofRows(rows(observations), List.of(), null);
  }

  /** Builds a panel on a given cadence (for example the step of a pipeline spec). */
  public static SeriesPanel of(List<Observation> observations, Cadence cadence) {
    return ofRows(rows(observations), List.of(), cadence);
  }

  /** {@link #of(List, Cadence)} (null: inferred) with the steps aggregated by {@code aggregation}. */
  public static SeriesPanel of(List<Observation> observations, Cadence cadence,
      PipelineSpec.Aggregation aggregation) {
    return ofRows(rows(observations), List.of(), cadence, List.of(aggregation));
  }

  /**
   * Builds a panel of series with covariates from wide rows ({@link Measurement#values()}: the target, then the
   * covariates named {@code covariates}) on a given cadence, or an inferred one when it is null. Rows that share a
   * step are averaged field by field (a missing covariate, {@code NaN}, is left out of its field's mean).
   */
  public static SeriesPanel ofRows(List<Measurement> rows, List<String> covariates, Cadence cadence) {
    List<PipelineSpec.Aggregation> mean = new ArrayList<>();
    for (int f = 0; f <= covariates.size(); f++) {
      mean.add(PipelineSpec.Aggregation.MEAN);
    }
    return ofRows(rows, covariates, cadence, mean);
  }

  /**
   * {@link #ofRows(List, List, Cadence)} with each field aggregated with its own aggregation (the target first, as
   * a pipeline spec's window gives them): the one resampler's steps, {@link Resampler}, as the stream builds them.
   */
  public static SeriesPanel ofRows(List<Measurement> rows, List<String> covariates, Cadence cadence,
      List<PipelineSpec.Aggregation> aggregations) {
    if (rows.isEmpty()) {
      throw new SpecException("no observations: the data has no rows");
    }
    for (Measurement m : rows) {
      if (!Double.isFinite(m.target())) {
        throw new SpecException("key " + m.key() + ": value at " + m.time() + " is not a finite number: "
            + m.target());
      }
    }
    Cadence grid = cadence == null ? CadenceInference.infer(times(rows)) : cadence;
    Map<String, Series> out = new LinkedHashMap<>();
    int merged = 0;
    for (KeySteps k : new Resampler(grid.grid(), aggregations, GapPolicy.IMPUTE).resample(rows)) {
      for (int c : k.counts()) {
        merged += Math.max(c - 1, 0);
      }
      out.put(k.key(), new Series(k.key(), Instant.ofEpochMilli(k.starts()[0]), grid, k.values(), covariates,
          k.covariates()));
    }
    return new SeriesPanel(grid, out, merged);
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

  private static List<Measurement> rows(List<Observation> observations) {
    List<Measurement> rows = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      rows.add(new Measurement(o.key(), o.time(), new double[] {o.value()}));
    }
    return rows;
  }

  /** Each key's timestamps in time order, keys in the order they first appear (for the cadence inference). */
  private static List<List<Instant>> times(List<Measurement> rows) {
    Map<String, List<Instant>> byKey = new LinkedHashMap<>();
    for (Measurement m : rows) {
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.time());
    }
    List<List<Instant>> out = new ArrayList<>();
    for (List<Instant> t : byKey.values()) {
      t.sort(Comparator.naturalOrder());
      out.add(t);
    }
    return out;
  }
}
