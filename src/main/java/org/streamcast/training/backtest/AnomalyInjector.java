package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded injection of anomalies into a clean series, for measuring detectors: the same series, kind and seed always
 * give the same anomalies. Events go only after {@code from} (the part a detector is scored on), one every
 * {@value #SPACING} steps or so, so that the effects of one never overlap the next. Sizes are in units of σ, the
 * standard deviation of the series before {@code from}:
 * <ul>
 *   <li>{@link Kind#SPIKE}: one step moved by U(1, 3)·σ, up or down;</li>
 *   <li>{@link Kind#LEVEL_SHIFT}: U(10, 50) steps moved by U(1, 2)·σ, up or down, then back;</li>
 *   <li>{@link Kind#STUCK}: U(10, 50) steps repeating the reading just before them (a stuck sensor).</li>
 * </ul>
 */
public final class AnomalyInjector {
  /** Steps between the starts of consecutive events, on average. */
  public static final int SPACING = 150;
  /** Steps after an event's end within which a flag still belongs to it (a detector's reaction to its end). */
  public static final int TOLERANCE = 3;

  /** The anomaly kinds. */
  public enum Kind {
    SPIKE, LEVEL_SHIFT, STUCK;

    /** The name in reports: spike, level-shift, stuck. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** One injected anomaly: steps {@code start} (inclusive) to {@code end} (exclusive). */
  public record Event(int start, int end) {
    /** Whether a flag at step {@code t} belongs to this event (its steps, or up to {@link #TOLERANCE} after). */
    public boolean covers(int t) {
      return t >= start && t < end + TOLERANCE;
    }
  }

  /** The series with its anomalies, and where they are. */
  public record Injected(double[] values, List<Event> events) {}

  private AnomalyInjector() {}

  /**
   * Injects anomalies of {@code kind} into a copy of {@code clean} after step {@code from}, drawn from {@code seed}.
   * Missing steps (NaN) stay missing; an event never starts at one.
   */
  public static Injected inject(double[] clean, int from, Kind kind, long seed) {
    double sigma = sigma(clean, from);
    double[] y = clean.clone();
    List<Event> events = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(seed);
    int at = from + r.nextInt(SPACING / 2);
    while (true) {
      int length = kind == Kind.SPIKE ? 1 : 10 + r.nextInt(41);
      if (at + length + TOLERANCE >= y.length) {
        break;
      }
      if (!Double.isNaN(y[at]) && at > 0 && !Double.isNaN(y[at - 1])) {
        double sign = r.nextBoolean() ? 1 : -1;
        switch (kind) {
          case SPIKE -> y[at] += sign * (1 + 2 * r.nextDouble()) * sigma;
          case LEVEL_SHIFT -> {
            double shift = sign * (1 + r.nextDouble()) * sigma;
            for (int t = at; t < at + length; t++) {
              y[t] += shift;
            }
          }
          case STUCK -> {
            for (int t = at; t < at + length; t++) {
              y[t] = Double.isNaN(y[t]) ? y[t] : y[at - 1];
            }
          }
          default -> throw new IllegalArgumentException("kind " + kind);
        }
        events.add(new Event(at, at + length));
      }
      at += length + SPACING / 2 + r.nextInt(SPACING);
    }
    return new Injected(y, List.copyOf(events));
  }

  /** The standard deviation of the observed values before {@code from}. */
  static double sigma(double[] y, int from) {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int t = 0; t < from; t++) {
      if (!Double.isNaN(y[t])) {
        sum += y[t];
        sq += y[t] * y[t];
        n++;
      }
    }
    if (n < 2) {
      throw new IllegalArgumentException("need at least two observations before step " + from);
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sq / n - mean * mean));
  }
}
