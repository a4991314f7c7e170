package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;
import org.streamcast.testing.TopicTail;
import org.streamcast.topology.PipelineTopology;

/**
 * Hostile input on the real broker, produced with a third-party client (kcat), one case per ingest row of the
 * hardening issue: a 400 KB key (C1, which used to crash-loop the client), 1e300 and two 1.7e308 in one window (H2),
 * an event 7 days ahead of stream time (H3), one from past the wall clock, and every strict-input class (duplicate
 * fields, trailing data, UTF-16 and invalid bytes, control, newline and bidi characters in keys, invalid UTF-8 record
 * keys that a lossy decoding would make collide, a record above the size limit), plus a record that passes the limits
 * but makes a repartition record too large for the producer (the production exception handler). Four small pipelines
 * in one application serve the seasonal-naive baseline: keyed by a JSON field (repartitioned), keyed by the record
 * key, keyed by a field summing each step's events with any finite value allowed (where two 1.7e308 overflow), and
 * keyed by a field with a producer request limit of 12,000 bytes under at-least-once (under exactly-once a
 * failed send aborts the transaction whatever the handler says, so there the limits must fit the producer, which
 * {@link org.streamcast.topology.StreamsSettings} checks at start).
 *
 * <p>For each: the pipeline keeps running, the record is in the dead-letter topic once with the right reason and a
 * detail, the counters match reason by reason, and the honest events around the hostile ones forecast exactly as a
 * run that never saw them. Then the application is restarted on the same state and serves again: nothing is read
 * into the same failure twice, and the honest events sent after the restart forecast as the clean run does too.
 */
