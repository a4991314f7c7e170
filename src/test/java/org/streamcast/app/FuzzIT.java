package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;
import org.streamcast.testing.TopicTail;

/**
 * Fuzz: 10,000 malformed records from a seeded generator ({@link MalformedRecords}) and 10,000 random and mutated
 * events ({@link MutatedEvents}: bit flips, truncations, splices of valid events, huge, tiny and odd numbers, odd
 * Unicode, oversized keys), scattered among the good events of a pipeline serving a trained GRU. The pipeline stays
 * up and no client fails; every record is accounted for: each rejected one is in the dead-letter topic once, byte for
 * byte (cut to the input limits when it was refused for its size), with the reason it deserves and the topic,
 * partition and offset it came from, and each accepted one is counted as input; the dead-letter counters add up by
 * reason; and the good events' forecasts are the ones a clean run makes.
 */
@ExtendWith(KafkaExtension.class)
class FuzzIT {
  private static final Logger LOG = LoggerFactory.getLogger(FuzzIT.class);
  private static final int BAD = 10_000;
  private static final int MUTATED = 10_000;
  private static final long SEED = 20_120_301L;
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Instant END = Instant.parse("2012-05-01T00:00:00Z");

  private static Forecaster model;
  private static List<Observation> good;
  private static Map<String, double[]> reference;

  @BeforeAll
  static void trainModelAndReference() {
    PipelineSpec spec = WeatherProof.keyedSpec("fuzz");
    good = WeatherProof.rows(END);
    model = WeatherProof.serving(WeatherProof.model());
    reference = WeatherProof.reference(spec, model, good);
  }

