package org.streamcast.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One regular step of a key's resampled series: the aggregate of the events in {@code [start, start + step)}.
 *
 * @param key   series key
 * @param start start of the step (the series timestamp)
 * @param value aggregated value of the target
 * @param count number of events aggregated (at least 1)
 */
public record Step(String key, Instant start, double value, int count) {
  public Step {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
  }
}
