package org.streamcast.retrain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seeded samples of keys that do not depend on the order keys are read in (partitions interleave differently from
 * run to run): each key has a priority, a 64-bit hash of the seed and its UTF-8 bytes, and a sample of {@code k} keys
 * is the {@code k} of lowest priority (bottom-k sampling, a uniform sample without replacement). The same keys and
 * seed give the same sample.
 *
 * <p>{@link #stratified} keeps the fleet's mix: keys are ranked by scale (mean absolute level) and by volatility
 * (mean absolute step change relative to the scale), each rank cut into {@value #BANDS} bands, and every one of the
 * {@code BANDS²} strata gives its share of the sample (largest remainders), its keys taken by priority.
 */
public final class KeySample {
  /** Bands per ranking: strata are scale band × volatility band. */
  static final int BANDS = 4;

  private KeySample() {}

  /** The priority of {@code key} under {@code seed}: lower is sampled first. */
  public static long priority(long seed, String key) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h ^ mix(seed));
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Orders keys by priority, ties (never in practice) by name. */
  static Comparator<String> byPriority(long seed) {
    return Comparator.<String>comparingLong(k -> priority(seed, k)).thenComparing(Comparator.naturalOrder());
  }

  /**
   * A sample of {@code k} keys of {@code keys} stratified by scale and volatility ({@code stats} per key:
   * {@code [scale, volatility]}); all keys when there are at most {@code k}. Sorted by name.
   */
  public static List<String> stratified(Map<String, double[]> stats, int k, long seed) {
    List<String> all = new ArrayList<>(new TreeMap<>(stats).keySet());
    if (all.size() <= k) {
      return all;
    }
    int n = all.size();
    int[] scaleBand = bands(all, stats, 0);
    int[] volBand = bands(all, stats, 1);
    List<List<String>> strata = new ArrayList<>();
    for (int s = 0; s < BANDS * BANDS; s++) {
      strata.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      strata.get(scaleBand[i] * BANDS + volBand[i]).add(all.get(i));
    }
    // each stratum's share of k, rounded down, then the largest remainders (ties to the lower stratum)
    int[] take = new int[strata.size()];
    double[] remainder = new double[strata.size()];
    int given = 0;
    for (int s = 0; s < strata.size(); s++) {
      double exact = (double) k * strata.get(s).size() / n;
      take[s] = (int) Math.floor(exact);
      remainder[s] = exact - take[s];
      given += take[s];
    }
    while (given < k) {
      int best = -1;
      for (int s = 0; s < strata.size(); s++) {
        if (take[s] < strata.get(s).size() && (best < 0 || remainder[s] > remainder[best])) {
          best = s;
        }
      }
      take[best]++;
      remainder[best] = -1;
      given++;
    }
    List<String> out = new ArrayList<>();
    Comparator<String> order = byPriority(seed);
    for (int s = 0; s < strata.size(); s++) {
      List<String> keys = strata.get(s);
      keys.sort(order);
      out.addAll(keys.subList(0, take[s]));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Band 0..BANDS−1 of each key by its rank on {@code stats[.][column]} (NaN ranks last). */
  private static int[] bands(List<String> keys, Map<String, double[]> stats, int column) {
    Integer[] order = new Integer[keys.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> {
      double v = stats.get(keys.get(i))[column];
      return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }).thenComparing(i -> keys.get(i)));
    int[] band = new int[keys.size()];
    for (int r = 0; r < order.length; r++) {
      band[order[r]] = (int) ((long) r * BANDS / order.length);
    }
    return band;
  }

  /** {@code [scale, volatility]} of a grid (NaN in gaps): mean |level| and mean |change| over that scale. */
  public static double[] stats(double[] grid) {
    double level = 0;
    int n = 0;
    double change = 0;
    int m = 0;
    double prev = Double.NaN;
    for (double v : grid) {
      if (Double.isNaN(v)) {
        prev = Double.NaN;
        continue;
      }
      level += Math.abs(v);
      n++;
      if (!Double.isNaN(prev)) {
        change += Math.abs(v - prev);
        m++;
      }
      prev = v;
    }
    double scale = n == 0 ? Double.NaN : level / n;
    double vol = m == 0 || !(scale > 0) ? Double.NaN : change / m / scale;
    return new double[] {scale, vol};
  }
}
