package org.streamcast.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One regular step of a key's resampled series: the aggregate of the events in {@code [start, start + step)}.
 *
 * @param key        series key
 * @param start      start of the step (the series timestamp)
 * @param value      aggregated value of the target
 * @param count      number of events aggregated (at least 1)
 * @param covariates aggregated values of the other value fields, in the spec's order (empty for a target-only
 *                   pipeline; {@code NaN}: no value)
 */
public record Step(String key, Instant start, double value, int count, double[] covariates) {
  private static final double[] NONE = new double[0];

  public Step {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    covariates = covariates.length == 0 ? NONE : covariates.clone();
  }

  /** A step of the target alone. */
  public Step(String key, Instant start, double value, int count) {
    this(key, start, value, count, NONE);
  }

  /** A copy of the covariates. */
  @Override
  public double[] covariates() {
    return covariates.length == 0 ? NONE : covariates.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Step s && key.equals(s.key) && start.equals(s.start)
        && Double.compare(value, s.value) == 0 && count == s.count && Arrays.equals(covariates, s.covariates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, start, value, count, Arrays.hashCode(covariates));
  }

  @Override
  public String toString() {
    return "Step[" + key + " @ " + start + " = " + value + " (" + count + ")"
        + (covariates.length == 0 ? "" : " " + Arrays.toString(covariates)) + "]";
  }
}
