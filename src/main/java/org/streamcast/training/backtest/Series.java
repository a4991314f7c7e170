package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
 * @param covariateNames the covariates' names (empty: a target-only series)
 * @param covariates     {@code covariates[f][i]}: covariate {@code f} at step {@code i} ({@code NaN}: none)
 */
public record Series(String key, Instant start, Cadence cadence, double[] values, List<String> covariateNames,
    double[][] covariates) {

  public Series {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(cadence, "cadence");
    values = values.clone();
    covariateNames = List.copyOf(covariateNames);
    if (covariates.length != covariateNames.size()) {
      throw new IllegalArgumentException(key + ": " + covariates.length + " covariate columns for "
          + covariateNames.size() + " names");
    }
    double[][] copy = new double[covariates.length][];
    for (int f = 0; f < copy.length; f++) {
      if (covariates[f].length != values.length) {
        throw new IllegalArgumentException(key + ": covariate " + covariateNames.get(f) + " has "
            + covariates[f].length + " steps, the target " + values.length);
      }
      copy[f] = covariates[f].clone();
    }
    covariates = copy;
    for (double v : values) {
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(key + ": values must be finite or NaN (missing)");
      }
    }
  }

  /** A target-only series. */
  public Series(String key, Instant start, Cadence cadence, double[] values) {
    this(key, start, cadence, values, List.of(), new double[0][]);
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

  /** The covariates of step {@code i}, in {@link #covariateNames()} order ({@code NaN}: none). */
  public double[] covariatesAt(int i) {
    double[] row = new double[covariates.length];
    for (int f = 0; f < row.length; f++) {
      row[f] = covariates[f][i];
    }
    return row;
  }

  /** A copy of the covariates. */
  @Override
  public double[][] covariates() {
    double[][] copy = new double[covariates.length][];
    for (int f = 0; f < copy.length; f++) {
      copy[f] = covariates[f].clone();
    }
    return copy;
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
    double[][] cov = new double[covariates.length][];
    for (int f = 0; f < cov.length; f++) {
      cov[f] = Arrays.copyOf(covariates[f], n);
    }
    return new Series(key, start, cadence, Arrays.copyOf(values, n), covariateNames, cov);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && key.equals(s.key) && start.equals(s.start) && cadence.equals(s.cadence) && Arrays.equals(values, s.values)
        && covariateNames.equals(s.covariateNames) && Arrays.deepEquals(covariates, s.covariates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, start, cadence, Arrays.hashCode(values), covariateNames);
  }

  @Override
  public String toString() {
    return "Series[" + key + ", " + values.length + " steps of " + cadence.label() + " from " + start + "]";
  }
}
