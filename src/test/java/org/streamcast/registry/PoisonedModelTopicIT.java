package org.streamcast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.ModelArtifact;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.PoisonedArtifacts;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.TopologySerdes;
import org.streamcast.training.Trainer;

/**
 * A poisoned model topic on the real broker, with a public key configured: issue 13's 16-byte record, NaN weights,
 * huge lengths, a corrupted body, a wrong signature, an unservable artifact and a replayed older version, then a good
 * model. Each poison is rejected with its reason and counted, the pipeline keeps serving and stays ready, the good
 * model is adopted live (forecasts carry its version) and after a restart; poisons published after it are skipped at
 * start-up exactly as at run time, and the restarted pipeline serves the good model.
 */
@ExtendWith(KafkaExtension.class)
class PoisonedModelTopicIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void shouldAdoptOnlyTheGoodModelLiveAndAfterRestartWhenTheTopicIsPoisoned(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("poison").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 1d, aggregation: last, grace: 0s}",
        "model: {type: gru, hiddenSize: 4, context: 14, horizon: 3, seasonalLags: [7], calendar: [day_of_year]}",
        ""));
    KeyPair keys = PoisonedArtifacts.keyPair();
    KeyPair intruder = PoisonedArtifacts.keyPair();
    FeatureSpec features = Trainer.featureSpec(spec.model(), List.of());
    ModelArtifact first = PoisonedArtifacts.random(features, Instant.parse("2026-01-01T00:00:00Z"), 1);
    ModelArtifact good = PoisonedArtifacts.random(features, Instant.parse("2026-02-01T00:00:00Z"), 2);
    ModelArtifact extraField = PoisonedArtifacts.random(Trainer.featureSpec(spec.model(), List.of("humidity")),
        Instant.parse("2026-01-15T00:00:00Z"), 3);
    byte[] corrupted = ArtifactFormat.write(good, 1_500, keys.getPrivate());
    corrupted[100] ^= 0x10;

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    List<Observation> rows = Datasets.read("vega_weather").stream().filter(o -> o.key().endsWith("temp_max"))
        .sorted(Comparator.comparing(Observation::time)).toList();
    List<Observation> live = rows.subList(0, 60);
    List<Observation> later = rows.subList(60, 120);
    Instant cut = later.get(0).time();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
        new ByteArraySerializer())) {
      publish(producer, name, ArtifactFormat.write(first, 1_000, keys.getPrivate()));

      try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)),
          keys.getPublic())) {
        assertEquals(1_000, app.models(name).current().version(), "the first model is loaded before any record");
        publish(producer, name, PoisonedArtifacts.c2Record());
        publish(producer, name, ArtifactFormat.write(PoisonedArtifacts.withNaNBias(good), 1_100, keys.getPrivate()));
        publish(producer, name, PoisonedArtifacts.seal(PoisonedArtifacts.hugeManifestBody(Integer.MAX_VALUE), 1_200,
            keys.getPrivate()));
        publish(producer, name, corrupted);
        publish(producer, name, ArtifactFormat.write(good, 1_300, intruder.getPrivate()));
        publish(producer, name, ArtifactFormat.write(extraField, 1_400, keys.getPrivate()));
        // a version no publisher stamps: nothing could ever be published above it
        publish(producer, name, ArtifactFormat.write(good, Long.MAX_VALUE, keys.getPrivate()));
        // a replay of the one in service
        publish(producer, name, ArtifactFormat.write(first, 1_000, keys.getPrivate()));
        publish(producer, name, ArtifactFormat.write(good, 2_000, keys.getPrivate()));

        Await.await(() -> app.models(name).current().version() == 2_000, WAIT, "the good model in service");
        String metrics = app.registry().scrape();
        // with a public key configured, the 16-byte record (format version 3, which carries no signature) is refused
        // as unsigned before anything in it is parsed
        Map<String, Integer> expected = Map.of("unreadable", 1, "not-finite", 1, "checksum", 1, "signature", 2,
            "unservable", 1, "stale-version", 1, "future-version", 1, "shape", 0, "no-key", 0);
        expected.forEach((reason, n) -> assertEquals(n, rejected(metrics, name, reason), reason + "\n" + metrics));
        Await.await(() -> ready(app.httpPort()) == 200, WAIT, "ready: the follower survived every poison");
        assertEquals(0, app.followerRestarts());

        produce(settings, spec, live);
        List<Forecast> forecasts = forecasts(kafka, spec, 10);
        assertTrue(forecasts.stream().allMatch(f -> f.modelVersion() == 2_000), "forecasts carry v2000: "
            + forecasts.stream().map(Forecast::modelVersion).distinct().toList());
      }

      // restart: the newest record replays an old version, which the running instance would have refused
      publish(producer, name, ArtifactFormat.write(first, 1_000, keys.getPrivate()));
      try (StreamcastApp again = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)),
          keys.getPublic())) {
        assertEquals(2_000, again.models(name).current().version(), "the highest version, not the newest record");
        assertEquals(0, rejected(again.registry().scrape(), name, "unreadable"), "only the newest 4 are read");
        Await.await(() -> ready(again.httpPort()) == 200, WAIT, "ready after restart");
      }

      // poisons published after it are skipped at start-up as at run time: the restarted pipeline serves v2000
      publish(producer, name, ArtifactFormat.write(good, 2_000, keys.getPrivate()));
      publish(producer, name, ArtifactFormat.write(PoisonedArtifacts.withNaNBias(good), 3_000, keys.getPrivate()));
      publish(producer, name, ArtifactFormat.write(extraField, 3_100, keys.getPrivate()));
      publish(producer, name, ArtifactFormat.write(good, Long.MAX_VALUE, keys.getPrivate()));
      try (StreamcastApp again = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)),
          keys.getPublic())) {
        assertEquals(2_000, again.models(name).current().version(), "falls back past the refused newest records");
        String metrics = again.registry().scrape();
        assertEquals(1, rejected(metrics, name, "unservable"), metrics);
        assertEquals(1, rejected(metrics, name, "not-finite"), metrics);
        assertEquals(1, rejected(metrics, name, "future-version"), metrics);
        Await.await(() -> ready(again.httpPort()) == 200, WAIT, "ready after restart");
        int before = kafka.consumeToEnd(spec.output().forecasts(), WAIT, IsolationLevel.READ_COMMITTED).size();
        produce(settings, spec, later);
        List<Forecast> all = forecasts(kafka, spec, before + 10);
        List<Forecast> after = all.stream().filter(f -> !f.origin().isBefore(cut)).toList();
        assertFalse(after.isEmpty(), "forecasts after the restart");
        assertTrue(after.stream().allMatch(f -> f.modelVersion() == 2_000), "after restart: "
            + after.stream().map(Forecast::modelVersion).distinct().toList());
      }
    }
  }

  private static void publish(KafkaProducer<String, byte[]> producer, String pipeline, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(ModelTopic.NAME, pipeline, value)).get();
  }

  private static int rejected(String metrics, String pipeline, String reason) {
    Matcher m = Pattern.compile("streamcast_models_rejected_total\\{pipeline=\"" + Pattern.quote(pipeline)
        + "\",reason=\"" + Pattern.quote(reason) + "\"} ([0-9.]+)").matcher(metrics);
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  private static int ready(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + port + "/ready")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void produce(RuntimeSettings settings, PipelineSpec spec, List<Observation> rows)
      throws InterruptedException {
    try (EventProducer producer = new EventProducer(settings.clientProperties(), false)) {
      producer.send(spec.input().topic(), Replay.inEventTimeOrder(rows), EventProducer.Schedule.NOW,
          n -> { }, () -> false);
    }
  }

  private static List<Forecast> forecasts(TestKafka kafka, PipelineSpec spec, int count) {
    List<ConsumerRecord<String, String>> records = kafka.consume(spec.output().forecasts(), count, WAIT,
        IsolationLevel.READ_COMMITTED);
    var serde = TopologySerdes.forecastJson().deserializer();
    return records.stream().map(r -> serde.deserialize(r.topic(), r.value().getBytes(StandardCharsets.UTF_8)))
        .toList();
  }
}