  @Test
  void shouldDeadLetterEveryMalformedRecordAndForecastTheRestAsCleanRunWhenFuzzed(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("fuzz").replace('_', '-');
    PipelineSpec spec = WeatherProof.keyedSpec(name);
    // one input partition: the repartition by key then keeps the produced order, so stream time is known
    kafka.createTopic(PipelineTopics.keepBySize(TopicSpec.of(spec.input().topic(), 1)));
    List<Sent> records = mix(spec);
    List<Sent> sentBad = records.stream().filter(r -> r.variant() != null).toList();

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings, model)));
         TopicTail dlq = TopicTail.open(kafka, spec.output().deadLetters(), IsolationLevel.READ_COMMITTED);
         TopicTail forecasts = TopicTail.open(kafka, spec.output().forecasts(), IsolationLevel.READ_COMMITTED)) {
      Await.await(app::isReady, WAIT, "pipeline running");
      Map<Long, Sent> badAt = produce(kafka, records);
      int dead = (int) sentBad.stream().filter(r -> r.reason() != null).count();

      Await.await(() -> {
        forecasts.poll();
        return honest(forecasts.records()).size() >= reference.size();
      }, WAIT, reference.size() + " committed forecasts of the good keys");
      dlq.awaitCount(n -> n >= dead, WAIT, dead + " committed dead letters");
      assertTrue(app.isReady(), "still RUNNING");
      assertFalse(app.hasFailed());
      HttpResponse<String> health = WeatherProof.get(app.httpPort(), "/health");
      assertEquals(200, health.statusCode());
      assertEquals("{\"status\":\"UP\"}", health.body());
      assertEquals(200, WeatherProof.get(app.httpPort(), "/ready").statusCode());

      // every bad record once, unchanged, with its reason and coordinates
      Map<DeadLetterReason, Integer> expected = new EnumMap<>(DeadLetterReason.class);
      sentBad.stream().filter(b -> b.reason() != null).forEach(b -> expected.merge(b.reason(), 1, Integer::sum));
      Map<Long, Integer> seen = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : dlq.records()) {
        long offset = Long.parseLong(header(r, "streamcast.dlq.offset"));
        Sent b = badAt.get(offset);
        assertTrue(b != null, "a dead letter for offset " + offset + ", which held a good event");
        String what = b.variant() + " at offset " + offset;
        assertTrue(b.reason() != null, what + ": a dead letter for a record the parser accepts");
        assertEquals(b.reason().wireName(), header(r, "streamcast.dlq.reason"), what);
        assertEquals(1, count(r, "streamcast.dlq.reason"), what + ": one reason header");
        assertEquals(spec.input().topic(), header(r, "streamcast.dlq.topic"), what);
        assertEquals("0", header(r, "streamcast.dlq.partition"), what);
        assertEquals(name, header(r, "streamcast.dlq.pipeline"), what);
        assertFalse(header(r, "streamcast.dlq.detail").isBlank(), what + ": a detail");
        byte[] key = b.record().key();
        byte[] value = b.record().value();
        String originalSize = header(r, "streamcast.dlq.original-size");
        if (originalSize == null) {
          assertArrayEquals(key, r.key(), what + ": key unchanged");
          assertArrayEquals(value, r.value(), what + ": value unchanged");
        } else {
          assertEquals(len(key) + len(value) + headerBytes(b.record()), Long.parseLong(originalSize), what);
          assertArrayEquals(key == null ? null : Arrays.copyOf(key, len(r.key())), r.key(), what + ": key cut");
          assertArrayEquals(value == null ? null : Arrays.copyOf(value, len(r.value())), r.value(),
              what + ": value cut");
          assertTrue(len(r.key()) + len(r.value()) <= spec.input().maxRecordBytes(), what + ": within the limit");
        }
        seen.merge(offset, 1, Integer::sum);
      }
      assertEquals(dead, seen.size(), "every rejected record dead-lettered");
      assertTrue(seen.values().stream().allMatch(n -> n == 1), "each once");

      // the counters add up, reason by reason
      String metrics = WeatherProof.get(app.httpPort(), "/metrics").body();
      Map<DeadLetterReason, Integer> counted = new EnumMap<>(DeadLetterReason.class);
      for (DeadLetterReason reason : DeadLetterReason.values()) {
        int n = (int) counter(metrics, "streamcast_dead_letters_total", name, reason.wireName());
        if (n > 0 || expected.containsKey(reason)) {
          counted.put(reason, n);
        }
      }
      assertEquals(expected, counted);
      assertEquals(dead, counted.values().stream().mapToInt(Integer::intValue).sum());
      int acceptedMutations = (int) sentBad.stream().filter(b -> b.reason() == null).count();
      assertEquals(good.size() + acceptedMutations, (int) counter(metrics, "streamcast_records_in_total", name, null),
          "accepted into a window: the good events and the valid mutations, not the well-formed ones that are late or "
          + "ahead (those are dead letters only)");
      assertEquals(sentBad.size(), dead + acceptedMutations, "every record accounted for");

      // the good events' forecasts are the clean run's
      int total = forecasts.readToEnd(Duration.ofSeconds(30));
      double worst = WeatherProof.assertEqualsReference(honest(forecasts.records()), reference, model.version());
      LOG.info("{} malformed and {} mutated records ({} accepted as input of keys of their own), dead letters by "
          + "reason {}; {} good events, {} forecasts; no client failed; largest difference from a clean run {}",
          BAD, MUTATED, acceptedMutations, new TreeMap<>(expected), good.size(), total, worst);
    }
  }

  /**
   * A record to send and, for a malformed or mutated one, its variant and the reason it must get (null: a valid
   * mutation, accepted).
   */
  private record Sent(ProducerRecord<byte[], byte[]> record, String variant, DeadLetterReason reason) {}

  /**
   * The good events in time order with the malformed and mutated records scattered among them (a few malformed ones
   * before the first good one; mutated ones only once a stream time exists).
   */
  private static List<Sent> mix(PipelineSpec spec) {
    String topic = spec.input().topic();
    Random random = new Random(SEED);
    int[] before = new int[good.size() + 1]; // malformed records just before good event i (the last: after all)
    int[] mutatedBefore = new int[good.size() + 1];
    for (int i = 0; i < BAD; i++) {
      before[random.nextInt(before.length)]++;
    }
    for (int i = 0; i < MUTATED; i++) {
      mutatedBefore[1 + random.nextInt(before.length - 1)]++;
    }
    MalformedRecords generator = new MalformedRecords(SEED);
    MutatedEvents mutator = new MutatedEvents(SEED, spec,
        good.stream().map(Observation::key).collect(java.util.stream.Collectors.toSet()));
    List<Sent> records = new ArrayList<>();
    long streamTime = Long.MIN_VALUE;
    String recentKey = null; // a key with its window at stream time
    for (int i = 0; i <= good.size(); i++) {
      for (int j = 0; j < before[i]; j++) {
        MalformedRecords.Bad b = generator.next(streamTime, recentKey);
        records.add(new Sent(new ProducerRecord<>(topic, 0, null, b.key(), b.value(), b.headers()), b.variant(),
            MalformedRecords.expected(b)));
      }
      for (int j = 0; j < mutatedBefore[i]; j++) {
        MutatedEvents.Mutated m = mutator.next(streamTime);
        records.add(new Sent(new ProducerRecord<>(topic, 0, null, m.key(), m.value()), "mutated: " + m.variant(),
            m.reason()));
      }
      if (i < good.size()) {
        Observation o = good.get(i);
        if (o.time().toEpochMilli() >= streamTime) {
          recentKey = o.key();
        }
        streamTime = Math.max(streamTime, o.time().toEpochMilli());
        records.add(new Sent(new ProducerRecord<>(topic, 0, o.time().toEpochMilli(),
            o.key().getBytes(StandardCharsets.UTF_8), EventProducer.json(o).getBytes(StandardCharsets.UTF_8)), null,
            null));
      }
    }
    return records;
  }

  /** The forecasts of the good keys (valid mutations have keys of their own, which may forecast too). */
  private static List<ConsumerRecord<byte[], byte[]>> honest(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().filter(r -> !new String(r.key(), StandardCharsets.UTF_8).startsWith("fz-")).toList();
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static long headerBytes(ProducerRecord<byte[], byte[]> r) {
    long n = 0;
    for (Header h : r.headers()) {
      n += h.key().length() + len(h.value());
    }
    return n;
  }

  /** Sends every record in order; returns the malformed and mutated records by offset. */
  private static Map<Long, Sent> produce(TestKafka kafka, List<Sent> records) throws Exception {
    Map<String, Object> props = kafka.producerProps();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (Sent r : records) {
        acks.add(producer.send(r.record()));
      }
      producer.flush();
    }
    Map<Long, Sent> badAt = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).variant() != null) {
        badAt.put(acks.get(i).get().offset(), records.get(i));
      }
    }
    assertEquals(BAD + MUTATED, badAt.size());
    return badAt;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static int count(ConsumerRecord<byte[], byte[]> r, String name) {
    int n = 0;
    for (Header h : r.headers().headers(name)) {
      n += h == null ? 0 : 1;
    }
    return n;
  }

  /** A counter's value in the Prometheus text; {@code reason} null for a counter tagged with the pipeline only. */
  private static double counter(String metrics, String metric, String pipeline, String reason) {
    String labels = "pipeline=\"" + pipeline + "\"" + (reason == null ? "" : ",reason=\"" + reason + "\"");
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{" + Pattern.quote(labels) + "} (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
