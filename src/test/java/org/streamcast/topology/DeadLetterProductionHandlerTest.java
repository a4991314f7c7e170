package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.PipelineObserver;

class DeadLetterProductionHandlerTest {
  private final List<DeadLetterReason> counted = new ArrayList<>();

  private DeadLetterProductionHandler handler(int maxCopyBytes) {
    DeadLetterProductionHandler h = new DeadLetterProductionHandler();
    h.configure(Map.of(DeadLetterProductionHandler.PIPELINE, "p", DeadLetterProductionHandler.TOPIC, "p.dlq",
        DeadLetterProductionHandler.MAX_COPY_BYTES_CONFIG, maxCopyBytes,
        DeadLetterProductionHandler.OBSERVER, new PipelineObserver() {
          @Override
          public void deadLettered(DeadLetterReason reason) {
            counted.add(reason);
          }
        }));
    return h;
  }

  private static ErrorHandlerContext context(byte[] key, byte[] value) {
    return new ErrorHandlerContext() {
      public String topic() {
        return "p.events";
      }

      public int partition() {
        return 2;
      }

      public long offset() {
        return 41;
      }

      public Headers headers() {
        return new RecordHeaders();
      }

      public String processorNodeId() {
        return "parse-events";
      }

      public TaskId taskId() {
        return new TaskId(0, 2);
      }

      public long timestamp() {
        return 5L;
      }

      public byte[] sourceRawKey() {
        return key;
      }

      public byte[] sourceRawValue() {
        return value;
      }
    };
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldDeadLetterTheInputCutWithItsSizeAndResumeWhenARecordIsTooLargeToSend() {
    byte[] key = "k".repeat(300).getBytes(StandardCharsets.UTF_8);
    byte[] value = "v".repeat(5000).getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> big = new ProducerRecord<>("p-events-by-key-repartition", null, 7L, key,
        new byte[20_000]);
    ProductionExceptionHandler.Response response = handler(1024).handleError(context(key, value), big,
        new RecordTooLargeException("The message is 20330 bytes when serialized which is larger than 10000"));
    assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
    assertEquals(1, response.deadLetterQueueRecords().size());
    ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
    assertEquals("p.dlq", dlq.topic());
    assertEquals(300, dlq.key().length);
    assertEquals(1024 - 300, dlq.value().length);
    assertEquals("5300", header(dlq, DeadLetterProcessor.ORIGINAL_SIZE));
    assertEquals("too-large", header(dlq, DeadLetterProcessor.REASON));
    assertEquals("p.events", header(dlq, DeadLetterProcessor.TOPIC));
    assertEquals("2", header(dlq, DeadLetterProcessor.PARTITION));
    assertEquals("41", header(dlq, DeadLetterProcessor.OFFSET));
    assertEquals("p", header(dlq, DeadLetterProcessor.PIPELINE));
    assertTrue(header(dlq, DeadLetterProcessor.DETAIL).startsWith(
        "a record of 20300 bytes for topic p-events-by-key-repartition could not be sent: The message is 20330"),
        header(dlq, DeadLetterProcessor.DETAIL));
    assertEquals(List.of(DeadLetterReason.TOO_LARGE), counted);
  }

  @Test
  void shouldDeadLetterTheOriginalEventWithItsCoordinatesWhenARepartitionRecordIsTooLarge() {
    byte[] event = ("{\"key\":\"s1\",\"ts\":0,\"value\":1,\"pad\":\"" + "p".repeat(500) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    Routed.Accepted accepted = new Routed.Accepted(new org.streamcast.domain.Measurement("s1",
        java.time.Instant.EPOCH, new double[] {1}), new SourceRecord(null, event, "p.events", 3, 77L));
    byte[] repartition = TopologySerdes.acceptedBinary().serializer().serialize("x", accepted);
    ProducerRecord<byte[], byte[]> dlq = handler(65_536).handleError(context(null, null),
        new ProducerRecord<>("streamcast-p-events-by-key-repartition", "s1".getBytes(StandardCharsets.UTF_8),
            repartition), new RecordTooLargeException("big")).deadLetterQueueRecords().get(0);
    assertNull(dlq.key());
    assertEquals(new String(event, StandardCharsets.UTF_8), new String(dlq.value(), StandardCharsets.UTF_8));
    assertEquals("p.events", header(dlq, DeadLetterProcessor.TOPIC));
    assertEquals("3", header(dlq, DeadLetterProcessor.PARTITION));
    assertEquals("77", header(dlq, DeadLetterProcessor.OFFSET));
  }

  @Test
  void shouldCutTheCopyToHalfTheProducerRequestLimitWhenThatIsSmaller() {
    DeadLetterProductionHandler h = new DeadLetterProductionHandler();
    h.configure(Map.of(DeadLetterProductionHandler.TOPIC, "p.dlq", DeadLetterProductionHandler.MAX_COPY_BYTES_CONFIG,
        "65536", "producer.max.request.size", "12000"));
    ProducerRecord<byte[], byte[]> dlq = h.handleError(context(null, new byte[14_000]),
        new ProducerRecord<>("p-events-by-key-repartition", new byte[1], new byte[14_100]),
        new RecordTooLargeException("big")).deadLetterQueueRecords().get(0);
    assertEquals(6000, dlq.value().length);
    assertEquals("14000", header(dlq, DeadLetterProcessor.ORIGINAL_SIZE));
  }

  @Test
  void shouldKeepTheWholeInputWithoutSizeHeaderWhenItFits() {
    byte[] value = "{\"key\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> dlq = handler(1024).handleError(context(null, value),
        new ProducerRecord<>("p.forecasts", new byte[1], new byte[2_000_000]), new RecordTooLargeException("big"))
        .deadLetterQueueRecords().get(0);
    assertNull(dlq.key());
    assertEquals("{\"key\":\"a\"}", new String(dlq.value(), StandardCharsets.UTF_8));
    assertNull(header(dlq, DeadLetterProcessor.ORIGINAL_SIZE));
  }

  @Test
  void shouldDropWithoutLoopingWhenTheDeadLetterItselfIsTooLarge() {
    ProductionExceptionHandler.Response response = handler(1024).handleError(context(null, null),
        new ProducerRecord<>("p.dlq", new byte[1], new byte[2_000_000]), new RecordTooLargeException("big"));
    assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
    assertTrue(response.deadLetterQueueRecords().isEmpty());
    assertEquals(List.of(DeadLetterReason.TOO_LARGE), counted);
  }

  @Test
  void shouldFailWithoutADeadLetterWhenAStateChangelogRecordIsTooLarge() {
    // flushed at a commit, with no input record: a dead letter would lose the key's state without a trace
    ProductionExceptionHandler.Response response = handler(1024).handleError(context(null, null),
        new ProducerRecord<>("streamcast-p-forecast-key-state-changelog", new byte[1], new byte[2_000_000]),
        new RecordTooLargeException("big"));
    assertEquals(ProductionExceptionHandler.Result.FAIL, response.result());
    assertTrue(response.deadLetterQueueRecords().isEmpty());
    assertTrue(counted.isEmpty());
  }

  @Test
  void shouldFailAsKafkaDoesWhenTheErrorIsNotAboutSize() {
    ProductionExceptionHandler.Response response = handler(1024).handleError(context(null, null),
        new ProducerRecord<>("p.forecasts", new byte[1], new byte[1]), new TopicAuthorizationException("denied"));
    assertEquals(ProductionExceptionHandler.Result.FAIL, response.result());
    assertTrue(counted.isEmpty());
  }
}
