package org.streamcast.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which source serves each output of a model, per key: the learned output of the network ({@value #LEARNED}) or its
 * baseline, the simple forecast the head started from (e.g. {@code naive}, {@code snaive(336)}), computed from the
 * head inputs as the sum of {@link #baselineInputs()} (each input with weight 1, in target space).
 *
 * <p>Training keeps the learned output for a key and horizon only where that key's validation errors show it beats
 * the baseline; a key without such evidence is served the baseline. Keys not listed in {@link #keys()} (keys unseen in
 * training) use the pooled choice {@link #pooled()}.
 *
 * <p>A listed key may also have its own baseline ({@link #own()}, {@link KeyBaseline}): at the horizons it serves, it
 * replaces the pooled baseline for that key (and the key is not served the learned output there).
 *
 * @param baselineNames  per horizon ({@code h − 1}), the baseline's name
 * @param baselineInputs per horizon, the head inputs (indices among the head inputs) whose sum is the baseline
 * @param pooled         per horizon, whether keys not listed are served the learned output
 * @param keys           per listed key, per horizon, whether it is served the learned output
 * @param own            per key that has one, its own baseline (smoothing or autoregression)
 */
public record OutputSources(List<String> baselineNames, List<int[]> baselineInputs, boolean[] pooled,
    Map<String, boolean[]> keys, Map<String, KeyBaseline> own) {

  /** The name of the learned output as a source. */
  public static final String LEARNED = "learned";

  public OutputSources {
    baselineNames = List.copyOf(baselineNames);
    List<int[]> inputs = new ArrayList<>();
    for (int[] i : baselineInputs) {
      inputs.add(i.clone());
    }
    baselineInputs = Collections.unmodifiableList(inputs);
    pooled = pooled.clone();
    int horizon = pooled.length;
    if (baselineNames.size() != horizon || baselineInputs.size() != horizon) {
      throw new IllegalArgumentException("output sources: " + baselineNames.size() + " baseline names and "
          + baselineInputs.size() + " input lists for horizon " + horizon);
    }
    Map<String, boolean[]> copy = new TreeMap<>();
    for (Map.Entry<String, boolean[]> e : keys.entrySet()) {
      if (e.getValue().length != horizon) {
        throw new IllegalArgumentException("output sources of key '" + e.getKey() + "': " + e.getValue().length
            + " horizons, expected " + horizon);
      }
      copy.put(Objects.requireNonNull(e.getKey(), "key"), e.getValue().clone());
    }
    keys = Collections.unmodifiableMap(copy);
    Map<String, KeyBaseline> checked = new TreeMap<>();
    for (Map.Entry<String, KeyBaseline> e : own.entrySet()) {
      KeyBaseline sm = Objects.requireNonNull(e.getValue(), "own baseline");
      boolean[] learned = copy.get(Objects.requireNonNull(e.getKey(), "key"));
      if (learned == null || sm.horizons().length != horizon) {
        throw new IllegalArgumentException("own baseline of key '" + e.getKey() + "': not a listed key, or "
            + sm.horizons().length + " horizons where " + horizon + " are expected");
      }
      for (int h = 1; h <= horizon; h++) {
        if (sm.serves(h) && learned[h - 1]) {
          throw new IllegalArgumentException("own baseline of key '" + e.getKey() + "' serves horizon " + h
              + " where the learned output serves");
        }
      }
      checked.put(e.getKey(), sm);
    }
    own = Collections.unmodifiableMap(checked);
  }

  /** Sources without per-key own baselines. */
  public OutputSources(List<String> baselineNames, List<int[]> baselineInputs, boolean[] pooled,
      Map<String, boolean[]> keys) {
    this(baselineNames, baselineInputs, pooled, keys, Map.of());
  }

  /**
   * Every output learned and no baseline known: how artifacts written before per-key sources existed are served.
   */
  public static OutputSources allLearned(int horizon) {
    List<String> names = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    for (int h = 0; h < horizon; h++) {
      names.add(LEARNED);
      inputs.add(new int[0]);
    }
    boolean[] all = new boolean[horizon];
    Arrays.fill(all, true);
    return new OutputSources(names, inputs, all, Map.of());
  }

  /** Steps forecast. */
  public int horizon() {
    return pooled.length;
  }

  /** Whether a baseline is known (artifacts before format version 4 have none and serve everything learned). */
  public boolean hasBaseline() {
    for (int h = 0; h < horizon(); h++) {
      if (!LEARNED.equals(baselineNames.get(h))) {
        return true;
      }
    }
    return false;
  }

  /** Per horizon, whether {@code key} is served the learned output (a copy). */
  public boolean[] learned(String key) {
    boolean[] k = key == null ? null : keys.get(key);
    return (k == null ? pooled : k).clone();
  }

  /** {@link #learned} without the copy, for the serving step (must not be modified). */
  boolean[] mask(String key) {
    boolean[] k = key == null ? null : keys.get(key);
    return k == null ? pooled : k;
  }

  /** Whether every horizon of {@code key} is served the learned output (no baseline computation needed). */
  boolean allLearned(String key) {
    boolean[] k = key == null ? null : keys.get(key);
    for (boolean b : k == null ? pooled : k) {
      if (!b) {
        return false;
      }
    }
    return true;
  }

  /** Per horizon, the source that serves {@code key}: {@value #LEARNED} or the baseline's name. */
  public List<String> sources(String key) {
    boolean[] learned = learned(key);
    List<String> names = baselineNames(key);
    List<String> out = new ArrayList<>(learned.length);
    for (int h = 0; h < learned.length; h++) {
      out.add(learned[h] ? LEARNED : names.get(h));
    }
    return out;
  }

  /** Per horizon, the name of {@code key}'s baseline: its own where that serves, else the pooled baseline. */
  public List<String> baselineNames(String key) {
    KeyBaseline sm = own(key);
    if (sm == null) {
      return baselineNames;
    }
    List<String> out = new ArrayList<>(baselineNames);
    for (int h = 1; h <= out.size(); h++) {
      if (sm.serves(h)) {
        out.set(h - 1, sm.name());
      }
    }
    return out;
  }

  /** {@code key}'s own baseline, or null. */
  public KeyBaseline own(String key) {
    return key == null ? null : own.get(key);
  }

  /** These sources with a new per-key choice (own baselines of keys no longer listed are dropped). */
  public OutputSources withKeys(Map<String, boolean[]> perKey) {
    Map<String, KeyBaseline> kept = new TreeMap<>(own);
    kept.keySet().retainAll(perKey.keySet());
    return new OutputSources(baselineNames, baselineInputs, pooled, perKey, kept);
  }

  /** These sources with a new pooled choice. */
  public OutputSources withPooled(boolean[] learnedPooled) {
    return new OutputSources(baselineNames, baselineInputs, learnedPooled, keys, own);
  }

  /** These sources with per-key own baselines. */
  public OutputSources withOwn(Map<String, ? extends KeyBaseline> perKey) {
    return new OutputSources(baselineNames, baselineInputs, pooled, keys, Map.copyOf(perKey));
  }

  /** Checks the baseline input indices against a model's head inputs. */
  void check(int headInputs, int horizon) {
    if (horizon() != horizon) {
      throw new IllegalArgumentException("output sources cover " + horizon() + " horizons, the network " + horizon);
    }
    for (int[] in : baselineInputs) {
      for (int i : in) {
        if (i < 0 || i >= headInputs) {
          throw new IllegalArgumentException("baseline head input " + i + " is outside 0.." + (headInputs - 1));
        }
      }
    }
    for (int h = 0; h < horizon; h++) {
      if (!LEARNED.equals(baselineNames.get(h))) {
        continue;
      }
      boolean everyKey = pooled[h];
      for (boolean[] k : keys.values()) {
        everyKey &= k[h];
      }
      if (!everyKey) {
        throw new IllegalArgumentException("horizon " + (h + 1) + " has no baseline but is not always learned");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OutputSources other) || !baselineNames.equals(other.baselineNames)
        || !Arrays.equals(pooled, other.pooled) || baselineInputs.size() != other.baselineInputs.size()
        || !keys.keySet().equals(other.keys.keySet()) || !own.equals(other.own)) {
      return false;
    }
    for (int h = 0; h < baselineInputs.size(); h++) {
      if (!Arrays.equals(baselineInputs.get(h), other.baselineInputs.get(h))) {
        return false;
      }
    }
    for (Map.Entry<String, boolean[]> e : keys.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.keys.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(baselineNames, Arrays.hashCode(pooled), keys.keySet());
  }

  @Override
  public boolean[] pooled() {
    return pooled.clone();
  }
}
