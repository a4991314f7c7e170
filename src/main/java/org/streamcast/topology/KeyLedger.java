package org.streamcast.topology;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.SpecDefaults;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.KeyState;
import org.streamcast.serving.ServingState;

/**
 * The keys of one forecast task, kept as the key-state store changes, so that neither the counts nor expiry ever
 * read every key's state:
 *
 * <ul>
 *   <li>how many keys the task holds and how many are warming: one entry in {@link PipelineTopology#KEY_COUNTS_STORE},
 *       updated with every change and restored with the task (the first start over a store written before it
 *       existed counts the keys once, and writes the entry);</li>
 *   <li>when each key last stepped, coarsely, and whether it is warm: {@link PipelineTopology#KEY_SEEN_STORE} holds
 *       the end of the time bucket of the key's last step (an upper bound of it) and the warm flag
 *       ({@link #entry}), rewritten only when a step falls into a later bucket ({@link #bucket}: a sixteenth of the
 *       idle timeout, at least a step) or the key warms up or resets, so a key is written there about 16 times per
 *       timeout, not at every step. The flag keeps the counts right when a key's stored state cannot be decoded
 *       ({@link #corrupt});</li>
 *   <li>expiry: as the task's stream time advances, a sweep walks a bounded slice of that index at a time (at least
 *       {@value #MIN_SWEEP} entries or an eighth of the keys, resuming where the last one stopped) and deletes the
 *       state of every key idle longer than {@code state.keyIdleTimeout}: its changelog gets a tombstone, the counts
 *       drop, {@link PipelineObserver#expired} counts it. A key that comes back is a new key and warms up again.</li>
 * </ul>
 *
 * <p>Stream time here is event time: the latest step start the task has stepped (steps close as the events' own
 * times advance, see {@link ResampleProcessor}), not the records' timestamps, which a producer sets as it likes; so
 * Kafka's stream-time punctuation is not used. A sweep runs when that time has moved on by {@link #sweepEvery} since
 * the last one, at the end of a batch. A task that receives no events does not advance, so its keys wait for the
 * next one.
 *
 * <p>A key therefore expires after between one timeout and one timeout plus a bucket of stream time without a step
 * (plus the time the sweep takes to reach it). Before a key is deleted its own state is read: a step the index missed
 * (it is only an upper bound when readable) keeps the key and re-indexes it.
 */
final class KeyLedger {
  /** The fewest index entries one punctuation examines. */
  static final int MIN_SWEEP = SliceWalk.MIN_SLICE;
  /** The counts' entry: the empty key, which is never a series key (dead letter {@code empty-key}). */
  static final String COUNTS_KEY = "";
  /** Buckets per idle timeout. */
  static final int BUCKETS = 16;
  private static final byte COUNTS_VERSION = 1;
  private static final int COUNTS_BYTES = 1 + 2 * Long.BYTES;
  /** A seen entry that cannot be read: the key's own state decides. */
  static final long UNKNOWN = Long.MIN_VALUE;
  private static final Logger LOG = LoggerFactory.getLogger(KeyLedger.class);

  private final String pipeline;
  private final PipelineObserver observer;
  private final long timeoutMs;
  private final long bucketMs;
  private final long sweepEveryMs;
  private final int minSweep;
  private DecodedStates states;
  private KeyValueStore<String, long[]> counts;
  private KeyValueStore<String, Long> seen;
  private long tracked;
  private long warming;
  private final SliceWalk<Long> walk = new SliceWalk<>();
  private long lastSweep = Long.MIN_VALUE;

  /**
   * @param pipeline    for log lines
   * @param observer    told the count changes and the expired keys
   * @param stepMs      the pipeline's step
   * @param idleTimeout {@code state.keyIdleTimeout}; zero: keys never expire (the index is still kept, so that
   *                    turning expiry on later needs no scan)
   */
  KeyLedger(String pipeline, PipelineObserver observer, long stepMs, Duration idleTimeout) {
    this(pipeline, observer, stepMs, idleTimeout, MIN_SWEEP);
  }

