package org.streamcast.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One valid event: a key, its event time and its numeric values (target first, in the spec's field order).
 *
 * @param key    series key, never empty
 * @param time   event time
 * @param values finite values, in the order of the spec's value fields
 */
public record Measurement(String key, Instant time, double[] values) implements Timestamped {
  public Measurement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(time, "time");
    values = values.clone();
  }

  /** The forecast target (the first value). */
  public double target() {
    return values[0];
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Measurement m
        && key.equals(m.key) && time.equals(m.time) && java.util.Arrays.equals(values, m.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, time, java.util.Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "Measurement[" + key + " @ " + time + " = " + java.util.Arrays.toString(values) + "]";
  }
}
