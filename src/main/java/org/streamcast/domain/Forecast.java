package org.streamcast.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The forecasts one key's model made at one origin, for h = 1..H.
 *
 * @param key          series key
 * @param pipeline     pipeline name
 * @param origin       start of the last observed step
 * @param model        model name ({@code gru}, {@code lstm}, {@code rnn}), or {@code baseline} when no horizon is
 *                     served the model's learned output (see each point's {@link Point#source()})
 * @param modelVersion version of the model that made every value
 * @param points       one point per horizon, h ascending
 */
public record Forecast(String key, String pipeline, Instant origin, String model, long modelVersion,
    List<Point> points) {
  public Forecast {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(origin, "origin");
    points = List.copyOf(points);
  }

  /** The source of a point served by the model's learned output. */
  public static final String LEARNED = "learned";
  /** The model name of a forecast that no learned output served. */
  public static final String BASELINE = "baseline";

  /**
   * The {@code model} of a forecast whose horizons were served by {@code sources}: the model's name when its learned
   * output served at least one horizon, else {@value #BASELINE} (a forecast never names a network that did not serve
   * it).
   */
  public static String modelName(String model, List<String> sources) {
    return sources.contains(LEARNED) ? model : BASELINE;
  }

  /**
   * Which source served which horizons, compactly: {@code learned}, or e.g. {@code learned 1-6, naive 7-12}
   * ({@code ?} for points that do not say).
   */
  public String servedBy() {
    StringBuilder b = new StringBuilder();
    int from = 0;
    for (int i = 1; i <= points.size(); i++) {
      if (i < points.size() && Objects.equals(source(i), source(from))) {
        continue;
      }
      if (from == 0 && i == points.size()) {
        return String.valueOf(source(0) == null ? "?" : source(0));
      }
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(source(from) == null ? "?" : source(from)).append(' ').append(points.get(from).h());
      if (i - 1 > from) {
        b.append('-').append(points.get(i - 1).h());
      }
      from = i;
    }
    return b.toString();
  }

  private String source(int index) {
    return points.get(index).source();
  }

  /**
   * One horizon's forecast.
   *
   * @param h         steps ahead (1-based)
   * @param time      start of the forecast step
   * @param value     forecast value
   * @param intervals prediction intervals around the value, level ascending; only the levels that had enough
   *                  residuals (empty while none had)
   * @param source    what served it: {@value Forecast#LEARNED} (the model's learned output) or the name of the
   *                  baseline that served instead ({@code naive}, {@code snaive(336)}, ...); null where unknown
   *                  (records written before sources were labelled)
   */
  public record Point(int h, Instant time, double value, List<Interval> intervals, String source) {
    public Point {
      intervals = List.copyOf(intervals);
    }

    /** A point that does not say its source. */
    public Point(int h, Instant time, double value, List<Interval> intervals) {
      this(h, time, value, intervals, null);
    }

    /** A point without intervals that does not say its source. */
    public Point(int h, Instant time, double value) {
      this(h, time, value, List.of(), null);
    }
  }

  /**
   * A prediction interval at a nominal coverage level.
   *
   * @param level nominal coverage in (0, 1), e.g. 0.95
   * @param lower lower bound
   * @param upper upper bound
   */
  public record Interval(double level, double lower, double upper) {
    /** The level as written in JSON keys and metric tags: {@code 0.8}, {@code 0.95}. */
    public static String levelText(double level) {
      return BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
    }
  }
}