@ExtendWith(KafkaExtension.class)
class HostileInputIT {
  private static final Logger LOG = LoggerFactory.getLogger(HostileInputIT.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Instant FIRST_PART = Instant.parse("2012-02-15T00:00:00Z");
  private static final Instant END = Instant.parse("2012-03-01T00:00:00Z");
  private static final long DAY = Duration.ofDays(1).toMillis();
  /** Honest rows before a burst of hostile ones (rows are in event-time order: the stream time there is known). */
  private static final int BURST_AFTER = 20;

  /** One record to send: key and value bytes, and for a hostile one its reason and a part of its detail. */
  private record Line(byte[] key, byte[] value, DeadLetterReason reason, String detail, String row) {
    static Line honest(Observation o) {
      return new Line(utf8(o.key()), utf8(EventProducer.json(o)), null, null, null);
    }
  }

  /** A pipeline under attack: its spec and what is sent to it, in order. */
  private record Target(PipelineSpec spec, List<Line> before, List<Line> after) {}

  @Test
  void shouldDeadLetterEveryHostileRecordAndForecastTheRestAsACleanRunWhenAttackedAndRestarted(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String base = TestKafka.uniqueName("hostile").replace('_', '-');
    List<Observation> first = WeatherProof.rows(FIRST_PART);
    List<Observation> all = WeatherProof.rows(END);
    List<Observation> second = all.subList(first.size(), all.size());
    long streamTime = first.stream().mapToLong(o -> o.time().toEpochMilli()).max().orElseThrow();

    PipelineSpec keyed = WeatherProof.keyedSpec(base + "-field");
    PipelineSpec recordKeyed = WeatherProof.spec(base + "-record");
    PipelineSpec limited = SpecLoader.parse("limited.yaml", WeatherProof.SPEC.replace("NAME", base + "-limited")
        .replace("input: {keyField: null}", "input: {maxRecordBytes: 16384}")
        + "runtime: {processingGuarantee: at_least_once, kafka: {producer.max.request.size: 12000}}\n");
    PipelineSpec summing = SpecLoader.parse("summing.yaml", WeatherProof.SPEC.replace("NAME", base + "-sum")
        .replace("input: {keyField: null}", "input: {maxAbsValue: 1.7976931348623157e308}")
        .replace("aggregation: last", "aggregation: sum"));
    List<Target> targets = List.of(
        new Target(keyed, mixed(first, fieldKeyedCases(streamTime)), mixed(second, List.of(c1(base + "-after")))),
        new Target(recordKeyed, mixed(first, recordKeyedCases(streamTime)), mixed(second, List.of())),
        new Target(limited, mixed(first, List.of(tooLargeToSend(first.get(first.size() - 1)))),
            mixed(second, List.of())),
        new Target(summing, burst(first, overflowCases(first.get(BURST_AFTER).time())), mixed(second, List.of())));
    for (Target t : targets) {
      kafka.createTopic(PipelineTopics.keepBySize(TopicSpec.of(t.spec().input().topic(), 1)));
    }
    Forecaster model = PipelineTopology.baseline(keyed);
    Map<String, double[]> firstReference = reference(keyed, model, first);
    Map<String, double[]> reference = reference(keyed, model, all);
    int hostile = 0;

    // Part one: honest and hostile records, in order
    try (StreamcastApp app = start(kafka, state, targets, model)) {
      for (Target t : targets) {
        Kcat.produce(kafka.bootstrapServers(), t.spec().input().topic(), lines(t.before()));
      }
      for (Target t : targets) {
        hostile += assertSurvived(kafka, app, t, t.before(), 0, firstReference, model);
      }
    }
    // Part two: a restart on the same state and offsets starts, serves, and forecasts the rest as the clean run
    try (StreamcastApp app = start(kafka, state, targets, model)) {
      Await.await(app::isReady, WAIT, "pipelines running again after the restart");
      for (Target t : targets) {
        Kcat.produce(kafka.bootstrapServers(), t.spec().input().topic(), lines(t.after()));
      }
      for (Target t : targets) {
        hostile += assertSurvived(kafka, app, t, t.after(), t.before().size(), reference, model);
      }
    }
    LOG.info("{} hostile records in {} pipelines: each dead-lettered with its reason, no client failed, {} honest "
        + "events forecast as a clean run", hostile, targets.size(), all.size() * targets.size());
  }

  /**
   * The clean run's forecasts when {@code rows} are streamed: every step whose window closes, which is every step
   * before the newest event time (grace 0), also a key's last step when that key has no event on the newest day.
   */
  private static Map<String, double[]> reference(PipelineSpec spec, Forecaster model, List<Observation> rows) {
    Instant newest = rows.stream().map(Observation::time).max(Instant::compareTo).orElseThrow();
    Map<String, Instant> last = new LinkedHashMap<>();
    rows.forEach(o -> last.merge(o.key(), o.time(), (a, b) -> a.isAfter(b) ? a : b));
    List<Observation> withEnds = new ArrayList<>(rows);
    // WeatherProof.reference leaves out each key's last row: a row at the newest time stands in for a key without one
    last.forEach((key, time) -> {
      if (time.isBefore(newest)) {
        withEnds.add(new Observation(key, newest, 0));
      }
    });
    return WeatherProof.reference(spec, model, withEnds);
  }

  private static StreamcastApp start(TestKafka kafka, Path state, List<Target> targets, Forecaster model)
      throws Exception {
    List<StreamcastApp.Pipeline> pipelines = new ArrayList<>();
    for (Target t : targets) {
      RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), t.spec().runtime(), Map.of(),
          new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
      pipelines.add(new StreamcastApp.Pipeline(t.spec(), settings, model));
    }
    StreamcastApp app = StreamcastApp.start(pipelines);
    Await.await(app::isReady, WAIT, "pipelines running");
    return app;
  }