  /** {@code minSweep}: the fewest index entries one punctuation examines (tests use small slices). */
  KeyLedger(String pipeline, PipelineObserver observer, long stepMs, Duration idleTimeout, int minSweep) {
    this.minSweep = minSweep;
    this.pipeline = pipeline;
    this.observer = observer;
    this.timeoutMs = idleTimeout.toMillis();
    long reference = timeoutMs > 0 ? timeoutMs : SpecDefaults.KEY_IDLE_TIMEOUT.toMillis();
    this.bucketMs = Math.max(stepMs, reference / BUCKETS);
    this.sweepEveryMs = SliceWalk.every(stepMs, timeoutMs);
  }

  /**
   * Opens the stores and restores the counts (counting the keys once when the counts entry is absent or unreadable).
   */
  void init(ProcessingContext context, DecodedStates states, KeyValueStore<String, long[]> counts,
      KeyValueStore<String, Long> seen) {
    this.states = states;
    this.counts = counts;
    this.seen = seen;
    long[] stored = counts.get(COUNTS_KEY);
    if (stored != null) {
      tracked = stored[0];
      warming = stored[1];
    } else {
      countOnce(context);
    }
    observer.keys(tracked, warming);
  }

  /**
   * The task stepped keys up to step start {@code now} (event time): runs a slice of the expiry sweep when expiry is
   * on and {@code now} moved on by {@link #sweepEvery} since the last slice.
   */
  void advance(long now) {
    if (timeoutMs <= 0) {
      return;
    }
    if (lastSweep == Long.MIN_VALUE) {
      lastSweep = now;
    } else if (now - lastSweep >= sweepEveryMs) {
      lastSweep = now;
      sweep(now);
    }
  }

  /** Counts the keys in the state store and indexes them: once, for a store written before the ledger existed. */
  private void countOnce(ProcessingContext context) {
    long newer = 0;
    String newerLine = null;
    try (KeyValueIterator<String, ServingState> all = states.store().all()) {
      while (all.hasNext()) {
        KeyValue<String, ServingState> kv = all.next();
        tracked++;
        ServingState s = kv.value;
        // a corrupt entry counts as warming (and is not indexed, see corrupt): it starts over at its next step
        boolean warm = s.corruption() == null && s.isWarm();
        if (!warm) {
          warming++;
        }
        if (s.corruption() == null && s.model().lastStep() != KeyState.NO_STEP) {
          seen.put(kv.key, entry(bucketEnd(s.model().lastStep()), warm));
        }
        if (s.corruption() != null && s.corruption().startsWith(KeyStateSerde.NEWER)) {
          newer++;
          newerLine = s.corruption();
        }
      }
    }
    if (newer > 0) {
      // after a rollback of the software: one line per task, not one per key
      LOG.warn("pipeline {} task {}: {} (the state of {} keys); they start over at their next step", pipeline,
          context.taskId(), newerLine, newer);
    }
    counts.put(COUNTS_KEY, new long[] {tracked, warming});
  }

  /** The keys changed by {@code dTracked} (new or deleted keys) and {@code dWarming} (keys warming or warmed up). */
  void count(long dTracked, long dWarming) {
    if (dTracked == 0 && dWarming == 0) {
      return;
    }
    tracked += dTracked;
    warming += dWarming;
    counts.put(COUNTS_KEY, new long[] {tracked, warming});
    observer.keys(dTracked, dWarming);
  }

  /**
   * {@code key} stepped at {@code start}; {@code previous} is its step before ({@link KeyState#NO_STEP} for a key new
   * to the store), {@code warm} and {@code wasWarm} whether it has forecast after and before the step. The index is
   * written only when the step falls into a later bucket or the key warmed up or reset.
   */
  void stepped(String key, long previous, long start, boolean warm, boolean wasWarm) {
    if (previous == KeyState.NO_STEP || warm != wasWarm
        || Math.floorDiv(previous, bucketMs) != Math.floorDiv(start, bucketMs)) {
      seen.put(key, entry(bucketEnd(start), warm));
    }
  }

