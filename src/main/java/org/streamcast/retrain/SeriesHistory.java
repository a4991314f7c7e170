package org.streamcast.retrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.streamcast.domain.Step;
import org.streamcast.resample.StepGrid;

/**
 * The resampled history of a pipeline's keys, as read from its series topic, held compactly: per key one
 * {@code float} per step on the one resampler's epoch-aligned steps ({@link StepGrid}, as the stream's windows) from
 * its first step (NaN in gaps), never one object per step, and as many again per covariate when the pipeline has
 * covariates ({@link #covariates}). A step read twice (an at-least-once writer may leave one) counts once, the first read.
 *
 * <p>A large fleet is held as a sample ({@link KeySample}): {@link #fleetKeys()} says how many keys the topic had,
 * {@link #keys()} which ones are held.
 */
public final class SeriesHistory {
  /** Bytes a held key costs besides its values (key string, arrays' headers, map entry), for the memory budget. */
  static final int KEY_OVERHEAD_BYTES = 200;

  private final String source;
  private final long stepMs;
  private final StepGrid grid;
  private final int covariateCount;
  private final Map<String, KeyGrid> keys;
  private final long fleetKeys;

  private SeriesHistory(String source, long stepMs, int covariateCount, Map<String, KeyGrid> keys, long fleetKeys) {
    this.source = source;
    this.stepMs = stepMs;
    this.grid = new StepGrid.Fixed(stepMs);
    this.covariateCount = covariateCount;
    this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    this.fleetKeys = Math.max(fleetKeys, keys.size());
  }

  /** One key's values on the one resampler's epoch-aligned steps, from its first held step; grows by doubling. */
  static final class KeyGrid {
    /** Step index ({@link StepGrid#index}) of {@code values[0]}. */
    private long firstIndex;
    private float[] values;
    /** {@code covariates[f]}, on the same grid as {@link #values}. */
    private final float[][] covariates;
    private int length;
    private int steps;

    private final int maxLength;

    KeyGrid(long firstIndex, int maxLength, int covariateCount) {
      this.firstIndex = firstIndex;
      this.maxLength = maxLength;
      this.values = nans(16);
      this.covariates = new float[covariateCount][];
      for (int f = 0; f < covariateCount; f++) {
        covariates[f] = nans(16);
      }
    }

    private static float[] nans(int n) {
      float[] a = new float[n];
      Arrays.fill(a, Float.NaN);
      return a;
    }

    /** Adds a step unless its slot already holds one; returns the change of held bytes. */
    long add(long index, double value, double[] cov) {
      long before = bytes();
      long slot = index - firstIndex;
      if (slot < 0) {
        int shift = (int) -slot;
        values = shifted(values, shift);
        for (int f = 0; f < covariates.length; f++) {
          covariates[f] = shifted(covariates[f], shift);
        }
        length += shift;
        firstIndex -= shift;
        slot = 0;
      }
      int i = (int) slot;
      if (i >= values.length) {
        int cap = values.length;
        while (cap <= i) {
          cap *= 2;
        }
        cap = Math.max(i + 1, Math.min(cap, maxLength)); // the span bounds a key's length: no doubling past it
        values = grown(values, cap);
        for (int f = 0; f < covariates.length; f++) {
          covariates[f] = grown(covariates[f], cap);
        }
      }
      if (Float.isNaN(values[i]) && !Double.isNaN(value)) {
        values[i] = (float) value;
        for (int f = 0; f < covariates.length && f < cov.length; f++) {
          covariates[f][i] = (float) cov[f];
        }
        steps++;
      }
      length = Math.max(length, i + 1);
      return bytes() - before;
    }

    private float[] shifted(float[] a, int shift) {
      float[] out = nans(Math.max(a.length, length + shift));
      System.arraycopy(a, 0, out, shift, length);
      return out;
    }

    private static float[] grown(float[] a, int cap) {
      int old = a.length;
      float[] out = Arrays.copyOf(a, cap);
      Arrays.fill(out, old, cap, Float.NaN);
      return out;
    }

    long bytes() {
      return 4L * values.length * (1 + covariates.length) + KEY_OVERHEAD_BYTES;
    }
  }

  /** Collects steps into a history (the reader decides which keys it holds). */
  static final class Builder {
    private final String source;
    private final long stepMs;
    private final StepGrid grid;
    private final int maxLength;
    private final int covariateCount;
    private final Map<String, KeyGrid> keys = new java.util.HashMap<>();
    private long bytes;

    /** A builder whose keys hold at most {@code maxLength} steps each (longer only if steps outside it arrive). */
    Builder(String source, Duration step, int maxLength) {
      this(source, step, maxLength, 0);
    }

