package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.streamcast.serving.ServingState;

class DecodedStatesTest {
  private static final int CAPACITY = 8;
  private KeyValueStore<String, ServingState> store;

  @BeforeEach
  void store() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PipelineTopology.KEY_STATE_STORE),
        Serdes.String(), KeyStateSerde.serde(CAPACITY)).withLoggingDisabled().build();
    MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  private static ServingState state(long lastStep) {
    ServingState s = new ServingState(CAPACITY);
    s.model().lastStep(lastStep);
    return s;
  }

  @Test
  void shouldReadTheStoreWhenAStepTookTheStateAndFailedBeforePuttingItBack() {
    DecodedStates states = new DecodedStates(store, 10);
    states.put("a", state(5));
    ServingState taken = states.take("a");
    assertEquals(0, states.size());
    taken.model().lastStep(6); // the step changed it, then failed before the store held the change
    ServingState next = states.take("a");
    assertNotSame(taken, next);
    assertEquals(5, next.model().lastStep());
  }

  @Test
  void shouldServeTheDecodedStateWhenTheStoreHoldsIt() {
    DecodedStates states = new DecodedStates(store, 10);
    ServingState s = state(5);
    states.put("a", s);
    assertSame(s, states.peek("a"));
    assertSame(s, states.take("a"));
    assertEquals(5, store.get("a").model().lastStep());
  }

  @Test
  void shouldForgetADeletedKeyAndEveryKeyWhenCleared() {
    DecodedStates states = new DecodedStates(store, 10);
    states.put("a", state(5));
    states.put("b", state(7));
    states.delete("a");
    assertNull(states.take("a"));
    assertNull(store.get("a"));
    states.clear();
    assertEquals(0, states.size());
    assertEquals(7, states.take("b").model().lastStep());
  }

  @Test
  void shouldKeepTheKeysSteppedLastWhenCapacityIsReached() {
    DecodedStates states = new DecodedStates(store, 2);
    ServingState a = state(1);
    states.put("a", a);
    states.put("b", state(2));
    states.peek("a");
    states.put("c", state(3)); // b is the least recently used
    assertEquals(2, states.size());
    assertSame(a, states.take("a"));
    assertEquals(2, states.take("b").model().lastStep()); // decoded again from the store
  }

  @Test
  void shouldBoundTheKeysByTheLargestStateAndTheHeapWhenSized() {
    assertEquals((64 << 20) / 20_000, DecodedStates.capacity(10_000, 8L << 30));
    assertEquals((256 << 20) / 32 / 20_000, DecodedStates.capacity(10_000, 256L << 20));
    assertEquals(0, DecodedStates.capacity(64L << 20, 1L << 30));
  }
}
