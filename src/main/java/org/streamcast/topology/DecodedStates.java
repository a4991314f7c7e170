package org.streamcast.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.streamcast.serving.ServingState;

/**
 * The key-state store of one forecast task, with the decoded states of the keys it stepped last kept in memory:
 * Kafka Streams' record cache holds bytes, so without this every step decoded the key's whole state again (an eighth
 * of the stream thread in a bench profile). Every write still goes to the store (and so to its changelog and to the
 * queries), and this is only a faster way to read what the store holds:
 *
 * <ul>
 *   <li>a key's decoded state is taken out while it is stepped ({@link #take}) and put back only once the store holds
 *       it ({@link #put}): a step that fails half-way leaves no decoded copy, and the next step reads the store;</li>
 *   <li>a deleted key loses its copy ({@link #delete});</li>
 *   <li>the processor drops every copy when the task (re)initializes or closes ({@link #clear}): after an aborted
 *       transaction the store is restored from its changelog and the task initialized again.</li>
 * </ul>
 *
 * At most {@link #capacity()} keys are kept (the least recently stepped go first). Owned by the task's thread.
 */
final class DecodedStates {
  /** The most heap one task's decoded states may take, estimated from the largest state the spec allows. */
  static final long MAX_BYTES = 64L << 20;

  private final KeyValueStore<String, ServingState> store;
  private final int capacity;
  private final Map<String, ServingState> decoded;

  /**
   * @param store    the key-state store
   * @param capacity the most keys kept decoded (0: none)
   */
  DecodedStates(KeyValueStore<String, ServingState> store, int capacity) {
    this.store = store;
    this.capacity = capacity;
    this.decoded = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ServingState> eldest) {
        return size() > DecodedStates.this.capacity;
      }
    };
  }

  /**
   * Keys kept decoded for a state of at most {@code maxStateBytes} encoded: within {@link #MAX_BYTES} and a 32nd of
   * the heap, counting a decoded state as twice its largest encoding (its history is held as doubles).
   */
  static int capacity(long maxStateBytes, long maxHeapBytes) {
    long budget = Math.min(MAX_BYTES, maxHeapBytes / 32);
    return (int) Math.min(Integer.MAX_VALUE - 8, budget / Math.max(1, 2 * maxStateBytes));
  }

  /** The most keys kept decoded. */
  int capacity() {
    return capacity;
  }

  /** Keys kept decoded now. */
  int size() {
    return decoded.size();
  }

  /** The key's state for a step, removed from memory until it is {@link #put} back; null when none is stored. */
  ServingState take(String key) {
    ServingState s = decoded.remove(key);
    return s != null ? s : store.get(key);
  }

  /** The key's state as stored, decoded from the store's bytes (never a copy in memory); null when none. */
  ServingState stored(String key) {
    decoded.remove(key);
    return store.get(key);
  }

  /** The key's state for a look that does not change it; null when none is stored. */
  ServingState peek(String key) {
    ServingState s = decoded.get(key);
    return s != null ? s : store.get(key);
  }

  /** Writes the key's state to the store, then keeps it decoded. */
  void put(String key, ServingState state) {
    store.put(key, state);
    if (capacity > 0) {
      decoded.put(key, state);
    }
  }

  /** Deletes the key's state from the store and from memory. */
  void delete(String key) {
    decoded.remove(key);
    store.delete(key);
  }

  /** The store itself, for a scan. */
  KeyValueStore<String, ServingState> store() {
    return store;
  }

  /** Forgets every decoded state. */
  void clear() {
    decoded.clear();
  }
}
