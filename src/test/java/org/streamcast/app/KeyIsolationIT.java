package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.testing.Await;
import org.streamcast.testing.FaultyForecaster;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;

/**
 * Failures stay with their key, on the real broker. A model whose step throws for one key's value (as a scaler that
 * cannot take it would; the value is inside any input bound) costs that key one step, dead-lettered as an input
 * event with reason {@code processing-error} and counted, while the keys stepped in the same batch forecast exactly as
 * in a run that never saw the value. And garbage in the key-state changelog, restored into an empty state
 * directory, resets only its key (counted) and the client runs on.
 */
@ExtendWith(KafkaExtension.class)
class KeyIsolationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int KEYS = 6;
  /** The value the faulty model fails on: far inside any sane magnitude bound. */
  private static final double BAD = 2e6;

  private static RuntimeSettings settings(TestKafka kafka, Path state) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, Map.of(),
        new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
  }

  /** Hours {@code from .. to} of keys s-0 .. s-5 (s-k at hour h: 10k + h); s-3 sends {@code bad} at hour 3 if set. */
  private static List<KeyValue<String, String>> events(int from, int to, Double bad) {
    List<KeyValue<String, String>> out = new ArrayList<>();
    for (int h = from; h <= to; h++) {
      for (int k = 0; k < KEYS; k++) {
        String key = "s-" + k;
        double v = 10 * k + h;
        if (k == 3 && h == 3) {
          if (bad == null) {
            continue;
          }
          v = bad;
        }
        out.add(KeyValue.pair(key, "{\"key\":\"" + key + "\",\"ts\":\"" + T0.plusSeconds(3600L * h)
            + "\",\"value\":" + v + "}"));
      }
    }
    return out;
  }

  /**
   * Forecasts read committed, by key and origin: their values. (Not their intervals: while keys have too few
   * residuals of their own, those come from the pipeline's pooled window, which tasks fill in whatever order they
   * run.)
   */
  private static Map<String, List<Double>> forecasts(TestKafka kafka, String topic, int count) throws Exception {
    Map<String, List<Double>> out = new TreeMap<>();
    for (ConsumerRecord<String, String> r : kafka.consume(topic, count, WAIT, IsolationLevel.READ_COMMITTED)) {
      JsonNode f = JSON.readTree(r.value());
      List<Double> values = new ArrayList<>();
      f.get("forecasts").forEach(p -> values.add(p.get("value").asDouble()));
      out.put(f.get("key").asText() + "@" + f.get("origin").asText(), values);
    }
    return out;
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String metrics(StreamcastApp app) throws Exception {
    return PipelineIT.get(app.httpPort(), "/metrics").body();
  }

  @Test
  void shouldForecastTheOtherKeysAsWithoutItAndDeadLetterTheStepWhenOneKeysModelStepFails(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String refName = TestKafka.uniqueName("iso-ref").replace('_', '-');
    String badName = TestKafka.uniqueName("iso-bad").replace('_', '-');
    PipelineSpec ref = PipelineIT.spec(refName);
    PipelineSpec bad = PipelineIT.spec(badName);
    try (StreamcastApp app = StreamcastApp.start(List.of(
        new StreamcastApp.Pipeline(ref, settings(kafka, state),
            new FaultyForecaster(PipelineTopology.baseline(ref), 1e6, Double.POSITIVE_INFINITY)),
        new StreamcastApp.Pipeline(bad, settings(kafka, state),
            new FaultyForecaster(PipelineTopology.baseline(bad), 1e6, Double.POSITIVE_INFINITY))))) {
      Await.await(app::isReady, WAIT, "pipelines running");
      kafka.produce(ref.input().topic(), events(0, 6, null));
      kafka.produce(bad.input().topic(), events(0, 6, BAD));

      // hours 0..5 close; season 2: origins 1..5 for every key but s-3 at hour 3, which has no step in either run
      int expected = KEYS * 5 - 1;
      Map<String, List<Double>> reference = forecasts(kafka, ref.output().forecasts(), expected);
      Map<String, List<Double>> run = forecasts(kafka, bad.output().forecasts(), expected);
      assertEquals(expected, reference.size());
      assertEquals(reference, run, "every key forecasts as in the run without the bad value");
      assertFalse(run.containsKey("s-3@" + T0.plusSeconds(3 * 3600)));

      List<ConsumerRecord<String, String>> dead = kafka.consume(bad.output().deadLetters(), 1, WAIT,
          IsolationLevel.READ_COMMITTED);
      assertEquals(1, dead.size());
      ConsumerRecord<String, String> d = dead.get(0);
      assertEquals("s-3", d.key());
      assertEquals("{\"key\":\"s-3\",\"ts\":\"2024-03-01T03:00:00Z\",\"value\":2000000.0}", d.value());
      assertEquals("processing-error", header(d, "streamcast.dlq.reason"));
      assertTrue(header(d, "streamcast.dlq.detail").contains("bad scaler"), header(d, "streamcast.dlq.detail"));
      assertEquals(badName, header(d, "streamcast.dlq.pipeline"));
      assertTrue(kafka.consumeToEnd(ref.output().deadLetters(), Duration.ofSeconds(5),
          IsolationLevel.READ_COMMITTED).isEmpty(), "the reference run dead-lettered nothing");

      String metrics = metrics(app);
      assertTrue(metrics.contains("streamcast_dead_letters_total{pipeline=\"" + badName
          + "\",reason=\"processing-error\"} 1.0"), metrics);
      assertTrue(metrics.contains("streamcast_dead_letters_total{pipeline=\"" + refName
          + "\",reason=\"processing-error\"} 0.0"), metrics);
      assertTrue(app.isReady() && !app.hasFailed());
    }
  }

  @Test
  void shouldWithholdTheForecastKeepTheKeysHistoryAndEveryNumberFiniteWhenTheModelGivesNaN(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("iso-nan").replace('_', '-');
    PipelineSpec spec = PipelineIT.spec(name);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings(kafka, state),
        new FaultyForecaster(PipelineTopology.baseline(spec), Double.POSITIVE_INFINITY, 100))))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      kafka.produce(spec.input().topic(), events(0, 6, 500.0));
      // s-3's model output at hour 3 is not finite: withheld; the model's state for the key is reset and its history
      // kept, so it forecasts again at the next origin
      Map<String, List<Double>> out = forecasts(kafka, spec.output().forecasts(), KEYS * 5 - 1);
      assertEquals(KEYS * 5 - 1, out.size());
      assertFalse(out.containsKey("s-3@" + T0.plusSeconds(3 * 3600)));
      assertTrue(out.containsKey("s-3@" + T0.plusSeconds(4 * 3600)));
      assertTrue(out.containsKey("s-3@" + T0.plusSeconds(5 * 3600)));
      for (List<Double> values : out.values()) {
        assertTrue(values.stream().allMatch(Double::isFinite), values.toString());
      }
      for (ConsumerRecord<String, String> r : kafka.consumeToEnd(spec.output().forecasts(), WAIT,
          IsolationLevel.READ_COMMITTED)) {
        assertFalse(r.value().contains("NaN") || r.value().contains("Infinity"), r.value());
      }
      String forecast = PipelineIT.get(app.httpPort(), "/forecasts/s-3").body();
      assertFalse(forecast.contains("NaN") || forecast.contains("Infinity"), forecast);
      String live = PipelineIT.get(app.httpPort(), "/state/s-3").body();
      assertFalse(live.contains("NaN") || live.contains("Infinity"), live);

      String metrics = metrics(app);
      assertTrue(metrics.contains("streamcast_forecasts_withheld_total{pipeline=\"" + name + "\"} 1.0"), metrics);
      assertTrue(metrics.contains("streamcast_key_resets_total{pipeline=\"" + name + "\"} 1.0"), metrics);
      for (String line : metrics.split("\n")) {
        if (line.startsWith("streamcast_forecast_mae{") || line.startsWith("streamcast_forecast_rmse{")) {
          assertFalse(line.endsWith("Inf") || line.endsWith("NaN") && line.contains("horizon=\"1\""), line);
        }
      }
      assertTrue(app.isReady() && !app.hasFailed());
    }
  }

  @Test
  void shouldResetOnlyTheKeyAndRunOnWhenItsChangelogEntryIsGarbageAfterARestartWithoutState(TestKafka kafka,
      @TempDir Path first, @TempDir Path second) throws Exception {
    String name = TestKafka.uniqueName("iso-state").replace('_', '-');
    PipelineSpec spec = PipelineIT.spec(name);
    RuntimeSettings settings = settings(kafka, first);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      kafka.produce(spec.input().topic(), events(0, 4, 33.0));
      forecasts(kafka, spec.output().forecasts(), KEYS * 3); // origins 1..3
    }

    // garbage for s-2 and a state from a newer format version for s-4, as the changelog's latest values
    String changelog = settings.applicationId(name) + "-" + PipelineTopology.KEY_STATE_STORE + "-changelog";
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(changelog, "s-2", new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 1, 127, -1, -1}))
          .get();
      producer.send(new ProducerRecord<>(changelog, "s-4", new byte[] {9, 1, 2, 3})).get();
    }

    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec,
        settings(kafka, second))))) {
      Await.await(app::isReady, WAIT, "pipeline restored from the changelog into an empty state directory");
      kafka.produce(spec.input().topic(), events(5, 7, 33.0));
      // hours 4..6 close: every key but s-2 and s-4 forecasts at origins 4..6; they start over at hour 4 and
      // (season 2) forecast again from origin 5
      Map<String, List<Double>> after = forecasts(kafka, spec.output().forecasts(), KEYS * 3 + (KEYS - 2) * 3 + 2 * 2);
      assertTrue(after.containsKey("s-0@" + T0.plusSeconds(4 * 3600)));
      assertFalse(after.containsKey("s-2@" + T0.plusSeconds(4 * 3600)), "s-2 warms up again");
      assertTrue(after.containsKey("s-2@" + T0.plusSeconds(5 * 3600)));
      JsonNode s2 = JSON.readTree(PipelineIT.get(app.httpPort(), "/state/s-2").body());
      assertEquals(3, s2.get("steps").asInt(), "hours 4..6 since the reset");
      JsonNode s1 = JSON.readTree(PipelineIT.get(app.httpPort(), "/state/s-1").body());
      assertEquals(7, s1.get("steps").asInt());
      String metrics = metrics(app);
      assertTrue(metrics.contains("streamcast_state_entries_reset_total{pipeline=\"" + name + "\"} 2.0"), metrics);
      assertTrue(metrics.contains("streamcast_keys_tracked{pipeline=\"" + name + "\"} 6.0"), metrics);
      // the counts came back with the task (forecast-key-counts), and the two keys left them as the warm keys
      // they were and came back as new keys, warm again
      assertTrue(metrics.contains("streamcast_keys_warming{pipeline=\"" + name + "\"} 0.0"), metrics);
      assertTrue(app.isReady() && !app.hasFailed());
    }
  }
}
