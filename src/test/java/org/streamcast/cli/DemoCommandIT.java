package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;

/**
 * {@code streamcast demo} as a user runs it: trains and publishes a first GRU, streams with it, retrains while it
 * runs, exits 0 when its duration ends and has filled its output topics with the GRU's forecasts.
 */
@ExtendWith(KafkaExtension.class)
class DemoCommandIT {

  @Test
  void shouldExitZeroWithFilledOutputTopicsWhenDurationEnds(TestKafka kafka, @TempDir Path dir) {
    try (StreamcastProcess demo = StreamcastProcess.start(dir.resolve("demo.out"), StreamcastProcess.DEFAULT_JVM_OPTIONS,
        Map.of(), List.of("demo", "--duration", "40s", "--http-port", "0", "--refresh", "5s", "--speedup", "50000",
            "--epochs", "1", "--retrain-every", "15s",
            "--bootstrap", kafka.bootstrapServers()))) {
      assertEquals(0, demo.awaitExit(Duration.ofSeconds(120)), demo.output());
      String out = demo.output();
      assertTrue(out.contains("streamcast demo: stopped cleanly"), out);
      assertTrue(out.contains("taylor"), "live view shows the key: " + out);
      assertTrue(out.matches("(?s).*(gru|baseline) v\\d+: (learned|naive|snaive)[^\\n]*.*"),
          "live view says which source served which horizons: " + out);
      assertTrue(out.matches("(?s).*metrics: http://localhost:\\d+/metrics.*"), out);
      assertTrue(out.matches("(?s).*first model: gru v\\d+ trained on 1,008 steps of 1 key\\(s\\).*"), out);
      assertTrue(out.matches("(?s).*retrain electricity: (promoted|rejected): challenger MASE \\d.*"), out);
    }
    List<ConsumerRecord<String, String>> series = kafka.consumeToEnd("electricity.series", Duration.ofSeconds(30),
        IsolationLevel.READ_COMMITTED);
    List<ConsumerRecord<String, String>> forecasts = kafka.consumeToEnd("electricity.forecasts",
        Duration.ofSeconds(30), IsolationLevel.READ_COMMITTED);
    assertTrue(series.size() > 336, "series steps: " + series.size());
    assertTrue(!forecasts.isEmpty(), "forecasts after the weekly warm-up");
    assertTrue(forecasts.get(0).value().contains("\"forecasts\":[{\"h\":1,"), forecasts.get(0).value());
    var serde = org.streamcast.topology.TopologySerdes.forecastJson().deserializer();
    for (ConsumerRecord<String, String> r : forecasts) {
      org.streamcast.domain.Forecast f = serde.deserialize(r.topic(),
          r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      boolean learned = f.points().stream().anyMatch(p -> "learned".equals(p.source()));
      assertTrue(f.points().stream().allMatch(p -> p.source() != null), "every point says its source: " + r.value());
      // the GRU's (never the pre-training baseline model's), and named so only where its learned output served
      assertTrue(f.modelVersion() > 0, r.value());
      assertEquals(learned ? "gru" : "baseline", f.model(), r.value());
    }
  }
}