    /** A builder of keys with {@code covariateCount} covariates each. */
    Builder(String source, Duration step, int maxLength, int covariateCount) {
      this.source = source;
      this.covariateCount = covariateCount;
      this.stepMs = step.toMillis();
      this.maxLength = maxLength;
      if (stepMs < 1) {
        throw new IllegalArgumentException("step " + step);
      }
      this.grid = new StepGrid.Fixed(stepMs);
    }

    void add(String key, long startMs, double value) {
      add(key, startMs, value, new double[0]);
    }

    /** Adds a step with its covariates ({@code NaN}, or fewer than the builder's: missing). */
    void add(String key, long startMs, double value, double[] covariates) {
      KeyGrid g = keys.get(key);
      long index = grid.index(startMs);
      if (g == null) {
        g = new KeyGrid(index, maxLength, covariateCount);
        keys.put(key, g);
        bytes += g.bytes();
      }
      bytes += g.add(index, value, covariates);
    }

    boolean holds(String key) {
      return keys.containsKey(key);
    }

    void remove(String key) {
      KeyGrid g = keys.remove(key);
      if (g != null) {
        bytes -= g.bytes();
      }
    }

    int keyCount() {
      return keys.size();
    }

    /** Bytes held. */
    long bytes() {
      return bytes;
    }

    SeriesHistory build(long fleetKeys) {
      keys.values().removeIf(g -> g.steps == 0);
      return new SeriesHistory(source, stepMs, covariateCount, keys, fleetKeys);
    }
  }

  /** Groups {@code steps} by key on the grid of {@code step}. */
  public static SeriesHistory of(String source, List<Step> steps, Duration step) {
    int covariates = steps.stream().mapToInt(s -> s.covariates().length).max().orElse(0);
    Builder b = new Builder(source, step, Integer.MAX_VALUE, covariates);
    for (Step s : steps) {
      b.add(s.key(), s.start().toEpochMilli(), s.value(), s.covariates());
    }
    return b.build(0);
  }

  /** Where it was read (for provenance). */
  public String source() {
    return source;
  }

  /** The step length of the grid. */
  public Duration step() {
    return Duration.ofMillis(stepMs);
  }

  /** The held keys, sorted. */
  public List<String> keys() {
    return new ArrayList<>(keys.keySet());
  }

  /** Keys the topic had within the span, held or not. */
  public long fleetKeys() {
    return fleetKeys;
  }

  /** Number of steps over all held keys. */
  public long size() {
    return keys.values().stream().mapToLong(g -> g.steps).sum();
  }

  /** Bytes the held values take. */
  public long bytes() {
    return keys.values().stream().mapToLong(KeyGrid::bytes).sum();
  }

  /** Earliest step start, or empty when there is no step. */
  public Optional<Instant> from() {
    return keys.keySet().stream().map(this::start).min(Comparator.naturalOrder());
  }

  /** Latest step start, or empty when there is no step. */
  public Optional<Instant> to() {
    return keys.keySet().stream().map(k -> start(k).plusMillis(stepMs * (grid(k).length - 1L)))
        .max(Comparator.naturalOrder());
  }

  /** Start of {@code key}'s first step. */
  public Instant start(String key) {
    KeyGrid g = keys.get(key);
    int first = 0;
    while (Float.isNaN(g.values[first])) {
      first++;
    }
    return Instant.ofEpochMilli(grid.start(g.firstIndex + first));
  }

  /** Key {@code key}'s steps on the grid: one value per step from its first to its last, NaN in gaps. */
  public double[] grid(String key) {
    KeyGrid g = keys.get(key);
    return span(g, g.values);
  }

  /** Covariates per step (0 for a target-only history). */
  public int covariateCount() {
    return covariateCount;
  }

  /** Key {@code key}'s covariates on the grid of {@link #grid}: {@code [f][i]}, NaN where there is none. */
  public double[][] covariates(String key) {
    KeyGrid g = keys.get(key);
    double[][] out = new double[covariateCount][];
    for (int f = 0; f < covariateCount; f++) {
      out[f] = span(g, g.covariates[f]);
    }
    return out;
  }

  /** {@code a} from the key's first to its last step. */
  private static double[] span(KeyGrid g, float[] a) {
    int first = 0;
    int last = g.length - 1;
    while (Float.isNaN(g.values[first])) {
      first++;
    }
    while (Float.isNaN(g.values[last])) {
      last--;
    }
    double[] out = new double[last - first + 1];
    for (int i = first; i <= last; i++) {
      out[i - first] = a[i];
    }
    return out;
  }

  /** Key {@code key}'s steps, in time order (for tests and small histories). */
  public List<Step> steps(String key) {
    double[] v = grid(key);
    Instant t0 = start(key);
    List<Step> out = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isNaN(v[i])) {
        out.add(new Step(key, t0.plusMillis(i * stepMs), v[i], 1));
      }
    }
    return out;
  }
}
