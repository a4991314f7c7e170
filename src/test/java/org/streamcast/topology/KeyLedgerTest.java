package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.KeyState;
import org.streamcast.serving.ServingState;

class KeyLedgerTest {
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final int CAPACITY = 8;
  private final MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
  private final Counting observed = new Counting();
  private KeyValueStore<String, ServingState> states;
  private KeyValueStore<String, long[]> counts;
  private KeyValueStore<String, Long> seen;

  private static final class Counting implements PipelineObserver {
    long tracked;
    long warming;
    final List<Integer> expired = new ArrayList<>();

    @Override
    public void keys(long t, long w) {
      tracked += t;
      warming += w;
    }

    @Override
    public void expired(int keys) {
      expired.add(keys);
    }
  }

  @BeforeEach
  void stores() {
    // a corrupt state is stored as an entry of an unknown format version, which reads back as corrupt
    Serde<ServingState> real = KeyStateSerde.serde(CAPACITY);
    Serde<ServingState> keyStates = Serdes.serdeFrom((t, s) -> s.corruption() != null ? new byte[] {99}
        : real.serializer().serialize(t, s), real.deserializer());
    states = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PipelineTopology.KEY_STATE_STORE),
        Serdes.String(), keyStates).withLoggingDisabled().build();
    counts = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PipelineTopology.KEY_COUNTS_STORE),
        Serdes.String(), KeyLedger.countsSerde()).withLoggingDisabled().build();
    seen = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PipelineTopology.KEY_SEEN_STORE),
        Serdes.String(), KeyLedger.seenSerde()).withLoggingDisabled().build();
    states.init(context.getStateStoreContext(), states);
    counts.init(context.getStateStoreContext(), counts);
    seen.init(context.getStateStoreContext(), seen);
  }

  private static ServingState state(long lastStep, boolean warm) {
    ServingState s = new ServingState(CAPACITY);
    s.model().lastStep(lastStep);
    if (warm) {
      s.model().forecast(lastStep, new double[] {1, 2});
    }
    return s;
  }

  private KeyLedger ledger(Duration timeout, int minSweep) {
    KeyLedger ledger = new KeyLedger("p", observed, HOUR, timeout, minSweep);
    ledger.init(context, new DecodedStates(states, 0), counts, seen);
    return ledger;
  }

  @Test
  void shouldCountTheStoreOnceAndWriteTheCountsWhenTheCountsEntryIsAbsent() {
    states.put("a", state(5 * HOUR, true));
    states.put("b", state(5 * HOUR, false));
    states.put("c", ServingState.corrupt("garbage"));
    ledger(Duration.ofHours(6), 10);
    assertEquals(3, observed.tracked);
    assertEquals(2, observed.warming, "b, and the corrupt entry, which starts over at its next step");
    assertArrayEquals(new long[] {3, 2}, counts.get(KeyLedger.COUNTS_KEY));
    assertEquals(KeyLedger.entry(6 * HOUR, true), seen.get("a"), "indexed: the end of the bucket (1 h) of its last "
        + "step, and warm");
    assertEquals(KeyLedger.entry(6 * HOUR, false), seen.get("b"));
    assertNull(seen.get("c"), "a corrupt entry has no time; it is handled at its key's next step");
  }

  @Test
  void shouldRestoreTheCountsWithoutReadingTheStatesWhenTheCountsEntryExists() {
    states.put("a", state(5 * HOUR, true));
    counts.put(KeyLedger.COUNTS_KEY, new long[] {1_000_000, 12});
    ledger(Duration.ofHours(6), 10);
    assertEquals(1_000_000, observed.tracked, "the stored counts, not a count of the store");
    assertEquals(12, observed.warming);
    assertNull(seen.get("a"), "no scan");
  }

  @Test
  void shouldReadAnUnreadableCountsEntryAsAbsentWhenDecoding() {
    assertNull(KeyLedger.countsSerde().deserializer().deserialize("t", new byte[] {9, 1, 2}));
    assertNull(KeyLedger.countsSerde().deserializer().deserialize("t", new byte[17]), "version 0 is unknown");
    byte[] written = KeyLedger.countsSerde().serializer().serialize("t", new long[] {7, 3});
    assertEquals(17, written.length);
    assertArrayEquals(new long[] {7, 3}, KeyLedger.countsSerde().deserializer().deserialize("t", written));
    assertEquals(KeyLedger.UNKNOWN, KeyLedger.seenSerde().deserializer().deserialize("t", new byte[3]));
  }

  @Test
  void shouldWriteTheIndexOnlyWhenAStepFallsIntoALaterBucketWhenKeysStep() {
    KeyLedger ledger = ledger(Duration.ofDays(16), 10); // bucket: 16 d / 16 = 1 d
    long day = 24 * HOUR;
    ledger.stepped("a", KeyState.NO_STEP, 0, false, false);
    assertEquals(KeyLedger.entry(day, false), seen.get("a"));
    seen.put("a", -2L); // a marker: not rewritten within the bucket
    ledger.stepped("a", 0, HOUR, false, false);
    ledger.stepped("a", HOUR, 2 * HOUR, false, false);
    assertEquals(-2L, seen.get("a"));
    ledger.stepped("a", 2 * HOUR, 3 * HOUR, true, false);
    assertEquals(KeyLedger.entry(day, true), seen.get("a"), "warmed up: rewritten");
    seen.put("a", -2L);
    ledger.stepped("a", 3 * HOUR, 23 * HOUR, true, true);
    assertEquals(-2L, seen.get("a"));
    ledger.stepped("a", 23 * HOUR, day, true, true);
    assertEquals(KeyLedger.entry(2 * day, true), seen.get("a"), "a later bucket: rewritten");
  }

  @Test
  void shouldLeaveTheCountsAsTheWarmOrWarmingKeyTheIndexSawWhenAStateIsCorrupt() {
    KeyLedger ledger = ledger(Duration.ofHours(6), 10);
    ledger.count(3, 2); // one warm key, one warming, one counted by a first count without an index entry
    seen.put("warm", KeyLedger.entry(5 * HOUR, true));
    seen.put("warming", KeyLedger.entry(5 * HOUR, false));
    ledger.corrupt("warm");
    assertEquals(2, observed.tracked);
    assertEquals(2, observed.warming, "a warm key left");
    ledger.corrupt("warming");
    assertEquals(1, observed.warming);
    ledger.corrupt("unindexed");
    assertEquals(0, observed.tracked);
    assertEquals(0, observed.warming);
    assertArrayEquals(new long[] {0, 0}, counts.get(KeyLedger.COUNTS_KEY));
  }

  @Test
  void shouldSweepABoundedSliceAndResumeWhereItStoppedWhenManyKeysAreIdle() {
    for (int i = 0; i < 25; i++) {
      states.put(String.format("k%02d", i), state(0, i % 2 == 0));
    }
    states.put("live", state(100 * HOUR, true));
    KeyLedger ledger = ledger(Duration.ofHours(6), 10); // counts once: 26 keys, 12 warming, all indexed
    assertEquals(26, observed.tracked);
    ledger.advance(100 * HOUR); // the first time only starts the clock
    assertEquals(List.of(), observed.expired);
    ledger.advance(101 * HOUR);
    assertEquals(List.of(10), observed.expired, "ten index entries examined, all idle");
    assertNull(states.get("k00"));
    assertNotNull(states.get("k10"));
    ledger.advance(102 * HOUR);
    ledger.advance(103 * HOUR);
    assertEquals(List.of(10, 10, 5), observed.expired, "the third slice ends at 'live', which is kept");
    assertEquals(1, observed.tracked);
    assertEquals(0, observed.warming);
    assertArrayEquals(new long[] {1, 0}, counts.get(KeyLedger.COUNTS_KEY));
    assertNotNull(states.get("live"));
    assertNotNull(seen.get("live"));
  }

  @Test
  void shouldKeepAKeyWhoseOwnStateStepsLaterThanItsIndexSaysWhenSweeping() {
    KeyLedger ledger = ledger(Duration.ofHours(6), 10);
    states.put("a", state(50 * HOUR, true));
    seen.put("a", KeyLedger.entry(HOUR, true)); // stale: e.g. written by an older bucket size
    ledger.advance(50 * HOUR);
    ledger.advance(51 * HOUR);
    assertNotNull(states.get("a"));
    assertEquals(KeyLedger.entry(51 * HOUR, true), seen.get("a"), "re-indexed from its own last step");
    assertEquals(List.of(), observed.expired);
  }
}