  /**
   * Waits for the forecasts and dead letters of {@code sent} (the input's offsets from {@code firstOffset}), then
   * asserts the dead letters, the counters and the forecasts; returns how many records were hostile.
   */
  private static int assertSurvived(TestKafka kafka, StreamcastApp app, Target t, List<Line> sent, int firstOffset,
      Map<String, double[]> reference, Forecaster model) throws Exception {
    PipelineSpec spec = t.spec();
    String name = spec.name();
    Map<Long, Line> hostileAt = new LinkedHashMap<>();
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).reason() != null) {
        hostileAt.put((long) firstOffset + i, sent.get(i));
      }
    }
    int deadBefore = (int) t.before().stream().filter(l -> l.reason() != null).count();
    int expectedDead = firstOffset == 0 ? hostileAt.size() : deadBefore + hostileAt.size();
    try (TopicTail dlq = TopicTail.open(kafka, spec.output().deadLetters(), IsolationLevel.READ_COMMITTED);
         TopicTail forecasts = TopicTail.open(kafka, spec.output().forecasts(), IsolationLevel.READ_COMMITTED)) {
      forecasts.awaitCount(n -> n >= reference.size(), WAIT, name + ": " + reference.size() + " forecasts");
      dlq.awaitCount(n -> n >= expectedDead, WAIT, name + ": " + expectedDead + " dead letters");
      assertTrue(app.isReady(), name + " still running");
      assertFalse(app.hasFailed(), "no client failed");
      assertEquals(200, WeatherProof.get(app.httpPort(), "/health").statusCode());

      Map<DeadLetterReason, Integer> expected = new EnumMap<>(DeadLetterReason.class);
      int seen = 0;
      for (ConsumerRecord<byte[], byte[]> r : dlq.records()) {
        long offset = Long.parseLong(header(r, "streamcast.dlq.offset"));
        if (offset < firstOffset) {
          continue;
        }
        Line l = hostileAt.get(offset);
        assertNotNull(l, name + ": a dead letter for offset " + offset + ", which held an honest event");
        String what = name + " " + l.row() + " at offset " + offset;
        assertEquals(l.reason().wireName(), header(r, "streamcast.dlq.reason"), what);
        assertTrue(header(r, "streamcast.dlq.detail").contains(l.detail()),
            what + ": detail " + header(r, "streamcast.dlq.detail"));
        assertEquals(spec.input().topic(), header(r, "streamcast.dlq.topic"), what);
        assertEquals(name, header(r, "streamcast.dlq.pipeline"), what);
        int size = l.key().length + l.value().length;
        String originalSize = header(r, "streamcast.dlq.original-size");
        if (originalSize == null) {
          assertEquals(new String(l.value(), StandardCharsets.ISO_8859_1),
              new String(r.value(), StandardCharsets.ISO_8859_1), what + ": value unchanged");
        } else {
          assertEquals(size, Integer.parseInt(originalSize), what + ": original size");
          assertTrue(r.key().length + r.value().length <= spec.input().maxRecordBytes(), what + ": cut to the limit");
        }
        expected.merge(l.reason(), 1, Integer::sum);
        seen++;
      }
      assertEquals(hostileAt.size(), seen, name + ": every hostile record dead-lettered once");

      // counters, reason by reason (they restart from zero with the process)
      String metrics = WeatherProof.get(app.httpPort(), "/metrics").body();
      for (DeadLetterReason reason : DeadLetterReason.values()) {
        assertEquals(expected.getOrDefault(reason, 0), (int) counter(metrics, name, reason.wireName()),
            name + ": streamcast_dead_letters_total{reason=\"" + reason.wireName() + "\"}");
      }
      forecasts.readToEnd(Duration.ofSeconds(10));
      List<ConsumerRecord<byte[], byte[]>> honest = forecasts.records().stream()
          .filter(r -> !new String(r.key(), StandardCharsets.UTF_8).startsWith("fz-")).toList();
      double worst = WeatherProof.assertEqualsReference(honest, reference, model.version());
      assertSeriesFinite(kafka, spec);
      LOG.info("{}: {} hostile records by reason {}; largest difference from a clean run {}", name, seen, expected,
          worst);
      return seen;
    }
  }

  /** The honest rows with the hostile records all sent together after honest row {@value #BURST_AFTER}. */
  private static List<Line> burst(List<Observation> honest, List<Line> hostile) {
    List<Line> out = new ArrayList<>();
    for (int i = 0; i < honest.size(); i++) {
      out.add(Line.honest(honest.get(i)));
      if (i == BURST_AFTER) {
        out.addAll(hostile);
      }
    }
    return out;
  }

  /** The series topic never carries a number that is not finite (the text Infinity or NaN). */
  private static void assertSeriesFinite(TestKafka kafka, PipelineSpec spec) {
    try (TopicTail series = TopicTail.open(kafka, spec.output().series(), IsolationLevel.READ_COMMITTED)) {
      series.readToEnd(Duration.ofSeconds(10));
      assertFalse(series.records().isEmpty(), spec.name() + ": series steps");
      for (ConsumerRecord<byte[], byte[]> r : series.records()) {
        String step = new String(r.value(), StandardCharsets.UTF_8);
        assertFalse(step.contains("Infinity") || step.contains("NaN"), spec.name() + ": " + step);
      }
    }
  }

  /** The honest rows with the hostile records spread evenly among them (after the first honest day). */
  private static List<Line> mixed(List<Observation> honest, List<Line> hostile) {
    List<Line> out = new ArrayList<>();
    int every = Math.max(1, (honest.size() - 20) / Math.max(1, hostile.size()));
    int h = 0;
    for (int i = 0; i < honest.size(); i++) {
      out.add(Line.honest(honest.get(i)));
      if (i >= 20 && (i - 20) % every == 0 && h < hostile.size()) {
        out.add(hostile.get(h++));
      }
    }
    while (h < hostile.size()) {
      out.add(hostile.get(h++));
    }
    return out;
  }

  private static byte[] lines(List<Line> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Line l : lines) {
      out.writeBytes(l.key());
      out.write('=');
      out.writeBytes(l.value());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static final String KEY = "Seattle/wind";
  private static final String TS = "\"2012-01-10T00:00:00Z\"";

  private static String event(String key, String ts, String value) {
    return "{\"key\":" + key + ",\"ts\":" + ts + ",\"value\":" + value + "}";
  }

  private static Line line(String row, String key, String value, DeadLetterReason reason, String detail) {
    return new Line(utf8(key), utf8(value), reason, detail, row);
  }

  /** C1: a 400 KB record key and series key (the broker takes up to 1 MiB). */
  private static Line c1(String row) {
    String huge = "k".repeat(400_000);
    return line("C1 " + row, huge, event("\"" + huge + "\"", TS, "1"), DeadLetterReason.KEY_TOO_LONG,
        "record key is 400000 bytes, above input.maxKeyBytes (1024)");
  }

  /** The cases of a pipeline keyed by the events' {@code key} field; {@code streamTime}: where they are sent. */
  private static List<Line> fieldKeyedCases(long streamTime) {
    String q = "\"" + KEY + "\"";
    String now = "\"" + Instant.ofEpochMilli(streamTime) + "\"";
    List<Line> c = new ArrayList<>();
    c.add(c1("400 KB key"));
    c.add(line("H2 1e300", KEY, event(q, now, "1e300"), DeadLetterReason.OUT_OF_RANGE,
        "field \"value\": 1.0E300 is beyond input.maxAbsValue (1.0E15)"));
    c.add(line("H2 first 1.7e308", KEY, event(q, now, "1.7e308"), DeadLetterReason.OUT_OF_RANGE, "1.7E308"));
    c.add(line("H2 second 1.7e308", KEY, event(q, now, "1.7e308"), DeadLetterReason.OUT_OF_RANGE, "1.7E308"));
    c.add(line("H3 7 days ahead", KEY, event(q, "\"" + Instant.ofEpochMilli(streamTime + 7 * DAY) + "\"", "3"),
        DeadLetterReason.TIME_SKEW, "is more than window.maxSkew (5d) ahead of stream time"));
    c.add(line("past the wall clock", KEY, event(q, "\"" + Instant.now().plus(Duration.ofHours(3)) + "\"", "3"),
        DeadLetterReason.FUTURE_TIME, "is more than window.maxFuture (1h) past the wall clock"));
    c.add(line("duplicate field", KEY, "{\"key\":" + q + ",\"ts\":" + TS + ",\"value\":1,\"value\":2}",
        DeadLetterReason.DUPLICATE_FIELD, "field \"value\" appears more than once"));
    c.add(line("duplicate key field", KEY, "{\"key\":\"x\",\"key\":" + q + ",\"ts\":" + TS + ",\"value\":1}",
        DeadLetterReason.DUPLICATE_FIELD, "field \"key\" appears more than once"));
    c.add(line("trailing garbage", KEY, event(q, TS, "1") + "garbage", DeadLetterReason.TRAILING_DATA,
        "text after the JSON object"));
    c.add(line("two objects", KEY, event(q, TS, "1") + event(q, TS, "2"), DeadLetterReason.TRAILING_DATA,
        "more than one JSON value"));
    c.add(new Line(utf8(KEY), event(q, TS, "1").getBytes(StandardCharsets.UTF_16LE), DeadLetterReason.BAD_ENCODING,
        "a NUL byte at 1", "UTF-16LE"));
    c.add(new Line(utf8(KEY), event(q, TS, "1").getBytes(StandardCharsets.UTF_16), DeadLetterReason.BAD_ENCODING,
        "UTF-16 byte-order mark", "UTF-16 with BOM"));
    byte[] invalid = utf8(event("\"Seattle/wind\"", TS, "1"));
    invalid[10] = (byte) 0xFF;
    c.add(new Line(utf8(KEY), invalid, DeadLetterReason.BAD_ENCODING, "invalid byte sequence at 10: ff",
        "invalid UTF-8"));
    c.add(line("NUL in key", KEY, event("\"Seattle/wind\\u0000\"", TS, "1"), DeadLetterReason.BAD_KEY, "U+0000"));
    c.add(line("newline in key", KEY, event("\"Seattle/wind\\nforged log line\"", TS, "1"), DeadLetterReason.BAD_KEY,
        "U+000A"));
    c.add(line("U+202E in key", KEY, event("\"Seattle/dniw\u202E\"", TS, "1"), DeadLetterReason.BAD_KEY, "U+202E"));
    c.add(line("U+2066 in key", KEY, event("\"\u2066Seattle/wind\"", TS, "1"), DeadLetterReason.BAD_KEY, "U+2066"));
    c.add(line("lone surrogate in key", KEY, event("\"Seattle/wind\\uDC00\"", TS, "1"), DeadLetterReason.BAD_KEY,
        "U+DC00"));
    c.add(line("record of 100 KB", KEY, event(q, TS, "1").replace("}", ",\"pad\":\"" + "p".repeat(100_000) + "\"}"),
        DeadLetterReason.TOO_LARGE, "above input.maxRecordBytes (65536)"));
    return c;
  }

  /** The cases of a pipeline whose series key is the record key. */
  private static List<Line> recordKeyedCases(long streamTime) {
    String value = "{\"ts\":\"" + Instant.ofEpochMilli(streamTime) + "\",\"value\":1}";
    List<Line> c = new ArrayList<>();
    // Two keys a lossy decoding would both read as "Seattle/w\uFFFDnd": neither may be taken for the other.
    for (byte b : new byte[] {(byte) 0xE9, (byte) 0xFF}) {
      byte[] key = utf8(KEY);
      key[9] = b;
      c.add(new Line(key, utf8(value), DeadLetterReason.BAD_ENCODING, "record key is not strict UTF-8 text",
          "invalid UTF-8 record key"));
    }
    c.add(line("U+202E record key", "Seattle/\u202Ewind", value, DeadLetterReason.BAD_KEY, "U+202E"));
    c.add(line("tab record key", "Seattle\twind", value, DeadLetterReason.BAD_KEY, "U+0009"));
    c.add(line("C1 400 KB record key", "k".repeat(400_000), value, DeadLetterReason.KEY_TOO_LONG,
        "record key is 400000 bytes"));
    return c;
  }

  /**
   * H2 where the spec allows any finite value and sums a step's events: the first 1.7e308 of a key of its own is
   * accepted, the second would make the window's sum infinite and is dead-lettered ({@code overflow}); the step
   * carries the first alone.
   */
  private static List<Line> overflowCases(Instant streamTime) {
    String ts = "\"" + streamTime + "\"";
    return List.of(
        line("H2 first 1.7e308 (accepted)", "fz-big", event("\"fz-big\"", ts, "1.7e308"), null, null),
        line("H2 second 1.7e308", "fz-big", event("\"fz-big\"", ts, "1.7e308"), DeadLetterReason.OVERFLOW,
            "field \"value\": 1.7E308 makes the sum of window"));
  }

  /**
   * A valid event for an honest key, 14 KB with a padding field: within the pipeline's 16 KiB limit, but its
   * repartition record is too large for the producer's 12,000-byte requests.
   */
  private static Line tooLargeToSend(Observation last) {
    String json = "{\"key\":\"" + last.key() + "\",\"ts\":\"" + last.time() + "\",\"value\":1,\"pad\":\""
        + "p".repeat(14_000) + "\"}";
    return line("too large to send", last.key(), json, DeadLetterReason.TOO_LARGE, "could not be sent");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static double counter(String metrics, String pipeline, String reason) {
    String labels = "pipeline=\"" + pipeline + "\",reason=\"" + reason + "\"";
    Matcher m = Pattern.compile("(?m)^streamcast_dead_letters_total\\{" + Pattern.quote(labels) + "} (\\S+)$")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
