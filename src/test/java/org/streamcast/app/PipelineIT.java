package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;

/**
 * A pipeline on the real broker, fed and read by a third-party client (kcat): steps, baseline forecasts, dead
 * letters with their reasons, interactive queries and metrics over real HTTP.
 */
@ExtendWith(KafkaExtension.class)
class PipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static PipelineSpec spec(String name) {
    return SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, context: 8, horizon: 3, seasonalLags: [2], calendar: [],",
        "        gaps: {policy: impute, maxImputed: 2}}",
        "training: {history: 30d}",
        ""));
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldForecastKcatEventsAndDeadLetterBadOnesWhenRunningOnBroker(TestKafka kafka, @TempDir Path state)
      throws Exception {
    String name = TestKafka.uniqueName("pipe").replace('_', '-');
    PipelineSpec spec = spec(name);
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        java.util.Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, Duration.ofSeconds(60), "pipeline running");
      assertEquals(200, get(app.httpPort(), "/ready").statusCode());
      Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
      List<String> lines = new ArrayList<>();
      for (int h = 0; h < 6; h++) {
        for (String key : List.of("s-1", "s-2")) {
          double v = key.equals("s-1") ? 10 + h : 100 + 2 * h;
          lines.add(key + "={\"key\":\"" + key + "\",\"ts\":\"" + t0.plusSeconds(3600L * h) + "\",\"value\":" + v
              + "}");
        }
      }
      lines.add(3, "s-1={\"key\":\"s-1\",\"ts\":\"2024-03-01T00:10:00Z\",\"value\":\"oops\"}");
      lines.add(5, "s-2=not json at all");
      Kcat.produce(kafka.bootstrapServers(), spec.input().topic(), lines);

      // 6 hours, 2 keys: hours 0..4 close (5 steps each); season 2 → forecasts from the 2nd step on: 4 per key.
      List<String> forecasts = Kcat.consume(kafka.bootstrapServers(), spec.output().forecasts(), 8);
      JsonNode last = null;
      for (String line : forecasts) {
        JsonNode f = JSON.readTree(line.substring(line.indexOf('=') + 1));
        assertEquals("baseline", f.get("model").asText());
        assertEquals(3, f.get("forecasts").size());
        if (f.get("key").asText().equals("s-1")) {
          last = f;
        }
      }
      assertEquals(t0.plusSeconds(4 * 3600).toString(), last.get("origin").asText());
      // seasonal naive (m=2) at origin hour 4 of s-1 (values 10..14): ŷ = y[3], y[4], y[3]
      assertEquals(13.0, last.get("forecasts").get(0).get("value").asDouble());
      assertEquals(14.0, last.get("forecasts").get(1).get("value").asDouble());

      List<ConsumerRecord<String, String>> dlq = kafka.consume(spec.output().deadLetters(), 2,
          Duration.ofSeconds(30), IsolationLevel.READ_COMMITTED);
      List<String> reasons = dlq.stream().map(r -> header(r, "streamcast.dlq.reason")).sorted().toList();
      assertEquals(List.of("bad-json", "bad-type"), reasons);
      assertTrue(dlq.stream().anyMatch(r -> r.value().equals("not json at all")), "value unchanged");

      HttpResponse<String> forecast = get(app.httpPort(), "/forecasts/s-1");
      assertEquals(200, forecast.statusCode());
      assertEquals(last.get("forecasts"), JSON.readTree(forecast.body()).get("forecasts"));
      JsonNode keyState = JSON.readTree(get(app.httpPort(), "/state/s-2").body());
      assertEquals(5, keyState.get("steps").asInt());
      assertEquals(t0.plusSeconds(4 * 3600).toString(), keyState.get("lastStep").asText());
      assertEquals(404, get(app.httpPort(), "/forecasts/nobody").statusCode());

      String metrics = get(app.httpPort(), "/metrics").body();
      assertTrue(metrics.contains("streamcast_dead_letters_total{pipeline=\"" + name + "\",reason=\"bad-json\"} 1.0"),
          metrics);
      assertTrue(metrics.contains("streamcast_records_in_total{pipeline=\"" + name + "\"} 12.0"), metrics);
    }
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
