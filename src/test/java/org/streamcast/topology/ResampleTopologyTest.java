package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;

class ResampleTopologyTest {
  /** The wall clock the driver starts with (it moves only when a test advances it). */
  private static final Instant WALL_CLOCK = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, Step> series;
  private TestOutputTopic<byte[], byte[]> dlq;

  private void start(PipelineSpec spec) {
    Properties props = StreamsSettings.of(spec, java.util.Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(PipelineTopology.build(spec, PipelineObserver.NONE), props, WALL_CLOCK);
    input = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
    series = driver.createOutputTopic(spec.output().series(), new StringDeserializer(),
        StepSerde.json().deserializer());
    dlq = driver.createOutputTopic(spec.output().deadLetters(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void send(String key, String json) {
    input.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private static String event(String ts, double v) {
    return "{\"key\":\"ignored\",\"ts\":\"" + ts + "\",\"value\":" + v + "}";
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldEmitMeanOfEachWindowOnlyWhenItClosesWhenEventsArriveInOrder() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    send("a", event("2000-06-05T00:00:00Z", 10));
    send("a", event("2000-06-05T00:10:00Z", 20));
    assertTrue(series.isEmpty(), "window still open");
    send("a", event("2000-06-05T00:30:00Z", 7));
    List<TestRecord<String, Step>> out = series.readRecordsToList();
    assertEquals(1, out.size());
    assertEquals(new Step("a", Instant.parse("2000-06-05T00:00:00Z"), 15.0, 2), out.get(0).value());
    assertEquals("a", out.get(0).key());
    assertEquals(Instant.parse("2000-06-05T00:00:00Z"), out.get(0).getRecordTime());
  }

  @Test
  void shouldApplyEveryAggregationWhenWindowCloses() {
    double[] expected = {4.0, 5.0, 12.0, 1.0, 6.0, 3.0}; // mean, last, sum, min, max, count of 1,5,6 (5 is latest)
    Aggregation[] aggs = {Aggregation.MEAN, Aggregation.LAST, Aggregation.SUM, Aggregation.MIN, Aggregation.MAX,
        Aggregation.COUNT};
    for (int i = 0; i < aggs.length; i++) {
      close();
      start(TestSpecs.spec(null, Duration.ofHours(1), aggs[i], Duration.ofMinutes(10)));
      send("k", event("2000-01-01T00:05:00Z", 1));
      send("k", event("2000-01-01T00:50:00Z", 5));
      send("k", event("2000-01-01T00:20:00Z", 6)); // out of order, earlier event time: not "last"
      send("k", event("2000-01-01T01:10:00Z", 0)); // stream time 01:10 closes [00:00, 01:00) with grace 10m
      List<Step> out = series.readValuesToList();
      assertEquals(1, out.size(), aggs[i].toString());
      assertEquals(expected[i], out.get(0).value(), 1e-12, aggs[i].toString());
    }
  }

  @Test
  void shouldKeepStepsOfOtherKeysInOrderWhenOneKeysClockJumpsAhead() {
    start(TestSpecs.spec(null, Duration.ofMinutes(1), Aggregation.SUM, Duration.ZERO));
    send("ctl", event("2000-06-05T00:00:00Z", 1));
    send("ctl", event("2000-06-05T00:00:20Z", 2));
    // a producer whose clock runs 14 hours ahead (within window.maxSkew): the partition's stream time jumps and closes
    // ctl's open window, two of its three events in
    send("atk", event("2000-06-05T14:00:00Z", 100));
    send("ctl", event("2000-06-05T00:00:40Z", 4)); // its window was emitted: late
    send("ctl", event("2000-06-05T00:01:00Z", 8)); // ctl's next step: emitted at once
    send("ctl", event("2000-06-05T00:01:30Z", 16)); // that step was emitted: late
    send("ctl", event("2000-06-05T00:03:00Z", 32)); // a later step, a gap before it: emitted at once
    send("ctl", event("2000-06-05T00:02:00Z", 64)); // before ctl's latest step: late
    assertEquals(List.of(new Step("ctl", Instant.parse("2000-06-05T00:00:00Z"), 3.0, 2),
        new Step("ctl", Instant.parse("2000-06-05T00:01:00Z"), 8.0, 1),
        new Step("ctl", Instant.parse("2000-06-05T00:03:00Z"), 32.0, 1)), series.readValuesToList());
    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertEquals(List.of("late", "late", "late"),
        dead.stream().map(r -> header(r, DeadLetterProcessor.REASON)).toList());
    assertEquals("event time 2000-06-05T00:01:30Z falls in the window 2000-06-05T00:01:00Z..2000-06-05T00:02:00Z, "
        + "and this key has its window from 2000-06-05T00:01:00Z already; the window closed (grace PT0S) before "
        + "stream time 2000-06-05T14:00:00Z", header(dead.get(1), DeadLetterProcessor.DETAIL));
    // ctl catches up with the clock: its windows close with the partition's again
    send("ctl", event("2000-06-05T14:00:10Z", 1));
    send("atk", event("2000-06-05T14:01:00Z", 1));
    assertEquals(List.of(new Step("atk", Instant.parse("2000-06-05T14:00:00Z"), 100.0, 1),
        new Step("ctl", Instant.parse("2000-06-05T14:00:00Z"), 1.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldAcceptEventWithinGraceAndDeadLetterItAsLateAfterGrace() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.SUM, Duration.ofMinutes(5)));
    send("a", event("2000-06-05T00:00:00Z", 1));
    send("b", event("2000-06-05T00:33:00Z", 1)); // stream time 00:33: window [00:00,00:30) still open (grace 5m)
    send("a", event("2000-06-05T00:29:00Z", 2)); // within grace: counted
    assertTrue(series.isEmpty());
    send("b", event("2000-06-05T00:35:00Z", 1)); // closes [00:00,00:30)
    assertEquals(List.of(new Step("a", Instant.parse("2000-06-05T00:00:00Z"), 3.0, 2)), series.readValuesToList());
    String late = event("2000-06-05T00:15:00Z", 99);
    send("a", late);
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertEquals("late", header(r, DeadLetterProcessor.REASON));
    assertEquals(late, new String(r.value(), StandardCharsets.UTF_8));
    assertEquals("a", new String(r.key(), StandardCharsets.UTF_8));
    assertEquals("test.events", header(r, DeadLetterProcessor.TOPIC));
    assertEquals("4", header(r, DeadLetterProcessor.OFFSET));
    assertTrue(series.isEmpty(), "late event changes nothing");
  }

  @Test
  void shouldEmitEachWindowOnceInStartOrderWhenOneEventClosesSeveralWindowsOfAKey() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.SUM, Duration.ofMinutes(60)));
    send("b", event("2000-06-05T00:10:00Z", 1));
    send("a", event("2000-06-05T00:20:00Z", 2));
    send("a", event("2000-06-05T00:40:00Z", 3));
    send("b", event("2000-06-05T00:50:00Z", 4)); // grace 60 m: all four windows still open
    assertTrue(series.isEmpty());
    send("c", event("2000-06-05T02:00:00Z", 5)); // closes both windows of a and of b
    assertEquals(List.of(
        new Step("a", Instant.parse("2000-06-05T00:00:00Z"), 2.0, 1),
        new Step("b", Instant.parse("2000-06-05T00:00:00Z"), 1.0, 1),
        new Step("a", Instant.parse("2000-06-05T00:30:00Z"), 3.0, 1),
        new Step("b", Instant.parse("2000-06-05T00:30:00Z"), 4.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldDeadLetterMalformedRecordsUnchangedWithReasonWhenParsingFails() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    String[][] cases = {
        {"a", "not json", "bad-json"},
        {"a", "[1,2]", "bad-json"},
        {"a", "{\"ts\":\"2000-06-05T00:00:00Z\"}", "missing-field"},
        {"a", "{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":\"12\"}", "bad-type"},
        {"a", "{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":NaN}", "not-finite"},
        {"a", "{\"ts\":\"yesterday\",\"value\":1}", "bad-timestamp"},
        {"", "{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1}", "empty-key"},
        {null, "{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1}", "empty-key"},
        // event times no Kafka timestamp can hold: before 1970, beyond a long of milliseconds
        {"a", "{\"ts\":\"1969-12-31T23:59:59Z\",\"value\":1}", "bad-timestamp"},
        {"a", "{\"ts\":-1,\"value\":1}", "bad-timestamp"},
        {"a", "{\"ts\":\"+1000000000-01-01T00:00:00Z\",\"value\":1}", "bad-timestamp"},
    };
    for (String[] c : cases) {
      send(c[0], c[1]);
    }
    List<TestRecord<byte[], byte[]>> out = dlq.readRecordsToList();
    assertEquals(cases.length, out.size());
    for (int i = 0; i < cases.length; i++) {
      assertEquals(cases[i][2], header(out.get(i), DeadLetterProcessor.REASON), cases[i][1]);
      assertEquals(cases[i][1], new String(out.get(i).value(), StandardCharsets.UTF_8));
      assertEquals(Integer.toString(i), header(out.get(i), DeadLetterProcessor.OFFSET));
      assertEquals("0", header(out.get(i), DeadLetterProcessor.PARTITION));
      assertEquals("test", header(out.get(i), DeadLetterProcessor.PIPELINE));
    }
    assertTrue(header(out.get(3), DeadLetterProcessor.DETAIL).contains("\"value\""));
  }

  @Test
  void shouldDeadLetterEventFarAheadOfStreamTimeWhenClockIsWrong() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    send("a", event("2000-06-05T00:00:00Z", 1));
    send("a", event("2000-06-12T00:00:00Z", 1)); // 7 days ahead: more than the default maxSkew of 5 days
    send("a", event("2000-06-05T00:30:00Z", 3));
    TestRecord<byte[], byte[]> skewed = dlq.readRecord();
    assertEquals("time-skew", header(skewed, DeadLetterProcessor.REASON));
    assertEquals("field \"ts\": event time 2000-06-12T00:00:00Z is more than window.maxSkew (5d) ahead of stream time "
        + "2000-06-05T00:00:00Z", header(skewed, DeadLetterProcessor.DETAIL));
    assertEquals(List.of(new Step("a", Instant.parse("2000-06-05T00:00:00Z"), 1.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldNameTheSpecsTimeFieldWhenDeadLetteringATimeSkew() {
    start(org.streamcast.config.SpecLoader.parse("t.yaml", "name: t\ninput: {timeField: at}\n"
        + "window: {step: 30m, grace: 0}\n"));
    input.pipeInput(bytes("a"), bytes("{\"key\":\"a\",\"at\":\"2000-06-05T00:00:00Z\",\"value\":1}"));
    input.pipeInput(bytes("a"), bytes("{\"key\":\"a\",\"at\":\"2000-06-12T00:00:00Z\",\"value\":1}"));
    TestRecord<byte[], byte[]> skewed = dlq.readRecord();
    assertEquals("time-skew", header(skewed, DeadLetterProcessor.REASON));
    assertTrue(header(skewed, DeadLetterProcessor.DETAIL).startsWith("field \"at\": event time 2000-06-12T00:00:00Z"),
        header(skewed, DeadLetterProcessor.DETAIL));
  }

  @Test
  void shouldAcceptJumpUpToMaxSkewAndDeadLetterOneBeyondWhenReplayingMarketData() {
    // A market closed from Thursday's close to Tuesday (Easter): 5 days, the default bound, is accepted.
    start(TestSpecs.spec(null, Duration.ofDays(1), Aggregation.LAST, Duration.ZERO));
    send("dax", event("2000-04-20T00:00:00Z", 1));
    send("dax", event("2000-04-25T00:00:00Z", 2));
    send("dax", event("2000-04-30T00:00:01Z", 3)); // 5 days and a second
    send("dax", event("2000-04-26T00:00:00Z", 4));
    assertEquals("time-skew", header(dlq.readRecord(), DeadLetterProcessor.REASON));
    assertTrue(dlq.isEmpty());
    assertEquals(List.of(new Step("dax", Instant.parse("2000-04-20T00:00:00Z"), 1.0, 1),
        new Step("dax", Instant.parse("2000-04-25T00:00:00Z"), 2.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldResumeALiveStreamAfterALongOutageWhenTheEventIsWithinMaxSkewOfTheWallClock() {
    start(TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ZERO));
    Instant outage = WALL_CLOCK.minus(Duration.ofDays(30));
    send("a", event(outage.toString(), 1));
    send("a", event(WALL_CLOCK.minus(Duration.ofMinutes(5)).toString(), 2)); // live again: accepted
    send("a", event(WALL_CLOCK.plus(Duration.ofMinutes(30)).toString(), 3));
    assertTrue(dlq.isEmpty(), "a producer back after 30 days is not refused for skew");
    assertEquals(List.of(new Step("a", outage, 1.0, 1),
        new Step("a", WALL_CLOCK.minus(Duration.ofHours(1)), 2.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldDeadLetterEventPastWallClockAsFutureTimeWhenBeyondMaxFuture() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    Instant now = WALL_CLOCK;
    send("a", event(now.minus(Duration.ofHours(2)).toString(), 1));
    send("a", event(now.plus(Duration.ofMinutes(59)).toString(), 2)); // within maxFuture (1h): accepted
    send("a", event(now.plus(Duration.ofMinutes(61)).toString(), 3));
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertEquals("future-time", header(r, DeadLetterProcessor.REASON));
    assertTrue(header(r, DeadLetterProcessor.DETAIL).contains("more than window.maxFuture (1h) past the wall clock"),
        header(r, DeadLetterProcessor.DETAIL));
    assertTrue(dlq.isEmpty());
    driver.advanceWallClockTime(Duration.ofMinutes(2)); // the same event is fine a little later
    send("a", event(now.plus(Duration.ofMinutes(61)).toString(), 3));
    assertTrue(dlq.isEmpty());
  }

  @Test
  void shouldDeadLetterWithOwnRecordTimestampWhenEventTimeIsFarAheadOrLateBehindRepartition() {
    // A record timestamp in the far future is refused by the broker (message.timestamp.after.max.ms, one hour by
    // default): the repartition and dead-letter records must carry the timestamp the input record was read with.
    start(TestSpecs.spec("sensor", Duration.ofHours(1), Aggregation.MEAN, Duration.ZERO));
    Instant read = Instant.parse("2024-01-01T00:00:00Z");
    String ahead = "{\"sensor\":\"s1\",\"ts\":\"9999-12-31T23:59:59Z\",\"value\":2}";
    String late = "{\"sensor\":\"s1\",\"ts\":\"1999-01-01T00:00:00Z\",\"value\":3}";
    input.pipeInput(new TestRecord<>(null, bytes("{\"sensor\":\"s1\",\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1}"),
        read));
    input.pipeInput(new TestRecord<>(null, bytes(ahead), read.plusSeconds(1)));
    input.pipeInput(new TestRecord<>(null, bytes(late), read.plusSeconds(2)));
    input.pipeInput(new TestRecord<>(null, bytes("{\"sensor\":\"s1\",\"ts\":\"2000-06-05T01:00:00Z\",\"value\":4}"),
        read.plusSeconds(3)));
    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertEquals(2, dead.size());
    assertEquals("future-time", header(dead.get(0), DeadLetterProcessor.REASON));
    assertEquals(ahead, new String(dead.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(read.plusSeconds(1), dead.get(0).getRecordTime());
    assertEquals("late", header(dead.get(1), DeadLetterProcessor.REASON));
    assertEquals(read.plusSeconds(2), dead.get(1).getRecordTime());
    TestRecord<String, Step> step = series.readRecord();
    assertEquals(new Step("s1", Instant.parse("2000-06-05T00:00:00Z"), 1.0, 1), step.value());
    assertEquals(Instant.parse("2000-06-05T00:00:00Z"), step.getRecordTime(), "a step is stamped with its start");
  }

  @Test
  void shouldDeadLetterTheEventThatOverflowsAWindowAndEmitTheRestWhenSumIsTooLarge() {
    start(TestSpecs.withLimits(TestSpecs.spec(null, Duration.ofHours(1), Aggregation.SUM, Duration.ZERO), 1024, 65_536,
        Double.MAX_VALUE));
    send("a", event("2000-01-01T00:05:00Z", 1.7e308));
    String overflowing = event("2000-01-01T00:10:00Z", 1.7e308);
    send("a", overflowing);
    send("a", event("2000-01-01T00:20:00Z", -1e308));
    send("a", event("2000-01-01T01:00:00Z", 0));
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertEquals("overflow", header(r, DeadLetterProcessor.REASON));
    assertEquals(overflowing, new String(r.value(), StandardCharsets.UTF_8));
    assertEquals("field \"value\": 1.7E308 makes the sum of window 2000-01-01T00:00:00Z Infinity",
        header(r, DeadLetterProcessor.DETAIL));
    assertTrue(dlq.isEmpty());
    assertEquals(List.of(new Step("a", Instant.parse("2000-01-01T00:00:00Z"), 1.7e308 - 1e308, 2)),
        series.readValuesToList(), "as if the overflowing event had never been sent");
  }

  @Test
  void shouldEmitFiniteMeanWhenValuesAreInRangeButTheirSumIsNot() {
    start(TestSpecs.withLimits(TestSpecs.spec(null, Duration.ofHours(1), Aggregation.MEAN, Duration.ZERO), 1024,
        65_536, Double.MAX_VALUE));
    send("a", event("2000-01-01T00:05:00Z", 1.7e308));
    send("a", event("2000-01-01T00:10:00Z", 1.7e308));
    send("a", event("2000-01-01T00:15:00Z", 1.4e308));
    send("a", event("2000-01-01T01:00:00Z", 0));
    assertTrue(dlq.isEmpty());
    List<Step> out = series.readValuesToList();
    assertEquals(1, out.size());
    assertEquals(1.6e308, out.get(0).value(), 1e293);
  }

  @Test
  void shouldDeadLetterOutOfRangeValuesWithDefaultBoundWhenOneIs1e300() {
    start(TestSpecs.spec(null, Duration.ofHours(1), Aggregation.MEAN, Duration.ZERO));
    send("a", event("2000-01-01T00:05:00Z", 3));
    send("a", event("2000-01-01T00:06:00Z", 1e300));
    send("a", event("2000-01-01T00:07:00Z", 1.7e308));
    send("a", event("2000-01-01T01:00:00Z", 0));
    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertEquals(List.of("out-of-range", "out-of-range"), dead.stream()
        .map(r -> header(r, DeadLetterProcessor.REASON)).toList());
    assertEquals(List.of(new Step("a", Instant.parse("2000-01-01T00:00:00Z"), 3.0, 1)), series.readValuesToList());
  }

  @Test
  void shouldDeadLetterA400KbKeyCutToTheLimitsAndForecastTheRestWhenKeyedByField() {
    start(TestSpecs.spec("sensor", Duration.ofHours(1), Aggregation.MEAN, Duration.ZERO));
    String huge = "k".repeat(400_000);
    byte[] value = bytes("{\"sensor\":\"" + huge + "\",\"ts\":\"2000-01-01T00:30:00Z\",\"value\":9}");
    input.pipeInput(bytes("s1"), bytes("{\"sensor\":\"s1\",\"ts\":\"2000-01-01T00:10:00Z\",\"value\":1}"));
    input.pipeInput(bytes(huge), value);
    input.pipeInput(bytes("s1"), bytes("{\"sensor\":\"s1\",\"ts\":\"2000-01-01T00:20:00Z\",\"value\":3}"));
    input.pipeInput(bytes("s1"), bytes("{\"sensor\":\"s1\",\"ts\":\"2000-01-01T01:00:00Z\",\"value\":0}"));
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertEquals("key-too-long", header(r, DeadLetterProcessor.REASON));
    assertEquals(Integer.toString(400_000 + value.length), header(r, DeadLetterProcessor.ORIGINAL_SIZE));
    assertEquals(1024, r.key().length);
    assertEquals(65_536 - 1024, r.value().length);
    assertTrue(dlq.isEmpty());
    assertEquals(List.of(new Step("s1", Instant.parse("2000-01-01T00:00:00Z"), 2.0, 2)), series.readValuesToList());
  }

  @Test
  void shouldOverwriteTheDeadLetterHeadersAProducerForgedWhenItsRecordIsRefused() {
    start(TestSpecs.spec(null, Duration.ofHours(1), Aggregation.MEAN, Duration.ZERO));
    org.apache.kafka.common.header.internals.RecordHeaders forged =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    forged.add(DeadLetterProcessor.ORIGINAL_SIZE, bytes("999999999"));
    forged.add(DeadLetterProcessor.REASON, bytes("late"));
    forged.add("trace-id", bytes("abc"));
    input.pipeInput(new TestRecord<>(bytes("a"), bytes("{\"ts\":\"2000-01-01T00:00:00Z\"}"), forged));
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertEquals("missing-field", header(r, DeadLetterProcessor.REASON));
    assertEquals(1, java.util.stream.StreamSupport.stream(r.headers().headers(DeadLetterProcessor.REASON)
        .spliterator(), false).count(), "one reason, the pipeline's");
    assertEquals(null, header(r, DeadLetterProcessor.ORIGINAL_SIZE), "nothing was cut: no size header");
    assertEquals("abc", header(r, "trace-id"), "the producer's own headers stay");
  }

  @Test
  void shouldDeadLetterStrictInputCasesWithTheirReasonsWhenSentThroughTheTopology() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    String ok = "{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1}";
    input.pipeInput(bytes("a"), bytes("{\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1,\"value\":2}"));
    input.pipeInput(bytes("a"), bytes(ok + "{}"));
    input.pipeInput(bytes("a"), ok.getBytes(StandardCharsets.UTF_16));
    input.pipeInput(new byte[] {'a', (byte) 0xE9}, bytes(ok));
    input.pipeInput(bytes("a\u202Eb"), bytes(ok));
    input.pipeInput(bytes("a\u0000"), bytes(ok));
    assertEquals(List.of("duplicate-field", "trailing-data", "bad-encoding", "bad-encoding", "bad-key", "bad-key"),
        dlq.readRecordsToList().stream().map(r -> header(r, DeadLetterProcessor.REASON)).toList());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldKeyByJsonFieldAndReadEpochMillisWhenSpecNamesKeyField() {
    start(TestSpecs.spec("sensor", Duration.ofSeconds(10), Aggregation.MAX, Duration.ZERO));
    long t0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z, on the 10 s grid
    send(null, "{\"sensor\":\"s1\",\"ts\":" + (t0 + 1000) + ",\"value\":4}");
    send(null, "{\"sensor\":\"s2\",\"ts\":" + (t0 + 2000) + ",\"value\":5}");
    send(null, "{\"sensor\":\"s1\",\"ts\":" + (t0 + 3000) + ",\"value\":6}");
    send(null, "{\"sensor\":\"s1\",\"ts\":" + (t0 + 10000) + ",\"value\":0}");
    List<TestRecord<String, Step>> out = series.readRecordsToList();
    assertEquals(2, out.size());
    assertEquals(new Step("s1", Instant.ofEpochMilli(t0), 6.0, 2), out.get(0).value());
    assertEquals(new Step("s2", Instant.ofEpochMilli(t0), 5.0, 1), out.get(1).value());
  }

  @Test
  void shouldKeepOpenWindowsAndStreamTimeInStoresWhenWindowNotClosed() {
    start(TestSpecs.spec(null, Duration.ofMinutes(30), Aggregation.MEAN, Duration.ZERO));
    send("a", event("2000-06-05T00:00:00Z", 10));
    var windows = driver.<String, OpenWindows>getKeyValueStore(PipelineTopology.WINDOWS_STORE);
    var clock = driver.<String, Long>getKeyValueStore(PipelineTopology.CLOCK_STORE);
    assertEquals(1, windows.get("a").windows().size());
    assertEquals(Instant.parse("2000-06-05T00:00:00Z").toEpochMilli(), clock.get("stream-time"));
    send("a", event("2000-06-05T00:30:00Z", 10));
    assertEquals(Instant.parse("2000-06-05T00:30:00Z").toEpochMilli(),
        windows.get("a").windows().get(0).start(), "closed window removed, new one open");
    assertNull(driver.getKeyValueStore(PipelineTopology.WINDOWS_STORE).get("b"));
  }

  @Test
  void shouldMatchCommittedTopologyDescriptionWhenSpecIsUnchanged() throws Exception {
    // Guard against an accidental rename of a store, processor or internal topic (they are part of the
    // persisted state: changelog and repartition topics).
    String described = PipelineTopology.build(TestSpecs.spec("sensor", Duration.ofMinutes(1), Aggregation.MEAN,
        Duration.ZERO), PipelineObserver.NONE).describe().toString();
    assertTrue(described.contains(PipelineTopology.REPARTITION));
    assertTrue(described.contains(PipelineTopology.WINDOWS_STORE));
    assertTrue(Files.exists(stateDir));
  }
}
