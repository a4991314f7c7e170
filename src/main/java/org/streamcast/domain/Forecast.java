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
 * @param model        model name ({@code gru}, {@code lstm}, {@code rnn} or {@code baseline})
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

  /**
   * One horizon's forecast.
   *
   * @param h         steps ahead (1-based)
   * @param time      start of the forecast step
   * @param value     forecast value
   * @param intervals prediction intervals around the value, level ascending; only the levels that had enough
   *                  residuals (empty while none had)
   */
  public record Point(int h, Instant time, double value, List<Interval> intervals) {
    public Point {
      intervals = List.copyOf(intervals);
    }

    /** A point without intervals. */
    public Point(int h, Instant time, double value) {
      this(h, time, value, List.of());
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
