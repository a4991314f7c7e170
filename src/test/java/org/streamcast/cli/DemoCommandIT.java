package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
 * runs, exits 0 when its duration ends and has filled its output topics with the GRU's forecasts, exactly once per key
 * and origin. Its console is for people: no library's WARN or ERROR line and no stack trace (those go to the log
 * file, which holds the Kafka clients' and the broker's logs).
 */
@ExtendWith(KafkaExtension.class)
class DemoCommandIT {

  @Test
  void shouldExitZeroWithFilledOutputTopicsWhenDurationEnds(TestKafka kafka, @TempDir Path dir) throws IOException {
    Path logFile = dir.resolve("logs").resolve("demo.log");
    try (StreamcastProcess demo = StreamcastProcess.start(dir.resolve("demo.out"),
        StreamcastProcess.DEFAULT_JVM_OPTIONS,
        Map.of(), List.of("demo", "--duration", "40s", "--http-port", "0", "--refresh", "5s", "--speedup", "50000",
            "--epochs", "1", "--retrain-every", "15s", "--log-file", logFile.toString(),
            "--bootstrap", kafka.bootstrapServers()))) {
      assertEquals(0, demo.awaitExit(Duration.ofSeconds(120)), demo.output());
      String out = demo.output();
      assertEquals(List.of(), CleanStopIT.noisy(demo.outputLines()), "console lines a person would have to judge");
      assertTrue(out.contains("streamcast demo: full logs in " + logFile), out);
      String logs = Files.readString(logFile);
      assertTrue(logs.contains(" org.apache.kafka.clients."), "the clients' logs are in the file");
      assertTrue(out.contains("streamcast demo: stopped cleanly"), out);
      assertTrue(out.contains("taylor"), "live view shows the key: " + out);
      assertTrue(out.matches("(?s).*(gru|baseline) v\\d+: (learned|naive|snaive)[^\\n]*.*"),
          "live view says which source served which horizons: " + out);
      assertTrue(out.matches("(?s).*metrics: http://localhost:\\d+/metrics.*"), out);
      assertTrue(out.matches("(?s).*[\\d,]+ forecasts, [\\d,]+ anomalies, [\\d,]+ dead letters.*"),
          "the view counts anomalies: " + out);
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
    // Exactly once, whatever the broker logged about retried or fenced batches: one forecast per key and origin,
    // and no origin missing between the first and the last (the series steps without a gap: half-hours).
    Map<String, TreeSet<Long>> origins = new HashMap<>();
    for (ConsumerRecord<String, String> r : forecasts) {
      assertTrue(origins.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.timestamp()),
          "a second forecast for origin " + r.timestamp() + " of " + r.key());
    }
    for (Map.Entry<String, TreeSet<Long>> e : origins.entrySet()) {
      TreeSet<Long> o = e.getValue();
      long expected = (o.last() - o.first()) / Duration.ofMinutes(30).toMillis() + 1;
      assertEquals(expected, o.size(), "origins of " + e.getKey() + " from " + o.first() + " to " + o.last());
    }
  }
}
