package org.streamcast.retrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.streamcast.domain.Step;

/**
 * The resampled history of a pipeline's keys, as read from its series topic: each key's steps in time order, one per
 * start time (a step read twice, which an at-least-once writer may leave, counts once).
 *
 * @param source  where it was read (for provenance)
 * @param steps   each key's steps, sorted by start, distinct starts
 */
public record SeriesHistory(String source, Map<String, List<Step>> steps) {
  public SeriesHistory {
    Map<String, List<Step>> sorted = new TreeMap<>();
    steps.forEach((key, list) -> {
      List<Step> copy = new ArrayList<>(list);
      copy.sort(Comparator.comparing(Step::start));
      List<Step> distinct = new ArrayList<>(copy.size());
      for (Step s : copy) {
        if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).start().equals(s.start())) {
          distinct.add(s);
        }
      }
      sorted.put(key, List.copyOf(distinct));
    });
    steps = java.util.Collections.unmodifiableMap(sorted);
  }

  /** Groups {@code steps} by key. */
  public static SeriesHistory of(String source, List<Step> steps) {
    Map<String, List<Step>> byKey = new TreeMap<>();
    for (Step s : steps) {
      byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
    }
    return new SeriesHistory(source, byKey);
  }

  /** Number of steps over all keys. */
  public long size() {
    return steps.values().stream().mapToLong(List::size).sum();
  }

  /** Earliest step start, or empty when there is no step. */
  public java.util.Optional<Instant> from() {
    return steps.values().stream().map(l -> l.get(0).start()).min(Comparator.naturalOrder());
  }

  /** Latest step start, or empty when there is no step. */
  public java.util.Optional<Instant> to() {
    return steps.values().stream().map(l -> l.get(l.size() - 1).start()).max(Comparator.naturalOrder());
  }

  /** Key {@code key}'s steps on the grid of {@code step}: one value per step from its first to its last, NaN in gaps. */
  public double[] grid(String key, Duration step) {
    List<Step> list = steps.get(key);
    long first = list.get(0).start().toEpochMilli();
    long last = list.get(list.size() - 1).start().toEpochMilli();
    double[] values = new double[(int) ((last - first) / step.toMillis()) + 1];
    java.util.Arrays.fill(values, Double.NaN);
    for (Step s : list) {
      values[(int) ((s.start().toEpochMilli() - first) / step.toMillis())] = s.value();
    }
    return values;
  }
}
