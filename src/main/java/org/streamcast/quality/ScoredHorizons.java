package org.streamcast.quality;

import java.util.Arrays;

/**
 * The horizons that are scored live, out of a forecast's h = 1..H: every horizon when H ≤ {@value #MAX_SCORED};
 * otherwise {@value #MAX_SCORED} of them, dense at short horizons and geometrically spaced up to H (always including
 * 1 and H). Each scored horizon gets its own residual windows, error gauges and intervals; a horizon in between takes
 * its interval half-width by linear interpolation between the two scored horizons around it. This bounds a key's
 * quality state and the number of {@code horizon} tag values whatever the spec's horizon. Immutable.
 */
public final class ScoredHorizons {
  /** The most horizons scored per pipeline. */
  public static final int MAX_SCORED = 48;

  private final int horizon;
  private final int[] scored;
  private final int[] below;
  private final double[] weight;

  private ScoredHorizons(int horizon, int[] scored) {
    this.horizon = horizon;
    this.scored = scored;
    this.below = new int[horizon];
    this.weight = new double[horizon];
    int j = 0;
    for (int h = 1; h <= horizon; h++) {
      while (j + 1 < scored.length && scored[j + 1] <= h) {
        j++;
      }
      below[h - 1] = j;
      weight[h - 1] = scored[j] == h ? 0 : (h - scored[j]) / (double) (scored[j + 1] - scored[j]);
    }
  }

  /** The scored horizons of a forecast of {@code horizon} steps. */
  public static ScoredHorizons of(int horizon) {
    return new ScoredHorizons(horizon, select(horizon, MAX_SCORED));
  }

  /** Explicit scored horizons (as persisted): ascending, from 1 to {@code horizon}. */
  static ScoredHorizons of(int horizon, int[] scored) {
    if (scored.length == 0 || scored[0] != 1 || scored[scored.length - 1] != horizon) {
      throw new IllegalArgumentException("scored horizons must run from 1 to " + horizon + ": "
          + Arrays.toString(scored));
    }
    for (int j = 1; j < scored.length; j++) {
      if (scored[j] <= scored[j - 1]) {
        throw new IllegalArgumentException("scored horizons must ascend: " + Arrays.toString(scored));
      }
    }
    return new ScoredHorizons(horizon, scored.clone());
  }

  /** At most {@code max} horizons out of 1..{@code horizon}: all of them, or 1..H spaced geometrically. */
  static int[] select(int horizon, int max) {
    if (horizon < 1 || max < 2) {
      throw new IllegalArgumentException("horizon must be >= 1 and max >= 2: " + horizon + ", " + max);
    }
    if (horizon <= max) {
      int[] all = new int[horizon];
      Arrays.setAll(all, i -> i + 1);
      return all;
    }
    int[] out = new int[max];
    int prev = 0;
    for (int i = 0; i < max; i++) {
      int target = (int) Math.round(Math.pow(horizon, i / (double) (max - 1)));
      int h = Math.min(Math.max(target, prev + 1), horizon - (max - 1 - i));
      out[i] = h;
      prev = h;
    }
    return out;
  }

  /** H, the forecast's horizon. */
  public int horizon() {
    return horizon;
  }

  /** How many horizons are scored. */
  public int count() {
    return scored.length;
  }

  /** The {@code j}-th scored horizon (0-based, ascending). */
  public int get(int j) {
    return scored[j];
  }

  /** The sum of the scored horizons: a key keeps one pending forecast per scored horizon and step ahead. */
  int sum() {
    int s = 0;
    for (int h : scored) {
      s += h;
    }
    return s;
  }

  /** The index of the scored horizon at or just below {@code h} (1..H). */
  public int below(int h) {
    return below[h - 1];
  }

  /**
   * The weight of the scored horizon just above {@code h} when interpolating (0 when {@code h} is scored itself):
   * {@code value(h) = (1 − w)·value[below(h)] + w·value[below(h) + 1]}.
   */
  public double weight(int h) {
    return weight[h - 1];
  }

  /** Interpolates per-scored-horizon values (length {@link #count()}) at {@code h}; NaN when a neighbour is NaN. */
  public double interpolate(double[] perScored, int h) {
    int j = below[h - 1];
    double w = weight[h - 1];
    return w == 0 ? perScored[j] : (1 - w) * perScored[j] + w * perScored[j + 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoredHorizons s && s.horizon == horizon && Arrays.equals(s.scored, scored);
  }

  @Override
  public int hashCode() {
    return 31 * horizon + Arrays.hashCode(scored);
  }

  @Override
  public String toString() {
    return "ScoredHorizons[H=" + horizon + ", " + Arrays.toString(scored) + "]";
  }
}
