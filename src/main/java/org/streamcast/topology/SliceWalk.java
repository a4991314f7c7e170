package org.streamcast.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A walk over a key-value store in bounded slices, each resuming after the last key the one before examined and
 * wrapping to the first at the end: how idle keys are found without reading every key at once (the key ledger's
 * index, the resample windows). Not thread-safe; one per processor.
 *
 * @param <V> the store's values
 */
final class SliceWalk<V> {
  /** The fewest entries one slice examines. */
  static final int MIN_SLICE = 10_000;

  private String cursor;

  /**
   * How much event time passes between two slices of a sweep for keys idle {@code timeoutMs}: a 32nd of it, at most
   * an hour, at least a step.
   */
  static long every(long stepMs, long timeoutMs) {
    return Math.max(stepMs, Math.min(timeoutMs / 32, Duration.ofHours(1).toMillis()));
  }

  /** The keys among the next {@code budget} entries of {@code store} whose value (null for none) {@code idle} holds. */
  List<String> next(KeyValueStore<String, V> store, int budget, Predicate<V> idle) {
    List<String> out = new ArrayList<>();
    String last = null;
    boolean wrapped = true;
    int examined = 0;
    try (KeyValueIterator<String, V> it = cursor == null ? store.all() : store.range(cursor, null)) {
      while (it.hasNext()) {
        KeyValue<String, V> kv = it.next();
        if (kv.key.equals(cursor)) {
          continue;
        }
        if (examined == budget) {
          wrapped = false;
          break;
        }
        examined++;
        last = kv.key;
        if (idle.test(kv.value)) {
          out.add(kv.key);
        }
      }
    }
    cursor = wrapped ? null : last;
    return out;
  }
}
