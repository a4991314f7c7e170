package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.training.backtest.AnomalyInjector.Event;
import org.streamcast.training.backtest.AnomalyInjector.Kind;

/**
 * Measures anomaly detection on real series with seeded injected anomalies ({@link AnomalyInjector}): per kind,
 * streamcast's detector (the serving step's band check with the default flatline, level-shift and spike watches, and
 * the band check alone; each with and without clipping) against a rolling z-score. Each
 * detector's setting (streamcast's band level; the z-score's k and window) is chosen on a tuning seed by F1, then
 * scored on the evaluation seeds, which never tune anything. Anomalies go into the part of each series after
 * {@code split}; the detectors run over the whole series (the part before warms them up) and are scored after it.
 *
 * <p>Scores per kind, summed over keys and evaluation seeds: precision is the share of flags that fall on an
 * anomaly (its steps, or up to {@value AnomalyInjector#TOLERANCE} steps after it); recall the share of anomalies with
 * at least one such flag; F1 their harmonic mean.
 */
public final class AnomalyBacktest {
  /** Band levels streamcast's detector may be tuned to. */
  public static final List<Double> LEVELS = List.of(0.95, 0.99, 0.995, 0.999);
  /** Multiples of σ the z-score may be tuned to. */
  public static final List<Double> KS = List.of(1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0);
  /** Trailing windows, in steps, the z-score may be tuned to. */
  public static final List<Integer> WINDOWS = List.of(12, 24, 48, 96, 168, 336);

  /** A key to score: its clean values and step times; the detectors' models serve it. */
  public record Key(String key, double[] values, List<Instant> times) {}

  /** Counts of one detector on one kind; {@link #precision()}, {@link #recall()} and {@link #f1()} from them. */
  public record Counts(long flags, long truePositives, long events, long detected) {
    Counts plus(Counts o) {
      return new Counts(flags + o.flags, truePositives + o.truePositives, events + o.events, detected + o.detected);
    }

    /** Flags on an anomaly over all flags (1 when there were none). */
    public double precision() {
      return flags == 0 ? 1 : truePositives / (double) flags;
    }

    /** Anomalies flagged over all anomalies. */
    public double recall() {
      return events == 0 ? 0 : detected / (double) events;
    }

    /** The harmonic mean of precision and recall (0 when both are). */
    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  /** One row of the report: a detector, the setting the tuning seed chose, and its counts on the evaluation seeds. */
  public record Row(Kind kind, String detector, String setting, Counts counts) {}

  /** What streamcast's detector serves each key with, and the history it keeps. */
  public interface Models {
    Forecaster model(Key key);

    int history();
  }

  private final List<Key> keys;
  private final double split;
  private final Models models;

  /**
   * @param keys   the series to score
   * @param split  the fraction of each series before the first anomaly
   * @param models the model streamcast's detector serves
   */
  public AnomalyBacktest(List<Key> keys, double split, Models models) {
    this.keys = List.copyOf(keys);
    this.split = split;
    this.models = models;
  }

  /** The report rows of {@code kind}: streamcast and its band alone, clipped and raw, then the z-score. */
  public List<Row> run(Kind kind, long tuningSeed, List<Long> seeds) {
    List<Row> rows = new ArrayList<>();
    for (boolean watch : new boolean[] {true, false}) {
      for (boolean clip : new boolean[] {true, false}) {
        double level = best(LEVELS, l -> counts(kind, tuningSeed, (k, y) -> streamcast(k, y, l, clip, watch)));
        rows.add(new Row(kind, "streamcast" + (watch ? "" : " band only") + (clip ? " (clip)" : " (raw)"),
            "level " + level, total(kind, seeds, (k, y) -> streamcast(k, y, level, clip, watch))));
      }
    }
    List<double[]> settings = new ArrayList<>();
    for (int w : WINDOWS) {
      for (double k : KS) {
        settings.add(new double[] {w, k});
      }
    }
    double[] z = best(settings, s -> counts(kind, tuningSeed, (k, y) -> AnomalyDetectors.zScore(y, (int) s[0],
        s[1])));
    rows.add(new Row(kind, "rolling z-score", String.format(Locale.ROOT, "window %d, k %.1f", (int) z[0], z[1]),
        total(kind, seeds, (k, y) -> AnomalyDetectors.zScore(y, (int) z[0], z[1]))));
    return rows;
  }

  /** streamcast's flags; {@code watch}: with the default flatline, level-shift and spike watches, else the band. */
  private boolean[] streamcast(Key key, double[] y, double level, boolean clip, boolean watch) {
    PipelineSpec.Anomalies spec = watch ? new PipelineSpec.Anomalies(level, PipelineSpec.Anomalies.MAX_RATE, clip)
        : new PipelineSpec.Anomalies(level, PipelineSpec.Anomalies.MAX_RATE, clip, false, false, false);
    return AnomalyDetectors.streamcast(y, key.times(), models.model(key), models.history(), spec);
  }

  /** The candidate with the highest F1 on the tuning seed (the first of equals). */
  private static <T> T best(List<T> candidates, java.util.function.Function<T, Counts> score) {
    T best = null;
    double f1 = -1;
    for (T c : candidates) {
      double f = score.apply(c).f1();
      if (f > f1) {
        f1 = f;
        best = c;
      }
    }
    return best;
  }

  private Counts total(Kind kind, List<Long> seeds, BiFunction<Key, double[], boolean[]> detector) {
    Counts sum = new Counts(0, 0, 0, 0);
    for (long seed : seeds) {
      sum = sum.plus(counts(kind, seed, detector));
    }
    return sum;
  }

  /** One seed's counts over every key; each key's anomalies come from its own seed derived from {@code seed}. */
  Counts counts(Kind kind, long seed, BiFunction<Key, double[], boolean[]> detector) {
    Counts sum = new Counts(0, 0, 0, 0);
    for (int i = 0; i < keys.size(); i++) {
      Key key = keys.get(i);
      int from = (int) Math.floor(key.values().length * split);
      AnomalyInjector.Injected injected = AnomalyInjector.inject(key.values(), from, kind, seed * 1_000_003L + i);
      sum = sum.plus(score(detector.apply(key, injected.values()), injected.events(), from));
    }
    return sum;
  }

  /** The counts of {@code flags} from step {@code from} on against {@code events}. */
  static Counts score(boolean[] flags, List<Event> events, int from) {
    long n = 0;
    long tp = 0;
    for (int t = from; t < flags.length; t++) {
      if (flags[t]) {
        n++;
        for (Event e : events) {
          if (e.covers(t)) {
            tp++;
            break;
          }
        }
      }
    }
    long detected = 0;
    for (Event e : events) {
      for (int t = e.start(); t < Math.min(flags.length, e.end() + AnomalyInjector.TOLERANCE); t++) {
        if (flags[t]) {
          detected++;
          break;
        }
      }
    }
    return new Counts(n, tp, events.size(), detected);
  }

  /** The rows as a Markdown table. */
  public static String table(String dataset, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| dataset | kind | detector | chosen on the tuning seed | anomalies | flags | precision | recall "
        + "| F1 |\n");
    b.append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      Counts c = r.counts();
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %.3f | %.3f | %.3f |%n", dataset,
          r.kind().label(), r.detector(), r.setting(), c.events(), c.flags(), c.precision(), c.recall(), c.f1()));
    }
    return b.toString();
  }
}
