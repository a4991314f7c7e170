package org.streamcast.resample;

import java.util.Arrays;
import java.util.Objects;
import org.streamcast.config.PipelineSpec;

/**
 * The running aggregate of one window (one step of one key): the arithmetic of the stream's open windows and of the
 * batch {@link Resampler}, so both give the same step bit for bit.
 *
 * @param start    window start (epoch ms)
 * @param count    events so far
 * @param sum      sum of values (infinite once it overflowed: then only a {@code sum} window is refused)
 * @param mean     running mean of values, which stays finite while the values are (the sum may not)
 * @param min      minimum value
 * @param max      maximum value
 * @param last     value of the latest event (by event time; ties go to the later arrival)
 * @param lastTime event time of {@code last}
 * @param extra    the same running aggregates of each other value field, in the spec's order: {@value #PER_FIELD}
 *                 doubles per field (sum, mean, min, max, last, and how many events carried the field: an event
 *                 without a covariate, {@code NaN}, leaves that field's aggregates as they were, so a field none of
 *                 the window's events carried reads as {@code NaN}, a missing covariate, which serving holds)
 */
public record WindowAggregate(long start, int count, double sum, double mean, double min, double max, double last,
    long lastTime, double[] extra) {
  public static final int PER_FIELD = 6;
  private static final double[] NONE = new double[0];

  public WindowAggregate {
    extra = extra.length == 0 ? NONE : extra;
  }

  public WindowAggregate(long start, int count, double sum, double mean, double min, double max, double last,
      long lastTime) {
    this(start, count, sum, mean, min, max, last, lastTime, NONE);
  }

  /** A window's first event: {@code values} holds the target, then the other fields. */
  public static WindowAggregate first(long start, double[] values, long time) {
    double v = values[0];
    double[] extra = new double[PER_FIELD * (values.length - 1)];
    for (int f = 1; f < values.length; f++) {
      int i = PER_FIELD * (f - 1);
      double x = values[f];
      if (Double.isNaN(x)) {
        extra[i + 2] = Double.POSITIVE_INFINITY;
        extra[i + 3] = Double.NEGATIVE_INFINITY;
        extra[i + 4] = Double.NaN;
      } else {
        Arrays.fill(extra, i, i + 5, x);
        extra[i + 5] = 1;
      }
    }
    return new WindowAggregate(start, 1, v, v, v, v, v, time, extra);
  }

  public WindowAggregate add(double[] values, long time) {
    boolean newer = time >= lastTime;
    int n = count + 1;
    double v = values[0];
    double[] e = extra.length == 0 ? NONE : new double[extra.length];
    for (int f = 0; f < e.length / PER_FIELD; f++) {
      double x = 1 + f < values.length ? values[1 + f] : Double.NaN;
      int i = PER_FIELD * f;
      if (Double.isNaN(x)) {
        System.arraycopy(extra, i, e, i, PER_FIELD);
        continue;
      }
      double had = extra[i + 5];
      double now = had + 1;
      e[i] = extra[i] + x;
      e[i + 1] = extra[i + 1] * (had / now) + x / now;
      e[i + 2] = Math.min(extra[i + 2], x);
      e[i + 3] = Math.max(extra[i + 3], x);
      e[i + 4] = newer || had == 0 ? x : extra[i + 4];
      e[i + 5] = now;
    }
    // Weighted so that neither term can overflow: |mean| and |v| are finite, the weights at most 1.
    double running = mean * ((double) count / n) + v / n;
    return new WindowAggregate(start, n, sum + v, running, Math.min(min, v), Math.max(max, v),
        newer ? v : last, newer ? time : lastTime, e);
  }

  public double value(PipelineSpec.Aggregation aggregation) {
    return value(aggregation, sum, mean, min, max, last, count);
  }

  /** Other value fields ({@link #extra}, in order; fewer than {@code fields} stored: NaN). */
  public int fields() {
    return extra.length / PER_FIELD;
  }

  /**
   * The {@code aggregation} of other value field {@code f} (0-based, after the target); {@code NaN} when no event of
   * the window carried the field.
   */
  public double extraValue(int f, PipelineSpec.Aggregation aggregation) {
    int i = PER_FIELD * f;
    double carried = extra[i + 5];
    return carried == 0 ? Double.NaN
        : value(aggregation, extra[i], extra[i + 1], extra[i + 2], extra[i + 3], extra[i + 4], carried);
  }

  private static double value(PipelineSpec.Aggregation aggregation, double sum, double mean, double min, double max,
      double last, double count) {
    return switch (aggregation) {
      // sum / count while the sum is finite: the exact mean of the values, as a batch resampler computes it
      case MEAN -> Double.isFinite(sum) ? sum / count : mean;
      case LAST -> last;
      case SUM -> sum;
      case MIN -> min;
      case MAX -> max;
      case COUNT -> count;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowAggregate a && start == a.start && count == a.count && lastTime == a.lastTime
        && Arrays.equals(new double[] {sum, mean, min, max, last},
            new double[] {a.sum, a.mean, a.min, a.max, a.last})
        && Arrays.equals(extra, a.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, count, sum, mean, min, max, last, lastTime,
        Arrays.hashCode(extra));
  }
}
