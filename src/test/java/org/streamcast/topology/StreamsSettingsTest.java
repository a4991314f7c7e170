package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;

class StreamsSettingsTest {
  private static final PipelineSpec SPEC = TestSpecs.spec("key", Duration.ofHours(1), PipelineSpec.Aggregation.MEAN,
      Duration.ZERO);

  @Test
  void shouldDeadLetterTooLargeSendsWithTheSpecsLimitsWhenConfigured() {
    Properties p = StreamsSettings.of(SPEC, Map.of());
    assertEquals(DeadLetterProductionHandler.class.getName(),
        p.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertEquals("test.dlq", p.get(DeadLetterProductionHandler.TOPIC));
    assertEquals(65_536, p.get(DeadLetterProductionHandler.MAX_COPY_BYTES_CONFIG));
    assertEquals(65_536 + 2048 + 2048, StreamsSettings.largestRecord(SPEC.input()));
    assertEquals(DeadLetterHandlers.Deserialization.class.getName(),
        p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG),
        "a corrupt repartition record is dead-lettered with a reason and counted");
  }

  @Test
  void shouldRefuseAProducerRequestSizeBelowTheLimitsWhenExactlyOnce() {
    SpecException e = assertThrows(SpecException.class,
        () -> StreamsSettings.of(SPEC, Map.of("producer.max.request.size", "50000")));
    assertEquals("test: input.maxRecordBytes: 65536 (with input.maxKeyBytes 1024) needs a producer max.request.size "
        + "of at least 69632 bytes under exactly-once, but it is 50000 (lower the limits or raise "
        + "producer.max.request.size)", e.getMessage());
    // at least once: the production exception handler dead-letters what does not fit
    StreamsSettings.of(SPEC, Map.of("producer.max.request.size", "50000",
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    StreamsSettings.of(SPEC, Map.of("max.request.size", "69632"));
  }
}