  /**
   * {@code key}'s stored state could not be decoded and was deleted (the key starts over): it leaves the counts as
   * the warm or warming key the index last saw; without an index entry (it was counted by {@link #countOnce}, which
   * counts such an entry as warming) as a warming one.
   */
  void corrupt(String key) {
    Long e = seen.get(key);
    boolean warm = e != null && e != UNKNOWN && warm(e);
    count(-1, warm ? 0 : -1);
  }

  /** An index entry: {@code bound}, the end of the last step's bucket, and the warm flag in the lowest bit. */
  static long entry(long bound, boolean warm) {
    return bound * 2 + (warm ? 1 : 0);
  }

  /** The bound of an index entry. */
  static long bound(long entry) {
    return entry >> 1;
  }

  /** The warm flag of an index entry. */
  static boolean warm(long entry) {
    return (entry & 1) != 0;
  }

  /** The end of the bucket holding {@code time}: an upper bound of every step of the key in that bucket. */
  long bucketEnd(long time) {
    return Math.floorDiv(time, bucketMs) * bucketMs + bucketMs;
  }

  long bucket() {
    return bucketMs;
  }

  long sweepEvery() {
    return sweepEveryMs;
  }

  /** The counts to withdraw when the task closes. */
  void close() {
    observer.keys(-tracked, -warming);
    tracked = 0;
    warming = 0;
  }

  /**
   * One slice of the expiry sweep at stream time {@code now} (a step start): examines at most {@link #budget} index
   * entries after the last one examined (wrapping to the first at the end) and deletes the keys idle longer than the
   * timeout.
   */
  void sweep(long now) {
    long cutoff = now - timeoutMs;
    List<String> idle = walk.next(seen, budget(), v -> v == null || bound(v) <= cutoff);
    int expired = 0;
    for (String key : idle) {
      if (expire(key, cutoff)) {
        expired++;
      }
    }
    if (expired > 0) {
      observer.expired(expired);
      LOG.debug("pipeline {}: {} keys idle since before {} expired", pipeline, expired, cutoff);
    }
  }

  private int budget() {
    return (int) Math.min(Integer.MAX_VALUE - 1, Math.max(minSweep, tracked / 8));
  }

  /** Deletes {@code key}'s state if its last step is not after {@code cutoff}; whether it did. */
  private boolean expire(String key, long cutoff) {
    ServingState state = states.peek(key);
    if (state != null && state.corruption() == null && state.model().lastStep() != KeyState.NO_STEP
        && state.model().lastStep() > cutoff) {
      seen.put(key, entry(bucketEnd(state.model().lastStep()), state.isWarm()));
      return false;
    }
    seen.delete(key);
    if (state == null) {
      return false;
    }
    states.delete(key);
    boolean warmingKey = state.corruption() != null || !state.isWarm();
    count(-1, warmingKey ? -1 : 0);
    return true;
  }

  /** The counts entry: a version byte, then the keys and the warming keys; anything else reads as absent. */
  static Serde<long[]> countsSerde() {
    return Serdes.serdeFrom((topic, c) -> {
      if (c == null) {
        return null;
      }
      return ByteBuffer.allocate(COUNTS_BYTES).put(COUNTS_VERSION).putLong(c[0]).putLong(c[1]).array();
    }, (topic, bytes) -> {
      if (bytes == null || bytes.length != COUNTS_BYTES || bytes[0] != COUNTS_VERSION) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes, 1, 2 * Long.BYTES);
      return new long[] {b.getLong(), b.getLong()};
    });
  }

  /** The index entries ({@link #entry}); an entry that is not 8 bytes reads as {@link #UNKNOWN}. */
  static Serde<Long> seenSerde() {
    Serde<Long> longs = Serdes.Long();
    return Serdes.serdeFrom(longs.serializer(), (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      return bytes.length == Long.BYTES ? longs.deserializer().deserialize(topic, bytes) : UNKNOWN;
    });
  }
}
