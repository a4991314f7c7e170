package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;

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

  @Test
  void shouldRefuseASpecWhoseKeyStateCannotBeOneRecordWhenItsHistoryAndFieldsAreLarge() {
    // a week of minutes, a weekly lag and sixteen value fields: 20,160 steps × 16 doubles, 2.6 MB per key, which a
    // changelog record cannot carry (a pipeline that started would stop at the commit that first sends such a state,
    // and again at every restart)
    StringBuilder fields = new StringBuilder("value");
    for (int f = 1; f < 16; f++) {
      fields.append(", f").append(f);
    }
    PipelineSpec big = SpecLoader.parse("s.yaml", "name: s\ninput: {valueFields: [" + fields + "]}\n"
        + "window: {step: 1m, grace: 0}\nmodel: {horizon: 1, context: 10080, seasonalLags: [10080]}\n");
    long bound = KeyStateSerde.maxBytes(big);
    assertTrue(bound > 20_160L * 16 * 8, "the history of every field: " + bound);
    for (String guarantee : new String[] {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE}) {
      SpecException e = assertThrows(SpecException.class, () -> StreamsSettings.of(big,
          Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee)));
      assertTrue(e.getMessage().startsWith("s: model.context: 10080 with the longest seasonal lag (20160 steps of "
          + "history), 16 value fields, horizon 1 and 2 interval levels makes a key's state up to "), e.getMessage());
      assertTrue(e.getMessage().contains("more than the 1048576 a record may have here"), e.getMessage());
    }
    // a larger producer request alone is not enough: the changelog topic refuses the record too
    String needed = Long.toString(bound + 1024 + 2048);
    assertThrows(SpecException.class, () -> StreamsSettings.of(big, Map.of("producer.max.request.size", needed)));
    StreamsSettings.of(big, Map.of("producer.max.request.size", needed, "topic.max.message.bytes", needed));
    // the same history with one value field fits
    StreamsSettings.of(SpecLoader.parse("s.yaml", "name: s\nwindow: {step: 1m, grace: 0}\n"
        + "model: {horizon: 1, context: 10080, seasonalLags: [10080]}\n"), Map.of());
  }
}
