package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.SchemaCheck;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.TopicSchemas;

/**
 * The topic schemas ({@code streamcast schema}) hold for real records read back from the broker: the events the
 * pipeline accepted, its series steps, its forecasts (with interval bands) and its dead letters' headers; and the
 * events it refused for their content fail the events schema at the field it named.
 */
@ExtendWith(KafkaExtension.class)
class TopicSchemasIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldValidateEveryRecordTypeWhenReadBackFromTheBroker(TestKafka kafka, @TempDir Path state)
      throws Exception {
    String name = TestKafka.uniqueName("schemas").replace('_', '-');
    PipelineSpec spec = PipelineIT.spec(name);
    Map<String, ObjectNode> schemas = TopicSchemas.of(spec);
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    int hours = 30;
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
      List<KeyValue<String, String>> events = new ArrayList<>();
      for (int h = 0; h < hours; h++) {
        for (String key : List.of("s-1", "s-2")) {
          double v = key.equals("s-1") ? 10 + (h % 5) : 100 + 2 * (h % 7);
          // both time formats of timeFormat auto
          String ts = h % 2 == 0 ? "\"" + t0.plusSeconds(3600L * h) + "\"" : Long.toString(
              t0.plusSeconds(3600L * h).toEpochMilli());
          events.add(KeyValue.pair(key, "{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"value\":" + v + "}"));
        }
        if (h == 3) {
          events.add(KeyValue.pair("s-1", "{\"key\":\"s-1\",\"ts\":\"2024-03-01T03:10:00Z\",\"value\":\"oops\"}"));
          events.add(KeyValue.pair("s-2", "{\"key\":\"s-2\",\"value\":4}"));
        }
      }
      events.add(KeyValue.pair("s-2", "{\"key\":\"s-2\",\"ts\":\"2024-03-01T00:30:00Z\",\"value\":4}")); // late
      kafka.produce(spec.input().topic(), events);

      List<ConsumerRecord<String, String>> dlq = kafka.consume(spec.output().deadLetters(), 3, WAIT,
          IsolationLevel.READ_COMMITTED);
      SchemaCheck dlqSchema = new SchemaCheck(schemas.get(spec.output().deadLetters()));
      for (ConsumerRecord<String, String> r : dlq) {
        assertEquals(List.of(), dlqSchema.errors(SchemaCheck.headers(r.headers())), r.toString());
      }
      Map<String, String> reasonByValue = dlq.stream().collect(Collectors.toMap(ConsumerRecord::value,
          r -> new String(r.headers().lastHeader("streamcast.dlq.reason").value(),
              java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(Set.of("bad-type", "missing-field", "late"), Set.copyOf(reasonByValue.values()));

      SchemaCheck eventSchema = new SchemaCheck(schemas.get(spec.input().topic()));
      List<ConsumerRecord<String, String>> read = kafka.consume(spec.input().topic(), events.size(), WAIT);
      assertEquals(events.size(), read.size());
      int valid = 0;
      for (ConsumerRecord<String, String> r : read) {
        List<String> errors = eventSchema.errors(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String reason = reasonByValue.get(r.value());
        if ("bad-type".equals(reason)) {
          assertEquals(1, errors.size(), errors.toString());
          assertTrue(errors.get(0).contains("/value"), errors.get(0));
        } else if ("missing-field".equals(reason)) {
          assertEquals(1, errors.size(), errors.toString());
          assertTrue(errors.get(0).contains("ts"), errors.get(0));
        } else {
          assertEquals(List.of(), errors, r.value()); // accepted, or refused for its time alone (late)
          valid++;
        }
      }
      assertEquals(2 * hours + 1, valid);

      // hours 0..28 close for both keys: 29 steps each; with season 2, forecasts from the 2nd step on
      int steps = 2 * (hours - 1);
      SchemaCheck seriesSchema = new SchemaCheck(schemas.get(spec.output().series()));
      List<ConsumerRecord<String, String>> series = kafka.consume(spec.output().series(), steps, WAIT,
          IsolationLevel.READ_COMMITTED);
      for (ConsumerRecord<String, String> r : series) {
        assertEquals(List.of(), seriesSchema.errors(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            r.value());
      }
      SchemaCheck forecastSchema = new SchemaCheck(schemas.get(spec.output().forecasts()));
      List<ConsumerRecord<String, String>> forecasts = kafka.consume(spec.output().forecasts(), steps - 2, WAIT,
          IsolationLevel.READ_COMMITTED);
      int banded = 0;
      for (ConsumerRecord<String, String> r : forecasts) {
        assertEquals(List.of(), forecastSchema.errors(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            r.value());
        banded += r.value().contains("\"lower\"") ? 1 : 0;
      }
      assertTrue(banded > 0, "some forecasts carry interval bands, so the schema checked them");
      assertFalse(forecastSchema.errors(forecasts.get(0).value().replace("\"pipeline\":\"" + name + "\"",
          "\"pipeline\":\"another\"").getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEmpty(),
          "the schema is the pipeline's own");
    }
  }
}
