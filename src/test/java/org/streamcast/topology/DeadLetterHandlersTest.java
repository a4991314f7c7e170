package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;
import org.streamcast.domain.PipelineObserver;

class DeadLetterHandlersTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  @TempDir Path stateDir;

  /** Counts dead letters by reason. */
  private static final class Counting implements PipelineObserver {
    final List<DeadLetterReason> reasons = new ArrayList<>();

    @Override
    public void deadLettered(DeadLetterReason reason) {
      reasons.add(reason);
    }
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** An error context for a record read at {@code topic}-2@17 with {@code value}. */
  private static ErrorHandlerContext context(String topic, byte[] key, byte[] value) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public int partition() {
        return 2;
      }

      @Override
      public long offset() {
        return 17;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders().add("trace", new byte[] {1});
      }

      @Override
      public String processorNodeId() {
        return "resample";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(1, 2);
      }

      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return key;
      }

      @Override
      public byte[] sourceRawValue() {
        return value;
      }
    };
  }

  private static DeadLetterHandlers.Processing processing(Counting counting) {
    DeadLetterHandlers.Processing h = new DeadLetterHandlers.Processing();
    h.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "p.dlq", DeadLetterHandlers.PIPELINE,
        "p", DeadLetterHandlers.OBSERVER, counting));
    return h;
  }

  @Test
  void shouldDeadLetterWithReasonHeadersAndCountWhenAProcessorThrows() {
    Counting counting = new Counting();
    ProcessingExceptionHandler.Response r = processing(counting).handleError(
        context("p.events", "k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)),
        new Record<>("k", "v", 0), new IllegalStateException("broken\nacross lines"));
    assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result());
    ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
    assertEquals("p.dlq", dead.topic());
    assertEquals("{}", new String(dead.value(), StandardCharsets.UTF_8));
    assertEquals("processing-error", header(dead.headers(), "streamcast.dlq.reason"));
    assertEquals("processing failed at resample: java.lang.IllegalStateException: broken across lines",
        header(dead.headers(), "streamcast.dlq.detail"));
    assertEquals("p.events", header(dead.headers(), "streamcast.dlq.topic"));
    assertEquals("2", header(dead.headers(), "streamcast.dlq.partition"));
    assertEquals("17", header(dead.headers(), "streamcast.dlq.offset"));
    assertEquals("p", header(dead.headers(), "streamcast.dlq.pipeline"));
    assertEquals(1, dead.headers().lastHeader("trace").value()[0], "the record's own headers stay");
    assertEquals(List.of(DeadLetterReason.PROCESSING_ERROR), counting.reasons);
  }

  @Test
  void shouldDeadLetterTheOriginalEventWhenTheFailedRecordCameFromTheRepartitionTopic() {
    byte[] internal = TopologySerdes.acceptedBinary().serializer().serialize("t", new Routed.Accepted(
        new Measurement("s-1", T0, new double[] {4}),
        new SourceRecord(null, "{\"key\":\"s-1\",\"value\":4}".getBytes(StandardCharsets.UTF_8), "p.events", 5, 99)));
    Counting counting = new Counting();
    ProducerRecord<byte[], byte[]> dead = processing(counting).handleError(
        context("app-events-by-key-repartition", "s-1".getBytes(StandardCharsets.UTF_8), internal),
        new Record<>("s-1", "v", 0), new IllegalStateException("x")).deadLetterQueueRecords().get(0);
    assertEquals("{\"key\":\"s-1\",\"value\":4}", new String(dead.value(), StandardCharsets.UTF_8));
    assertEquals(null, dead.key());
    assertEquals("p.events", header(dead.headers(), "streamcast.dlq.topic"));
    assertEquals("99", header(dead.headers(), "streamcast.dlq.offset"));
  }

  /**
   * A corrupt record on the pipeline's own repartition topic (a 16-byte record claiming a 2 GiB key): dead-lettered
   * with its reason and counted, and the events after it are processed.
   */
  @Test
  void shouldDeadLetterACorruptRepartitionRecordAndGoOnWhenItCannotBeDecoded() {
    PipelineSpec spec = TestSpecs.spec("key", Duration.ofHours(1), PipelineSpec.Aggregation.LAST, Duration.ZERO,
        List.of(2), 2, new Gaps(GapPolicy.IMPUTE, 2));
    Counting counting = new Counting();
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "app",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    try (TopologyTestDriver driver = new TopologyTestDriver(PipelineTopology.build(spec, counting),
        StreamsSettings.observed(props, counting))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(),
          new ByteArraySerializer());
      TestInputTopic<byte[], byte[]> repartition = driver.createInputTopic("app-events-by-key-repartition",
          new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(spec.output().deadLetters(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      TestOutputTopic<String, Forecast> forecasts = driver.createOutputTopic(spec.output().forecasts(),
          new StringDeserializer(), TopologySerdes.forecastJson().deserializer());
      byte[] poison = java.nio.ByteBuffer.allocate(16).put((byte) 1).putInt(Integer.MAX_VALUE).array();
      for (int h = 0; h < 4; h++) {
        if (h == 2) {
          repartition.pipeInput("a".getBytes(StandardCharsets.UTF_8), poison);
        }
        String json = "{\"key\":\"a\",\"ts\":\"" + T0.plus(Duration.ofHours(h)) + "\",\"value\":" + h + "}";
        input.pipeInput(null, json.getBytes(StandardCharsets.UTF_8));
      }
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertEquals(1, dead.size());
      assertEquals(16, dead.get(0).value().length, "the record as read");
      assertEquals("processing-error", header(dead.get(0).headers(), "streamcast.dlq.reason"));
      assertTrue(header(dead.get(0).headers(), "streamcast.dlq.detail").contains("length 2147483647 with 11 bytes"));
      assertEquals("app-events-by-key-repartition", header(dead.get(0).headers(), "streamcast.dlq.topic"));
      assertEquals(List.of(DeadLetterReason.PROCESSING_ERROR), counting.reasons);
      assertEquals(2, forecasts.readValuesToList().size(), "hours 1 and 2 forecast (season 2): nothing lost");
    }
  }
}
