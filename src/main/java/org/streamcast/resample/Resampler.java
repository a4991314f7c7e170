package org.streamcast.resample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Measurement;

/**
 * The batch form of the stream's resampling, for rows read from a file (training, backtest): each key's rows fall
 * into the epoch-aligned steps of a {@link StepGrid} and each field is aggregated per step with its own aggregation
 * by {@link WindowAggregate}, the stream's own arithmetic, so that a step equals the one the stream emits for the same
 * events in time order. With the {@code impute} or {@code reset} gap policy every step from a key's first to its last
 * is returned, a gap step with count 0 and {@code NaN} values; with {@code skip} only steps with events.
 *
 * <p>Rows are taken per key in time order (stable: rows with the same time keep the file's order, as the stream
 * would receive them). A {@code NaN} value is a field the row does not have (a blank cell of a wide file): it is left
 * out of that field's aggregate (the stream's events always have every field).
 */
public final class Resampler {
  /** The most steps one key may span; more means the step is wrong for the data. */
  public static final long MAX_STEPS = 20_000_000L;

  private final StepGrid grid;
  private final PipelineSpec.Aggregation[] aggregations;
  private final boolean skipGaps;

  /**
   * @param grid         the steps
   * @param aggregations per value field (target first, then the covariates in the rows' order)
   * @param gaps         the spec's gap policy: {@code skip} returns no gap steps
   */
  public Resampler(StepGrid grid, List<PipelineSpec.Aggregation> aggregations, GapPolicy gaps) {
    this.grid = grid;
    this.aggregations = aggregations.toArray(new PipelineSpec.Aggregation[0]);
    this.skipGaps = gaps == GapPolicy.SKIP;
    if (this.aggregations.length == 0) {
      throw new IllegalArgumentException("no aggregation: the target needs one");
    }
  }

  /** The spec's aggregations of {@code fields} (target first). */
  public static List<PipelineSpec.Aggregation> aggregations(PipelineSpec.Window window, List<String> fields) {
    return fields.stream().map(window::aggregation).toList();
  }

  /**
   * Resamples {@code rows} (each with one value per aggregation) per key, keys in the order they first appear.
   *
   * @throws SpecException when a key spans more than {@link #MAX_STEPS} steps
   */
  public List<KeySteps> resample(List<Measurement> rows) {
    Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
    for (Measurement m : rows) {
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
    }
    List<KeySteps> out = new ArrayList<>(byKey.size());
    for (List<Measurement> keyRows : byKey.values()) {
      keyRows.sort(Comparator.comparing(Measurement::time));
      out.add(resampleKey(keyRows));
    }
    return out;
  }

  private KeySteps resampleKey(List<Measurement> rows) {
    String key = rows.get(0).key();
    int fields = aggregations.length;
    long first = grid.index(rows.get(0).time().toEpochMilli());
    long last = grid.index(rows.get(rows.size() - 1).time().toEpochMilli());
    long span = last - first + 1;
    if (!skipGaps && span > MAX_STEPS) {
      throw new SpecException("key " + key + ": " + span + " steps between its first and last timestamp (at most "
          + MAX_STEPS + "); the step does not fit the data");
    }
    int n = skipGaps ? distinctSteps(rows) : (int) span;
    long[] starts = new long[n];
    int[] counts = new int[n];
    double[][] agg = new double[fields][n];
    for (double[] a : agg) {
      Arrays.fill(a, Double.NaN);
    }
    if (!skipGaps) {
      for (int i = 0; i < n; i++) {
        starts[i] = grid.start(first + i);
      }
    }
    int slot = -1;
    long index = Long.MIN_VALUE;
    WindowAggregate[] open = new WindowAggregate[fields];
    for (Measurement m : rows) {
      long ms = m.time().toEpochMilli();
      long at = grid.index(ms);
      if (at != index) {
        close(open, agg, slot);
        index = at;
        slot = skipGaps ? slot + 1 : (int) (at - first);
        starts[slot] = grid.start(at);
      }
      counts[slot]++;
      double[] v = m.values();
      for (int f = 0; f < fields; f++) {
        if (!Double.isNaN(v[f])) {
          double[] one = {v[f]};
          open[f] = open[f] == null ? WindowAggregate.first(starts[slot], one, ms) : open[f].add(one, ms);
        }
      }
    }
    close(open, agg, slot);
    double[][] covariates = Arrays.copyOfRange(agg, 1, fields);
    return new KeySteps(key, starts, agg[0], covariates, counts);
  }

  /** Writes the open step's aggregates into {@code agg[f][slot]} and clears them. */
  private void close(WindowAggregate[] open, double[][] agg, int slot) {
    for (int f = 0; f < open.length; f++) {
      if (open[f] != null) {
        agg[f][slot] = open[f].value(aggregations[f]);
        open[f] = null;
      }
    }
  }

  private int distinctSteps(List<Measurement> rows) {
    int n = 0;
    long index = Long.MIN_VALUE;
    for (Measurement m : rows) {
      long at = grid.index(m.time().toEpochMilli());
      n += at != index ? 1 : 0;
      index = at;
    }
    return n;
  }
}
