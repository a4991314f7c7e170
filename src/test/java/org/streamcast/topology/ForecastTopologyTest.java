package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.ModelHolder;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.testing.FaultyForecaster;
import org.streamcast.testing.RecordingForecaster;
import org.streamcast.domain.Gaps;
import org.streamcast.serving.ServingState;

class ForecastTopologyTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, Forecast> forecasts;
  private ModelHolder models;
  private final Counting observed = new Counting();

  /** Counts what the tests here assert on. */
  private static final class Counting implements PipelineObserver {
    final java.util.Map<DeadLetterReason, Integer> deadLetters = new java.util.EnumMap<>(DeadLetterReason.class);
    int resets;
    int withheld;
    int stateEntriesReset;
    long tracked;
    long warming;

    @Override
    public void deadLettered(DeadLetterReason reason) {
      deadLetters.merge(reason, 1, Integer::sum);
    }

    @Override
    public void reset() {
      resets++;
    }

    @Override
    public void withheld() {
      withheld++;
    }

    @Override
    public void stateEntryReset() {
      stateEntriesReset++;
    }

    @Override
    public void keys(long t, long w) {
      tracked += t;
      warming += w;
    }
  }

  private void start(PipelineSpec spec) {
    start(spec, PipelineTopology.baseline(spec));
  }

  private void start(PipelineSpec spec, Forecaster model) {
    start(spec, model, DecodedStates.capacity(KeyStateSerde.maxBytes(spec), Runtime.getRuntime().maxMemory()));
  }

  private void start(PipelineSpec spec, Forecaster model, int decoded) {
    models = new ModelHolder(model);
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    driver = new TopologyTestDriver(PipelineTopology.build(spec, models, PipelineTopology.quality(spec), observed,
        0, decoded),
        StreamsSettings.observed(props, observed));
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

  private static PipelineSpec hourly(GapPolicy policy, int maxImputed) {
    return TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ZERO, List.of(3), 2,
        new Gaps(policy, maxImputed));
  }

  /** Sends one event at hour {@code hour}; the window of the previous event closes. */
  private void at(int hour, double value) {
    at("k", hour, value);
  }

  private void at(String key, int hour, double value) {
    String json = "{\"ts\":\"" + T0.plus(Duration.ofHours(hour)) + "\",\"value\":" + value + "}";
    input.pipeInput(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private KeyValueStore<String, ServingState> states() {
    return driver.getKeyValueStore(PipelineTopology.KEY_STATE_STORE);
  }

  /** The model parts of the stored states. */
  private java.util.Map<String, KeyState> store() {
    return new java.util.AbstractMap<>() {
      @Override
      public KeyState get(Object key) {
        return states().get((String) key).model();
      }

      @Override
      public java.util.Set<Entry<String, KeyState>> entrySet() {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static double[] values(Forecast f) {
    return f.points().stream().mapToDouble(Forecast.Point::value).toArray();
  }

  @Test
  void shouldStayQuietWhileWarmingUpAndForecastSeasonalNaiveWhenWarmOnColdStart() {
    start(hourly(GapPolicy.IMPUTE, 2));
    at(0, 10);
    at(1, 11);
    at(2, 12);
    assertTrue(forecasts.isEmpty(), "two closed steps < season 3: warming up");
    assertEquals(2, store().get("k").observedSteps());
    at(3, 13); // closes hour 2: three steps seen
    Forecast f = forecasts.readValue();
    assertEquals(T0.plus(Duration.ofHours(2)), f.origin());
    assertEquals("baseline", f.model());
    assertEquals(0, f.modelVersion());
    assertArrayEquals(new double[] {10, 11}, values(f), 0.0); // ŷ[t+1]=y[t-2], ŷ[t+2]=y[t-1]
    assertEquals(T0.plus(Duration.ofHours(3)), f.points().get(0).time());
    KeyState s = store().get("k");
    assertEquals(T0.plus(Duration.ofHours(2)).toEpochMilli(), s.lastStep());
    assertArrayEquals(new double[] {10, 11, 12}, s.history().valuesOldestFirst(), 0.0);
    assertArrayEquals(new double[] {10, 11}, s.forecast(), 0.0);
  }

  @Test
  void shouldImputeOwnForecastsWhenGapWithinLimit() {
    start(hourly(GapPolicy.IMPUTE, 2));
    for (int h = 0; h < 4; h++) {
      at(h, 10 + h);
    }
    forecasts.readValuesToList();
    at(6, 16); // closes hour 3; hours 4 and 5 have no events
    at(7, 17); // closes hour 6: two imputed steps first
    List<Forecast> out = forecasts.readValuesToList();
    assertEquals(2, out.size());
    KeyState s = store().get("k");
    // hour 3 forecast was y[1]=11 for h=1 → hour 4 imputed 11; then hour 5 imputed ŷ = y[t-2] = 12
    assertArrayEquals(new double[] {10, 11, 12, 13, 11, 12, 16}, s.history().valuesOldestFirst(), 0.0);
    assertTrue(s.history().imputed(1) && s.history().imputed(2) && !s.history().imputed(0));
    assertEquals(T0.plus(Duration.ofHours(6)), out.get(1).origin());
  }

  @Test
  void shouldResetAndWarmUpAgainWhenGapExceedsLimit() {
    start(hourly(GapPolicy.IMPUTE, 1));
    for (int h = 0; h < 4; h++) {
      at(h, 10 + h);
    }
    at(6, 16); // closes hour 3
    assertEquals(T0.plus(Duration.ofHours(3)), forecasts.readValuesToList().get(1).origin());
    at(7, 17); // closes hour 6 after a 2-step gap > maxImputed 1: reset
    assertTrue(forecasts.isEmpty(), "warming up again");
    KeyState s = store().get("k");
    assertEquals(1, s.observedSteps());
    assertArrayEquals(new double[] {16}, s.history().valuesOldestFirst(), 0.0);
  }

  @Test
  void shouldTreatNextObservationAsNextStepWhenPolicyIsSkip() {
    start(hourly(GapPolicy.SKIP, 0));
    at(0, 1);
    at(1, 2);
    at(5, 3);
    at(9, 4); // steps at hours 0, 1, 5 are consecutive model steps
    assertEquals(List.of(1.0, 2.0), forecasts.readValuesToList().get(0).points().stream()
        .map(Forecast.Point::value).toList());
  }

  @Test
  void shouldRewarmFromHistoryAndTagNewVersionWhenModelIsSwapped() {
    start(hourly(GapPolicy.IMPUTE, 2));
    for (int h = 0; h < 5; h++) {
      at(h, 10 + h);
    }
    assertEquals(0, forecasts.readValuesToList().get(0).modelVersion());
    models.swap(new Versioned(new SeasonalNaiveForecaster(1, 2), 7));
    at(5, 15); // closes hour 4 under the new model
    Forecast f = forecasts.readValue();
    assertEquals(7, f.modelVersion());
    assertArrayEquals(new double[] {14, 14}, values(f), 0.0);
    assertEquals(7, store().get("k").modelVersion());
  }

  @Test
  void shouldStepKeysTogetherWhenOneEventClosesTheirWindows() {
    PipelineSpec spec = hourly(GapPolicy.IMPUTE, 2);
    RecordingForecaster model = new RecordingForecaster(PipelineTopology.baseline(spec));
    start(spec, model);
    int keys = 70;
    for (int h = 0; h < 5; h++) {
      for (int k = 0; k < keys; k++) {
        at("key-" + k, h, 100 * k + h); // the first event of hour h closes every key's window of hour h-1
      }
    }
    at("key-0", 5, 5);
    // Five rounds of 70 keys: batches of at most 64, every key once per round.
    assertEquals(List.of(64, 6, 64, 6, 64, 6, 64, 6, 64, 6), model.batches());
    List<Forecast> published = forecasts.readValuesToList();
    assertEquals(3 * keys, published.size(), "origins at hours 2, 3 and 4 once warm (season 3)");
    for (Forecast f : published) {
      int k = Integer.parseInt(f.key().substring(4));
      int origin = (int) Duration.between(T0, f.origin()).toHours();
      assertArrayEquals(new double[] {100 * k + origin - 2, 100 * k + origin - 1}, values(f), 0.0, f.key());
    }
    assertEquals(5, store().get("key-69").observedSteps());
  }

  @Test
  void shouldStepKeyOnceAtATimeWhenOneEventClosesTwoOfItsWindows() {
    PipelineSpec spec = TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ofHours(2), List.of(3), 2,
        new Gaps(GapPolicy.IMPUTE, 2));
    RecordingForecaster model = new RecordingForecaster(PipelineTopology.baseline(spec));
    start(spec, model);
    at("a", 0, 1);
    at("b", 0, 2);
    at("a", 1, 3);
    at("b", 1, 4); // grace 2 h: nothing closed yet
    assertEquals(List.of(), model.batches());
    at("c", 5, 5); // closes a@0, b@0, then a@1, b@1
    assertEquals(List.of(2, 2), model.batches(), "a key's second step waits for its first");
    assertEquals(2, store().get("a").observedSteps());
    assertEquals(T0.plus(Duration.ofHours(1)).toEpochMilli(), store().get("b").lastStep());
  }

  @Test
  void shouldStepEachKeyAloneAndKeepEveryStateWhenTheBatchStepFails() {
    PipelineSpec spec = hourly(GapPolicy.IMPUTE, 2);
    RecordingForecaster model = new RecordingForecaster(PipelineTopology.baseline(spec));
    start(spec, model);
    TestOutputTopic<byte[], byte[]> dlq = deadLetters(spec);
    at("a", 0, 1);
    at("b", 0, 2);
    model.failNext();
    at("a", 1, 3); // closes a@0 and b@0: their batch step fails, each is stepped on its own
    assertTrue(dlq.isEmpty(), "no key's own step failed");
    assertEquals(1, store().get("a").observedSteps());
    assertEquals(1, store().get("b").observedSteps());
    at("b", 1, 4);
    at("a", 2, 5); // closes a@1 and b@1 together again
    assertEquals(List.of(2, 2), model.batches());
    assertEquals(2, store().get("a").observedSteps());
    assertEquals(T0.plus(Duration.ofHours(1)).toEpochMilli(), store().get("b").lastStep());
  }

  private TestOutputTopic<byte[], byte[]> deadLetters(PipelineSpec spec) {
    return driver.createOutputTopic(spec.output().deadLetters(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
  }

  private static String header(org.apache.kafka.streams.test.TestRecord<byte[], byte[]> r, String name) {
    org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Six keys, hours 0..6; key k-3 sends {@code bad} at hour 3; every published forecast by key and origin hour. */
  private Map<String, double[]> sixKeys(double bad) {
    Map<String, double[]> out = new java.util.TreeMap<>();
    for (int h = 0; h <= 6; h++) {
      for (int k = 0; k < 6; k++) {
        at("k-" + k, h, k == 3 && h == 3 ? bad : 10 * k + h);
      }
    }
    for (Forecast f : forecasts.readValuesToList()) {
      for (double v : values(f)) {
        assertTrue(Double.isFinite(v), f.toString());
      }
      out.put(f.key() + "@" + Duration.between(T0, f.origin()).toHours(), values(f));
    }
    return out;
  }

  @Test
  void shouldDeadLetterOnlyTheFailingKeysStepAsAnInputEventWhenItsModelStepThrows() {
    PipelineSpec spec = hourly(GapPolicy.IMPUTE, 2);
    start(spec, new FaultyForecaster(PipelineTopology.baseline(spec), 1e13, Double.POSITIVE_INFINITY));
    Map<String, double[]> reference = sixKeys(33);
    close();
    start(spec, new FaultyForecaster(PipelineTopology.baseline(spec), 1e13, Double.POSITIVE_INFINITY));
    TestOutputTopic<byte[], byte[]> dlq = deadLetters(spec);
    Map<String, double[]> run = sixKeys(1e14);

    for (Map.Entry<String, double[]> e : reference.entrySet()) {
      if (!e.getKey().startsWith("k-3")) {
        assertArrayEquals(e.getValue(), run.get(e.getKey()), 0.0, e.getKey());
      }
    }
    assertEquals(reference.keySet().stream().filter(k -> !k.startsWith("k-3")).toList(),
        run.keySet().stream().filter(k -> !k.startsWith("k-3")).toList(), "the other keys' forecasts, all of them");
    List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertEquals(1, dead.size());
    var r = dead.get(0);
    assertEquals("k-3", new String(r.key(), StandardCharsets.UTF_8));
    assertEquals("{\"ts\":\"2020-01-01T03:00:00Z\",\"value\":1.0E14}", new String(r.value(), StandardCharsets.UTF_8));
    assertEquals("processing-error", header(r, "streamcast.dlq.reason"));
    assertTrue(header(r, "streamcast.dlq.detail").startsWith("the step of key 'k-3' at 2020-01-01T03:00:00Z failed: "
        + "java.lang.IllegalArgumentException: bad scaler"), header(r, "streamcast.dlq.detail"));
    assertEquals(spec.input().topic(), header(r, "streamcast.dlq.topic"));
    assertEquals("test", header(r, "streamcast.dlq.pipeline"));
    assertEquals(1, observed.deadLetters.get(DeadLetterReason.PROCESSING_ERROR));
    // the failing key kept its state (last step hour 2), then imputed hour 3 and went on
    assertEquals(T0.plus(Duration.ofHours(5)).toEpochMilli(), store().get("k-3").lastStep());
    assertEquals(5, store().get("k-3").observedSteps());
    assertTrue(store().get("k-3").history().imputed(2), "hour 3 was imputed");
  }

  @Test
  void shouldWithholdTheForecastAndKeepTheKeysHistoryWhenTheModelGivesNonFiniteValues() {
    PipelineSpec spec = hourly(GapPolicy.IMPUTE, 2);
    start(spec, new FaultyForecaster(PipelineTopology.baseline(spec), Double.POSITIVE_INFINITY, 1e6));
    Map<String, double[]> run = sixKeys(2e6);
    assertEquals(1, observed.withheld);
    assertEquals(1, observed.resets);
    assertEquals(null, run.get("k-3@3"), "withheld");
    assertTrue(run.containsKey("k-3@4"), "forecasts again at the next step: its history was kept");
    assertTrue(run.containsKey("k-2@3") && run.containsKey("k-4@3"), "the other keys forecast");
    KeyState s = store().get("k-3");
    assertEquals(6, s.observedSteps(), "every hour, the one of the bad output too");
    for (float f : s.hidden()) {
      assertTrue(Float.isFinite(f));
    }
    assertEquals(6, observed.tracked);
    assertEquals(0, observed.warming, "no key warms up again");
  }

  @Test
  void shouldDeleteACorruptStateEntryAndStartTheKeyOverWhenTheStoreHoldsGarbage() {
    PipelineSpec spec = hourly(GapPolicy.IMPUTE, 2);
    // a running task's store changes under it only by a restore, which initializes the processor again and drops its
    // decoded states: with none kept, every step reads the store as after a restore
    start(spec, PipelineTopology.baseline(spec), 0);
    for (int h = 0; h < 2; h++) {
      at("good", h, h);
      at("bad", h, h);
    }
    assertEquals(1, store().get("bad").observedSteps(), "hour 0 closed");
    @SuppressWarnings("unchecked")
    KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> raw =
        (KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>)
            ((org.apache.kafka.streams.state.internals.WrappedStateStore<?, ?, ?>)
                driver.getKeyValueStore(PipelineTopology.KEY_STATE_STORE)).wrapped();
    raw.put(org.apache.kafka.common.utils.Bytes.wrap("bad".getBytes(StandardCharsets.UTF_8)),
        new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 1, 127, -1, -1, -1});
    assertEquals("key state (format version 2, 13 bytes) is corrupt: truncated", states().get("bad").corruption());
    for (int h = 2; h < 6; h++) {
      at("good", h, h);
      at("bad", h, h);
    }
    assertEquals(1, observed.stateEntriesReset);
    assertEquals(4, store().get("bad").observedSteps(), "started over at hour 1: hours 1..4");
    assertEquals(5, store().get("good").observedSteps());
    Map<String, Long> published = forecasts.readValuesToList().stream()
        .collect(java.util.stream.Collectors.groupingBy(Forecast::key, java.util.stream.Collectors.counting()));
    assertEquals(Map.of("good", 3L, "bad", 2L), published, "season 3: bad warmed up again from hour 1");
    assertEquals(2, observed.tracked);
    assertEquals(0, observed.warming);
  }

  /** A real forecaster under another version number, to exercise a swap. */
  private static final class Versioned extends org.streamcast.testing.DelegatingForecaster {
    private final long version;

    Versioned(SeasonalNaiveForecaster inner, long version) {
      super(inner);
      this.version = version;
    }

    @Override
    public String name() {
      return "naive-test";
    }

    @Override
    public long version() {
      return version;
    }

    @Override
    public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
      state.hidden(new float[0], version);
      return step(state, lastStepStart, out);
    }
  }
}
