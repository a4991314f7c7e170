package org.streamcast.domain;

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
   * @param h     steps ahead (1-based)
   * @param time  start of the forecast step
   * @param value forecast value
   */
  public record Point(int h, Instant time, double value) {}
}
