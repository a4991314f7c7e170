package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key's series on a regular grid: step {@code i} (0-based) is at {@code cadence.at(start, i)} and holds
 * {@code values[i]}, or {@code NaN} when the data had no observation for that step (a gap). A series built by
 * {@link SeriesPanel} starts and ends with an observation. Immutable.
 *
 * @param key     the series key
 * @param start   time of step 0 (the key's first timestamp)
 * @param cadence the grid
 * @param values  one value per step; {@code NaN} marks a missing step
 */
public record Series(String key, Instant start, Cadence cadence, double[] values) {

  public Series {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(cadence, "cadence");
    values = values.clone();
    for (double v : values) {
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(key + ": values must be finite or NaN (missing)");
      }
    }
  }

  /** A gap-free series of consecutive steps. */
  public static Series of(String key, Instant start, Cadence cadence, double... values) {
    return new Series(key, start, cadence, values);
  }

  /** Steps from the first to the last observation, gaps included (the {@code n} of the protocol). */
  public int length() {
    return values.length;
  }

  /** The value of step {@code i}, {@code NaN} when missing. */
  public double value(int i) {
    return values[i];
  }

  /** Whether step {@code i} has an observation. */
  public boolean observed(int i) {
    return !Double.isNaN(values[i]);
  }

  /** The time of step {@code i}. */
  public Instant time(int i) {
    return cadence.at(start, i);
  }

  /** A copy of the values ({@code NaN} for missing steps). */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** Number of observed steps. */
  public int observedCount() {
    int c = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        c++;
      }
    }
    return c;
  }

  /** The first {@code n} steps (for example the training part). */
  public Series head(int n) {
    if (n < 0 || n > values.length) {
      throw new IllegalArgumentException("head " + n + " of a series of length " + values.length);
    }
    return new Series(key, start, cadence, Arrays.copyOf(values, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && key.equals(s.key) && start.equals(s.start) && cadence.equals(s.cadence) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, start, cadence, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "Series[" + key + ", " + values.length + " steps of " + cadence.label() + " from " + start + "]";
  }
}
