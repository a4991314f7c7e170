package org.streamcast.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a {@code key,timestamp,value} series file (the format of the bundled datasets).
 *
 * @param key   series key
 * @param time  timestamp
 * @param value the observed value
 */
public record Observation(String key, Instant time, double value) implements Timestamped {
  public Observation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(time, "time");
  }
}
