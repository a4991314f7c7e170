package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.KeyState;
import org.streamcast.serving.ServingState;
import org.streamcast.model.ModelHolder;

/** Keys idle past {@code state.keyIdleTimeout} leave the key-state store and the counts, which follow the store. */
class KeyExpiryTopologyTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, Forecast> forecasts;
  private final Counting observed = new Counting();

  private static final class Counting implements PipelineObserver {
    long tracked;
    long warming;
    int expired;

    @Override
    public void keys(long t, long w) {
      tracked += t;
      warming += w;
    }

    @Override
    public void expired(int keys) {
      expired += keys;
    }
  }

  /** Hourly steps, no grace, season 3, horizon 2: a key forecasts from its third step. */
  private static PipelineSpec hourly(Duration idleTimeout) {
    return TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ZERO, List.of(3), 2,
        new Gaps(GapPolicy.IMPUTE, 2)).withState(new PipelineSpec.State(idleTimeout));
  }

  private void start(PipelineSpec spec) {
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    driver = new TopologyTestDriver(PipelineTopology.build(spec,
        new ModelHolder(PipelineTopology.baseline(spec)), observed), StreamsSettings.observed(props, observed));
    input = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
    forecasts = driver.createOutputTopic(spec.output().forecasts(), new StringDeserializer(),
        TopologySerdes.forecastJson().deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void at(String key, int hour, double value) {
    String json = "{\"ts\":\"" + T0.plus(Duration.ofHours(hour)) + "\",\"value\":" + value + "}";
    input.pipeInput(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private KeyValueStore<String, ServingState> states() {
    return driver.getKeyValueStore(PipelineTopology.KEY_STATE_STORE);
  }

  private KeyValueStore<String, OpenWindows> windows() {
    return driver.getKeyValueStore(PipelineTopology.WINDOWS_STORE);
  }

  private KeyValueStore<String, Long> seen() {
    return driver.getKeyValueStore(PipelineTopology.KEY_SEEN_STORE);
  }

  private long[] storedCounts() {
    KeyValueStore<String, long[]> counts = driver.getKeyValueStore(PipelineTopology.KEY_COUNTS_STORE);
    return counts.get(KeyLedger.COUNTS_KEY);
  }

  @Test
  void shouldDeleteTheStateOfAKeyWhenIdleLongerThanTheTimeout() {
    start(hourly(Duration.ofHours(6)));
    for (int h = 0; h <= 4; h++) {
      at("a", h, 10 + h);
      at("b", h, 20 + h);
    }
    // hours 0..3 closed for both keys: both warm, b's last step starts at hour 3
    assertEquals(2, observed.tracked);
    assertEquals(0, observed.warming);
    assertArrayEquals(new long[] {2, 0}, storedCounts());
    assertEquals(T0.plus(Duration.ofHours(3)).toEpochMilli(), states().get("b").model().lastStep());
    // bucket = max(step, 6h / 16) = 1 h: b's index entry is the end of its last step's hour, 4 h
    assertEquals(KeyLedger.entry(T0.toEpochMilli() + 4 * HOUR, true), seen().get("b"));

    for (int h = 5; h <= 11; h++) {
      at("a", h, 10 + h); // at hour 5, hour 4 closes for both keys (b's last step); then only a steps
    }
    assertEquals(T0.plus(Duration.ofHours(4)).toEpochMilli(), states().get("b").model().lastStep());
    assertEquals(KeyLedger.entry(T0.toEpochMilli() + 5 * HOUR, true), seen().get("b"), "a later bucket: rewritten");
    // a's last step starts at hour 10: 10 h - 6 h = 4 h is not yet past b's bound, 5 h
    assertNotNull(states().get("b"), "idle, but not provably longer than 6 h");
    assertEquals(0, observed.expired);

    at("a", 12, 22); // closes hour 11: 11 h - 6 h = 5 h reaches b's bound: idle more than 6 h after its hour-4 step
    assertNull(states().get("b"), "b's state deleted");
    assertNull(seen().get("b"), "b left the index");
    assertNotNull(states().get("a"), "a steps every hour: kept");
    // the resample side forgets b too: its last window (hour 4) ended 7 h before the last emission (hour 11)
    assertNull(windows().get("b"), "b's windows entry deleted");
    assertNotNull(windows().get("a"), "a's windows entry kept");
    assertEquals(1, observed.expired);
    assertEquals(1, observed.tracked);
    assertEquals(0, observed.warming);
    assertArrayEquals(new long[] {1, 0}, storedCounts());
  }

  @Test
  void shouldWarmUpAgainFromScratchWhenAnExpiredKeyReturns() {
    start(hourly(Duration.ofHours(6)));
    for (int h = 0; h <= 4; h++) {
      at("a", h, 10 + h);
      at("b", h, 20 + h);
    }
    for (int h = 5; h <= 12; h++) {
      at("a", h, 10 + h);
    }
    assertNull(states().get("b"));
    forecasts.readValuesToList();

    at("b", 13, 40);
    at("b", 14, 41); // closes hour 13 of b: its first step after expiry
    assertNotNull(windows().get("b"), "a returning key starts a new windows entry");
    KeyState b = states().get("b").model();
    assertEquals(1, b.observedSteps(), "a new key: one step, no history from before");
    assertArrayEquals(new double[] {40}, b.history().valuesOldestFirst(), 0.0);
    assertEquals(2, observed.tracked);
    assertEquals(1, observed.warming, "b warms up again");
    assertTrue(forecasts.readValuesToList().stream().noneMatch(f -> f.key().equals("b")), "b is warming up");

    at("b", 15, 42);
    at("b", 16, 43); // b has steps 13, 14, 15: warm again (season 3)
    List<Forecast> out = forecasts.readValuesToList().stream().filter(f -> f.key().equals("b")).toList();
    assertEquals(1, out.size());
    assertEquals(T0.plus(Duration.ofHours(15)), out.get(0).origin());
    assertArrayEquals(new double[] {40, 41}, out.get(0).points().stream()
        .mapToDouble(Forecast.Point::value).toArray(), 0.0, "seasonal naive from b's new history only");
    assertEquals(0, observed.warming);
    assertEquals(1, observed.expired, "a, idle since hour 12, is within its 6 h");
  }

  @Test
  void shouldKeepEveryKeyWhenExpiryIsOff() {
    start(hourly(Duration.ZERO));
    for (int h = 0; h <= 4; h++) {
      at("a", h, 10 + h);
      at("b", h, 20 + h);
    }
    for (int h = 5; h <= 400; h++) {
      at("a", h, 10);
    }
    assertNotNull(states().get("b"), "idle for 16 days, never expires");
    assertNotNull(windows().get("b"), "nor does its windows entry");
    assertEquals(0, observed.expired);
    assertEquals(2, observed.tracked);
    // the index is still kept, so that turning expiry on later needs no scan: an upper bound of b's last step
    // within one bucket (the default timeout's sixteenth, 45 h)
    long last = states().get("b").model().lastStep();
    long bound = KeyLedger.bound(seen().get("b"));
    assertTrue(bound > last && bound <= last + 45 * HOUR, "bound " + bound);
  }

  @Test
  void shouldCountNewWarmingAndWarmKeysInTheCountsStoreWhenKeysStep() {
    start(hourly(Duration.ofDays(30)));
    at("a", 0, 1);
    at("b", 0, 1);
    at("c", 0, 1);
    at("a", 1, 2); // closes hour 0 of every key
    assertArrayEquals(new long[] {3, 3}, storedCounts());
    assertEquals(3, observed.tracked);
    assertEquals(3, observed.warming);
    at("a", 2, 3);
    at("a", 3, 4); // a has hours 0, 1, 2: warm
    assertArrayEquals(new long[] {3, 2}, storedCounts());
    assertEquals(2, observed.warming);
  }
}
