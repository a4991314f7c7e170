package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.SchemaCheck;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.TopicSchemas;

/**
 * Anomalies on the real broker: spikes injected into a calm sensor appear on {@code <pipeline>.anomalies} with the
 * forecast, band and score of the forecast record made for them; a sensor that runs away, then sticks, publishes at
 * most its rate limit (the rest is counted as suppressed); the counter scraped from {@code /metrics} over HTTP equals
 * the records on the topic; every record validates against the topic's schema.
 */
@ExtendWith(KafkaExtension.class)
class AnomaliesIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final int MINUTES = 300;
  private static final int[] SPIKES = {120, 200, 260};
  private static final int BREAK = 150;
  private static final int RUNAWAY = 24;
  private static final double PER_HOUR = 6;
  private static final int WALK_SPIKE = 220;

  static PipelineSpec spec(String name) {
    return SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 1m, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, horizon: 3, seasonalLags: [60], calendar: []}",
        "training: {history: 30d}",
        "intervals: [0.8, 0.99]",
        "anomalies: {level: 0.99, maxPerKeyPerHour: " + PER_HOUR + ", clip: true}",
        "watch: [walk]",
        ""));
  }

  /** A daily-like cycle of 60 minutes with N(0, 1) noise (seed 5 per key): the seasonal-naive baseline's home. */
  private static double[] calm(long seed) {
    Random r = new Random(seed);
    double[] y = new double[MINUTES + 1];
    for (int t = 0; t < y.length; t++) {
      y[t] = 100 + 10 * Math.sin(2 * Math.PI * t / 60) + r.nextGaussian();
    }
    return y;
  }

  @Test
  void shouldPublishInjectedAnomaliesWithinTheRateLimitAndCountThemWhenRunningOnBroker(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("anomalies").replace('_', '-');
    PipelineSpec spec = spec(name);
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    Map<String, double[]> series = new HashMap<>();
    double[] calm = calm(5);
    for (int s : SPIKES) {
      calm[s] += 60;
    }
    series.put("calm", calm);
    // runs away (tripling each minute), then sticks at its last reading
    double[] broken = calm(6);
    for (int t = BREAK; t <= MINUTES; t++) {
      broken[t] = 100 * Math.pow(3, Math.min(t - BREAK, RUNAWAY));
    }
    series.put("broken", broken);
    // sticks at a mid-cycle reading
    double[] stuck = calm(7);
    for (int t = BREAK; t <= MINUTES; t++) {
      stuck[t] = stuck[BREAK];
    }
    series.put("stuck", stuck);
    // a random walk: the seasonal-naive band is as wide as an hour's drift, so a jump of 8 that comes straight back
    // stays inside it; only its return gives it away
    Random steps = new Random(8);
    double[] walk = new double[MINUTES + 1];
    for (int t = 1; t <= MINUTES; t++) {
      walk[t] = walk[t - 1] + steps.nextGaussian();
    }
    walk[WALK_SPIKE] += 8;
    series.put("walk", walk);

    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      List<KeyValue<String, String>> events = new ArrayList<>();
      for (int t = 0; t <= MINUTES; t++) {
        for (Map.Entry<String, double[]> e : series.entrySet()) {
          events.add(KeyValue.pair(e.getKey(), "{\"key\":\"" + e.getKey() + "\",\"ts\":\"" + T0.plusSeconds(60L * t)
              + "\",\"value\":" + e.getValue()[t] + "}"));
        }
      }
      kafka.produce(spec.input().topic(), events);
      // minutes 0..299 close for every key; season 60: forecasts from the 60th step on (241 a key); the anomalies
      // are committed with the steps' forecasts
      List<ConsumerRecord<String, String>> forecasts = kafka.consume(spec.output().forecasts(),
          series.size() * (MINUTES - 59), WAIT, IsolationLevel.READ_COMMITTED);
      List<ConsumerRecord<String, String>> anomalies = kafka.consumeToEnd(spec.output().anomalies(), WAIT,
          IsolationLevel.READ_COMMITTED);

      SchemaCheck schema = new SchemaCheck(TopicSchemas.of(spec).get(spec.output().anomalies()));
      Map<String, List<JsonNode>> byKey = new HashMap<>();
      for (ConsumerRecord<String, String> r : anomalies) {
        assertEquals(List.of(), schema.errors(r.value().getBytes(StandardCharsets.UTF_8)), r.value());
        JsonNode a = JSON.readTree(r.value());
        assertEquals(r.key(), a.get("key").asText());
        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(a);
      }

      // each spike: the one-step forecast made the minute before, its 99% band, the score against it
      Map<String, JsonNode> calmForecasts = new HashMap<>();
      for (ConsumerRecord<String, String> r : forecasts) {
        JsonNode f = JSON.readTree(r.value());
        if (r.key().equals("calm")) {
          calmForecasts.put(f.get("origin").asText(), f.get("forecasts").get(0));
        }
      }
      for (int s : SPIKES) {
        String ts = T0.plusSeconds(60L * s).toString();
        JsonNode a = byKey.get("calm").stream().filter(n -> n.get("ts").asText().equals(ts)).findFirst()
            .orElse(null);
        assertNotNull(a, "spike at minute " + s + " in " + byKey.get("calm"));
        JsonNode point = calmForecasts.get(T0.plusSeconds(60L * (s - 1)).toString());
        assertEquals(ts, point.get("ts").asText());
        double f = point.get("value").asDouble();
        double lower = point.get("lower").get("0.99").asDouble();
        double upper = point.get("upper").get("0.99").asDouble();
        assertEquals(calm[s], a.get("actual").asDouble(), 0);
        // the pending forecast and band are kept in float precision
        assertEquals(f, a.get("forecast").asDouble(), 1e-5);
        assertEquals(lower, a.get("lower").asDouble(), 1e-4);
        assertEquals(upper, a.get("upper").asDouble(), 1e-4);
        assertEquals(0.99, a.get("level").asDouble());
        assertEquals(1, a.get("h").asInt());
        assertEquals(Math.abs(calm[s] - f) / ((upper - lower) / 2), a.get("score").asDouble(), 1e-4);
        assertEquals("baseline", a.get("model").asText());
        assertEquals(0, a.get("modelVersion").asLong());
        assertEquals("band", a.get("kind").asText());
      }
      // the stuck sensor's reading is plausible, inside its band: within its first repeats it is a flatline
      // (noisy readings never repeat: after its ~90 steps with a band, two repeats are less likely than 1 − level)
      List<JsonNode> flatlines = byKey.get("stuck").stream().filter(n -> n.get("kind").asText().equals("flatline"))
          .toList();
      assertEquals(1, flatlines.size(), "one flatline per run: " + byKey.get("stuck"));
      Instant flagged = Instant.parse(flatlines.get(0).get("ts").asText());
      assertTrue(flagged.isAfter(T0.plusSeconds(60L * BREAK)) && !flagged.isAfter(T0.plusSeconds(60L * (BREAK + 3))),
          "flagged at " + flagged);
      assertEquals(stuck[BREAK], flatlines.get(0).get("actual").asDouble(), 0);
      // the walk's jump, inside its band, is a spike: published at the next step with the time it happened
      List<JsonNode> spikes = byKey.getOrDefault("walk", List.of()).stream()
          .filter(n -> n.get("kind").asText().equals("spike")).toList();
      JsonNode jump = spikes.stream().filter(n -> n.get("ts").asText().equals(T0.plusSeconds(60L * WALK_SPIKE)
          .toString())).findFirst().orElse(null);
      assertNotNull(jump, "the walk's jump as a spike: " + byKey.get("walk"));
      assertEquals(walk[WALK_SPIKE], jump.get("actual").asDouble(), 0);
      assertTrue(jump.get("score").asDouble() < 1, "inside its band: " + jump);
      // the live page marks the jump's own minute, not the minute that found it
      Map<Long, Boolean> marked = new HashMap<>();
      JSON.readTree(PipelineIT.get(app.httpPort(), "/live").body()).get("pipelines").get(0).get("keys").get(0)
          .get("points").forEach(p -> marked.put(p.get("t").asLong(), p.path("anomaly").asBoolean(false)));
      long jumpAt = T0.plusSeconds(60L * WALK_SPIKE).toEpochMilli();
      assertEquals(true, marked.get(jumpAt), "the jump's minute on the page: " + marked);
      boolean nextFlagged = byKey.get("walk").stream()
          .anyMatch(n -> Instant.parse(n.get("ts").asText()).toEpochMilli() == jumpAt + 60_000);
      assertEquals(nextFlagged, marked.get(jumpAt + 60_000), "the minute after it: marked only as an anomaly itself");
      // the broken and the stuck sensors: at most a full bucket plus the refill over their broken minutes
      long bound = (long) (PER_HOUR + PER_HOUR * (MINUTES - BREAK) / 60.0);
      for (String key : List.of("broken", "stuck")) {
        long after = byKey.getOrDefault(key, List.of()).stream()
            .filter(n -> !Instant.parse(n.get("ts").asText()).isBefore(T0.plusSeconds(60L * BREAK))).count();
        assertTrue(after <= bound, key + ": " + after + " published after it broke, more than " + bound);
      }
      long brokenRun = byKey.get("broken").stream().filter(n -> {
        Instant t = Instant.parse(n.get("ts").asText());
        return !t.isBefore(T0.plusSeconds(60L * BREAK)) && t.isBefore(T0.plusSeconds(60L * (BREAK + RUNAWAY)));
      }).count();
      assertTrue(brokenRun <= PER_HOUR + PER_HOUR * RUNAWAY / 60.0, "runaway minutes: " + brokenRun);

      String metrics = PipelineIT.get(app.httpPort(), "/metrics").body();
      assertEquals(anomalies.size(), counter(metrics, "streamcast_anomalies_total", name, "\\w+"), 0, metrics);
      for (String kind : List.of("band", "flatline", "shift", "spike")) {
        long onTopic = byKey.values().stream().flatMap(List::stream).filter(n -> n.get("kind").asText().equals(kind))
            .count();
        assertEquals(onTopic, counter(metrics, "streamcast_anomalies_total", name, kind), 0, kind + ": " + metrics);
      }
      double suppressed = counter(metrics, "streamcast_anomalies_suppressed_total", name, "\\w+");
      assertTrue(suppressed > 0, "the runaway sensor hit its limit: " + suppressed);
    }
  }

  /** The sum of {@code metric} over the kinds matching the regular expression {@code kind}. */
  private static double counter(String metrics, String metric, String pipeline, String kind) {
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{kind=\"" + kind + "\",pipeline=\"" + Pattern.quote(pipeline)
        + "\"} (\\S+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
