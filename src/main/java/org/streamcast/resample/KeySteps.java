package org.streamcast.resample;

import java.util.Objects;

/**
 * One key's resampled steps, oldest first, as {@link Resampler} gives them.
 *
 * @param key        series key
 * @param starts     step starts (epoch ms), ascending, on the resampler's {@link StepGrid}
 * @param values     the target's aggregate per step; {@code NaN} in a gap step (no event)
 * @param covariates {@code covariates[f][i]}: the aggregate of covariate {@code f} at step {@code i} ({@code NaN}:
 *                   none: a gap, or no row of the step had that field)
 * @param counts     events aggregated per step; {@code 0} marks a gap step (the serving step imputes it)
 */
public record KeySteps(String key, long[] starts, double[] values, double[][] covariates, int[] counts) {
  public KeySteps {
    Objects.requireNonNull(key, "key");
  }

  /** Number of steps, gaps included. */
  public int length() {
    return starts.length;
  }

  /** Whether step {@code i} had no event. */
  public boolean gap(int i) {
    return counts[i] == 0;
  }
}
