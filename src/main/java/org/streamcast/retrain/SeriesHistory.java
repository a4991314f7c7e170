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

/**
 * The resampled history of a pipeline's keys, as read from its series topic, held compactly: per key one
 * {@code float} per step on the grid of the step length from its first step (NaN in gaps), never one object per step.
 * A step read twice (an at-least-once writer may leave one) counts once, the first read.
 *
 * <p>A large fleet is held as a sample ({@link KeySample}): {@link #fleetKeys()} says how many keys the topic had,
 * {@link #keys()} which ones are held.
 */
public final class SeriesHistory {
  /** Bytes a held key costs besides its values (key string, arrays' headers, map entry), for the memory budget. */
  static final int KEY_OVERHEAD_BYTES = 200;

  private final String source;
  private final long stepMs;
  private final Map<String, KeyGrid> keys;
  private final long fleetKeys;

  private SeriesHistory(String source, long stepMs, Map<String, KeyGrid> keys, long fleetKeys) {
    this.source = source;
    this.stepMs = stepMs;
    this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    this.fleetKeys = Math.max(fleetKeys, keys.size());
  }

  /** One key's values on its grid; grows by doubling. */
  static final class KeyGrid {
    private long firstMs;
    private float[] values;
    private int length;
    private int steps;

    private final int maxLength;

    KeyGrid(long firstMs, int maxLength) {
      this.firstMs = firstMs;
      this.maxLength = maxLength;
      this.values = new float[16];
      Arrays.fill(values, Float.NaN);
    }

    /** Adds a step unless its slot already holds one; returns the change of held bytes. */
    long add(long startMs, long stepMs, double value) {
      long before = 4L * values.length;
      long slot = Math.floorDiv(startMs - firstMs, stepMs);
      if (slot < 0) {
        int shift = (int) -slot;
        float[] grown = new float[Math.max(values.length, length + shift)];
        Arrays.fill(grown, Float.NaN);
        System.arraycopy(values, 0, grown, shift, length);
        values = grown;
        length += shift;
        firstMs -= shift * stepMs;
        slot = 0;
      }
      int i = (int) slot;
      if (i >= values.length) {
        int cap = values.length;
        while (cap <= i) {
          cap *= 2;
        }
        cap = Math.max(i + 1, Math.min(cap, maxLength)); // the span bounds a key's length: no doubling past it
        int old = values.length;
        values = Arrays.copyOf(values, cap);
        Arrays.fill(values, old, cap, Float.NaN);
      }
      if (Float.isNaN(values[i]) && !Double.isNaN(value)) {
        values[i] = (float) value;
        steps++;
      }
      length = Math.max(length, i + 1);
      return 4L * values.length - before;
    }

    long bytes() {
      return 4L * values.length + KEY_OVERHEAD_BYTES;
    }
  }

  /** Collects steps into a history (the reader decides which keys it holds). */
  static final class Builder {
    private final String source;
    private final long stepMs;
    private final int maxLength;
    private final Map<String, KeyGrid> keys = new java.util.HashMap<>();
    private long bytes;

    /** A builder whose keys hold at most {@code maxLength} steps each (longer only if steps outside it arrive). */
    Builder(String source, Duration step, int maxLength) {
      this.source = source;
      this.stepMs = step.toMillis();
      this.maxLength = maxLength;
      if (stepMs < 1) {
        throw new IllegalArgumentException("step " + step);
      }
    }

    void add(String key, long startMs, double value) {
      KeyGrid g = keys.get(key);
      if (g == null) {
        g = new KeyGrid(startMs, maxLength);
        keys.put(key, g);
        bytes += g.bytes();
      }
      bytes += g.add(startMs, stepMs, value);
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
      return new SeriesHistory(source, stepMs, keys, fleetKeys);
    }
  }

  /** Groups {@code steps} by key on the grid of {@code step}. */
  public static SeriesHistory of(String source, List<Step> steps, Duration step) {
    Builder b = new Builder(source, step, Integer.MAX_VALUE);
    for (Step s : steps) {
      b.add(s.key(), s.start().toEpochMilli(), s.value());
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
    return Instant.ofEpochMilli(g.firstMs + first * stepMs);
  }

  /** Key {@code key}'s steps on the grid: one value per step from its first to its last, NaN in gaps. */
  public double[] grid(String key) {
    KeyGrid g = keys.get(key);
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
      out[i - first] = g.values[i];
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
