package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Forecast;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.SealedArtifact;
import org.streamcast.registry.ModelFollower;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.registry.ServableModels;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.PoisonedArtifacts;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.TopologySerdes;

/**
 * {@code streamcast models} on the real broker: a running pipeline serves v1; {@code models publish} sends v2 from a
 * file and the pipeline switches to it; {@code models rollback v1} republishes v1's weights as v3, the pipeline
 * switches to v3, and every forecast equals an offline run that serves v1, then v2, then v1's weights again (each key
 * re-warmed at each swap, as the stream does). {@code models list} and {@code show} say which is in service and that v3
 * is a rollback of v1.
 */
@ExtendWith(KafkaExtension.class)
class ModelsCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> KEYS = List.of("m-1", "m-2");
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final int PHASE = 30;

  @Test
  void shouldServeTheOldWeightsUnderANewVersionWhenRolledBack(TestKafka kafka, @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("models").replace('_', '-');
    String yaml = String.join("\n",
        "name: " + name,
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 4, context: 12, horizon: 3, seasonalLags: [2], calendar: [],",
        "        imputedFlag: false}",
        "training: {history: 30d}",
        "");
    Path specFile = dir.resolve(name + ".yaml");
    Files.writeString(specFile, yaml, StandardCharsets.UTF_8);
    PipelineSpec spec = SpecLoader.load(specFile);
    FeatureSpec features = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(2), false, 3);
    ModelArtifact v1 = PoisonedArtifacts.random(features, Instant.parse("2026-01-01T00:00:00Z"), 11);
    ModelArtifact v2 = PoisonedArtifacts.random(features, Instant.parse("2026-02-01T00:00:00Z"), 22);
    Path v2File = dir.resolve("v2.model");
    v2.write(v2File);
    long v1Version;
    try (ModelPublisher publisher = new ModelPublisher(kafka.clientProps())) {
      v1Version = publisher.publish(name, v1).version();
    }
    List<List<KeyValue<String, String>>> phases = events();
    Forecaster counting = ServableModels.serve(spec, v1, v1Version); // every model here warms up alike

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    String[] kafkaFlags = {"--topology", specFile.toString(), "--bootstrap", kafka.bootstrapServers()};
    long v2Version;
    long v3Version;
    Map<String, List<Forecast>> streamed;
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      assertEquals(v1Version, app.models(name).current().version(), "v1 in service before the first record");
      kafka.produce(spec.input().topic(), phases.get(0));
      forecasts(kafka, spec, 1, counting);

      Cli publish = Cli.run(cat(new String[] {"models", "publish", v2File.toString()}, kafkaFlags));
      assertEquals(0, publish.code, publish.err);
      v2Version = Await.until(() -> app.models(name).current().version(), v -> v > v1Version, WAIT,
          "v2 in service");
      assertTrue(publish.out.contains("as version " + v2Version), publish.out);
      kafka.produce(spec.input().topic(), phases.get(1));
      forecasts(kafka, spec, 2, counting);

      Cli rollback = Cli.run(cat(new String[] {"models", "rollback", Long.toString(v1Version)}, kafkaFlags));
      assertEquals(0, rollback.code, rollback.err);
      v3Version = Await.until(() -> app.models(name).current().version(), v -> v > v2Version, WAIT,
          "the rollback in service");
      assertEquals(v2Version + 1, v3Version, "the rollback is the newest version");
      assertTrue(rollback.out.contains("rolled back to the weights of version " + v1Version + ", published as "
          + "version " + v3Version), rollback.out);
      kafka.produce(spec.input().topic(), phases.get(2));
      streamed = forecasts(kafka, spec, 3, counting);
    }

    // v3 on the topic: v1's weights, marked as a rollback of v1
    SealedArtifact v3;
    try (ModelFollower f = new ModelFollower(kafka.clientProps(), Set.of(name))) {
      v3 = f.catchUp(WAIT).get(name);
    }
    assertEquals(v3Version, v3.version());
    assertArrayEquals(v1.network().headWeights(), v3.artifact().network().headWeights());
    assertEquals(Long.toString(v1Version), v3.artifact().provenance().evaluation().get("rollbackOf"));

    Forecaster m1 = ServableModels.serve(spec, v1, v1Version);
    Forecaster m2 = ServableModels.serve(spec, v2, v2Version);
    Forecaster m3 = ServableModels.serve(spec, v1, v3Version);
    for (var e : streamed.entrySet()) {
      List<Forecast> fs = e.getValue();
      Instant swap2 = firstOrigin(fs, v2Version, e.getKey());
      Instant swap3 = firstOrigin(fs, v3Version, e.getKey());
      Map<Instant, double[]> offline = offline(spec, e.getKey(), m1, m2, m3, swap2, swap3);
      assertEquals(offline.size(), fs.size(), e.getKey() + ": one forecast per offline origin");
      double worst = 0;
      int servedByV3 = 0;
      for (Forecast f : fs) {
        long expected = f.origin().isBefore(swap2) ? v1Version : f.origin().isBefore(swap3) ? v2Version : v3Version;
        assertEquals(expected, f.modelVersion(), e.getKey() + " at " + f.origin());
        servedByV3 += f.modelVersion() == v3Version ? 1 : 0;
        double[] x = offline.get(f.origin());
        for (Forecast.Point p : f.points()) {
          worst = Math.max(worst, Math.abs(p.value() - x[p.h() - 1]));
        }
      }
      assertTrue(servedByV3 >= PHASE - 2, e.getKey() + ": " + servedByV3 + " forecasts by v3");
      assertTrue(worst <= 1e-6, e.getKey() + ": largest difference " + worst);
    }
    // the rolled-back weights make other forecasts than v2's: the switch is visible in the numbers
    Map<Instant, double[]> allV2 = offline(spec, KEYS.get(0), m2, m2, m2, Instant.MAX, Instant.MAX);
    Forecast last = streamed.get(KEYS.get(0)).get(streamed.get(KEYS.get(0)).size() - 1);
    assertTrue(Math.abs(allV2.get(last.origin())[0] - last.points().get(0).value()) > 1e-3,
        "v3 forecasts differ from v2's");

    Cli list = Cli.run(cat(new String[] {"models", "list"}, kafkaFlags));
    assertEquals(0, list.code, list.err);
    assertTrue(list.out.contains("pipeline " + name + ": 3 records"), list.out);
    String v3Line = list.out.lines().filter(l -> l.contains(Long.toString(v3Version))).findFirst().orElseThrow();
    assertTrue(v3Line.startsWith("* ") && v3Line.contains("in service; rollback of " + v1Version), list.out);
    assertTrue(list.out.lines().filter(l -> l.startsWith("* ")).count() == 1, list.out);
    Cli show = Cli.run(cat(new String[] {"models", "show", Long.toString(v3Version)}, kafkaFlags));
    assertEquals(0, show.code, show.err);
    assertTrue(show.out.contains("rollback of:       " + v1Version), show.out);
    assertTrue(show.out.contains("(in service)"), show.out);
    Cli unknown = Cli.run(cat(new String[] {"models", "rollback", "12345"}, kafkaFlags));
    assertEquals(2, unknown.code, unknown.err);
    assertEquals("pipeline " + name + " has no model version 12345 on streamcast.models (versions: " + v1Version
        + ", " + v2Version + ", " + v3Version + ")", unknown.err.strip());
  }

  @Test
  void shouldSignWhatItPublishesAndRefuseUnsignedVersionsWhenAPublicKeyIsGiven(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("signed").replace('_', '-');
    Path specFile = dir.resolve(name + ".yaml");
    Files.writeString(specFile, String.join("\n", "name: " + name,
        "model: {type: gru, hiddenSize: 4, context: 12, horizon: 3, seasonalLags: [2], calendar: [],",
        "        imputedFlag: false}", ""), StandardCharsets.UTF_8);
    PipelineSpec spec = SpecLoader.load(specFile);
    FeatureSpec features = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(2), false, 3);
    java.security.KeyPair keys = PoisonedArtifacts.keyPair();
    Path signing = Files.writeString(dir.resolve("signing.pem"),
        org.streamcast.model.ArtifactSigning.pem(keys.getPrivate()));
    Path publicKey = Files.writeString(dir.resolve("public.pem"),
        org.streamcast.model.ArtifactSigning.pem(keys.getPublic()));
    long unsigned;
    try (ModelPublisher publisher = new ModelPublisher(kafka.clientProps())) {
      unsigned = publisher.publish(name, PoisonedArtifacts.random(features, Instant.parse("2026-01-01T00:00:00Z"),
          1)).version();
    }
    Path file = dir.resolve("v2.model");
    PoisonedArtifacts.random(features, Instant.parse("2026-02-01T00:00:00Z"), 2).write(file);
    String[] flags = {"--topology", specFile.toString(), "--bootstrap", kafka.bootstrapServers()};

    Cli publish = Cli.run(cat(new String[] {"models", "publish", file.toString(), "--signing-key",
        signing.toString()}, flags));
    assertEquals(0, publish.code, publish.err);
    assertTrue(publish.out.contains("(signed)"), publish.out);
    long signed = Long.parseLong(publish.out.replaceAll("(?s).*as version (\\d+).*", "$1"));
    assertTrue(signed > unsigned, publish.out);

    Cli list = Cli.run(cat(new String[] {"models", "list", "--model-public-key", publicKey.toString()}, flags));
    assertEquals(0, list.code, list.err);
    assertTrue(list.out.contains("refused at streamcast.models-0@"), list.out);
    assertTrue(list.out.lines().anyMatch(l -> l.startsWith("* " + signed)), list.out);
    Cli show = Cli.run(cat(new String[] {"models", "show", Long.toString(signed), "--model-public-key",
        publicKey.toString()}, flags));
    assertEquals(0, show.code, show.err);
    assertTrue(show.out.contains(", signed"), show.out);
    // the unsigned version does not verify: a pipeline with the public key could never serve it
    Cli rollback = Cli.run(cat(new String[] {"models", "rollback", Long.toString(unsigned), "--model-public-key",
        publicKey.toString(), "--signing-key", signing.toString()}, flags));
    assertEquals(2, rollback.code, rollback.out);
    assertEquals("pipeline " + name + " has no model version " + unsigned + " on streamcast.models (versions: "
        + signed + ")", rollback.err.strip());
    assertEquals(spec.name(), name);

    // a tombstone withdraws the model: the pipeline serves its baseline
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(kafka.producerProps(),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("streamcast.models", name, null)).get();
    }
    Cli withdrawn = Cli.run(cat(new String[] {"models", "list", "--model-public-key", publicKey.toString()}, flags));
    assertEquals(0, withdrawn.code, withdrawn.err);
    assertTrue(withdrawn.out.contains("in service: the seasonal-naive baseline"), withdrawn.out);
    assertTrue(withdrawn.out.contains("withdrawn (tombstone) at streamcast.models-0@"), withdrawn.out);
    assertTrue(withdrawn.out.lines().noneMatch(l -> l.startsWith("* ")), withdrawn.out);
  }

  /** Three phases of {@value #PHASE} hours of both keys: a daily wave with seeded noise. */
  private static List<List<KeyValue<String, String>>> events() {
    Random r = new Random(7);
    List<List<KeyValue<String, String>>> phases = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      List<KeyValue<String, String>> events = new ArrayList<>();
      for (int h = p * PHASE; h < (p + 1) * PHASE; h++) {
        for (int k = 0; k < KEYS.size(); k++) {
          double v = 15 + 5 * k + 4 * Math.sin(2 * Math.PI * h / 24) + r.nextGaussian();
          events.add(KeyValue.pair(KEYS.get(k), "{\"key\":\"" + KEYS.get(k) + "\",\"ts\":\""
              + T0.plusSeconds(3600L * h) + "\",\"value\":" + v + "}"));
        }
      }
      phases.add(events);
    }
    return phases;
  }

  /** The values of {@link #events()} per key, in time order. */
  private static Map<Instant, Double> series(String key) {
    Map<Instant, Double> out = new TreeMap<>();
    for (List<KeyValue<String, String>> phase : events()) {
      for (KeyValue<String, String> kv : phase) {
        if (kv.key.equals(key)) {
          String json = kv.value;
          Instant ts = Instant.parse(json.replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1"));
          out.put(ts, Double.parseDouble(json.replaceAll(".*\"value\":([^}]+)}.*", "$1")));
        }
      }
    }
    return out;
  }

  /** Waits for the forecasts of every closed step after {@code phases} phases: all but each key's last hour. */
  private static Map<String, List<Forecast>> forecasts(TestKafka kafka, PipelineSpec spec, int phases,
      Forecaster model) {
    Map<Instant, double[]> one = offline(spec, KEYS.get(0), model, model, model, Instant.MAX, Instant.MAX);
    Instant end = T0.plusSeconds(3600L * (phases * PHASE - 1));
    int count = KEYS.size() * (int) one.keySet().stream().filter(t -> t.isBefore(end)).count();
    List<ConsumerRecord<String, String>> records = kafka.consume(spec.output().forecasts(), count, WAIT,
        IsolationLevel.READ_COMMITTED);
    assertEquals(count, records.size(), "one forecast per key and closed step");
    var serde = TopologySerdes.forecastJson().deserializer();
    Map<String, List<Forecast>> out = new TreeMap<>();
    for (ConsumerRecord<String, String> r : records) {
      Forecast f = serde.deserialize(r.topic(), r.value().getBytes(StandardCharsets.UTF_8));
      out.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
    }
    out.values().forEach(l -> l.sort(java.util.Comparator.comparing(Forecast::origin)));
    return out;
  }

  private static Instant firstOrigin(List<Forecast> fs, long version, String key) {
    return fs.stream().filter(f -> f.modelVersion() == version).map(Forecast::origin).findFirst()
        .orElseThrow(() -> new AssertionError(key + " never served version " + version));
  }

  /**
   * One key's forecasts offline: {@code a} before {@code swap2}, {@code b} before {@code swap3}, then {@code c}, each
   * swap re-warming the key as the stream does (the stepper sees the version change).
   */
  private static Map<Instant, double[]> offline(PipelineSpec spec, String key, Forecaster a, Forecaster b,
      Forecaster c, Instant swap2, Instant swap3) {
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
    // the pipeline's own serving step: the model is fed what the stream feeds it (anomalies clipped by the key's band)
    ServingStep step = PipelineTopology.servingStep(spec, stepper, PipelineTopology.quality(spec));
    ServingState s = new ServingState(PipelineTopology.historyCapacity(spec));
    double[] f = new double[spec.model().horizon()];
    Map<Instant, double[]> out = new HashMap<>();
    List<Map.Entry<Instant, Double>> rows = new ArrayList<>(series(key).entrySet());
    for (int t = 0; t < rows.size() - 1; t++) { // the last hour's window never closes
      Instant time = rows.get(t).getKey();
      Forecaster m = time.isBefore(swap2) ? a : time.isBefore(swap3) ? b : c;
      if (step.step(m, key, s, time.toEpochMilli(), rows.get(t).getValue(), f, null) != null) {
        out.put(time, java.util.Arrays.copyOf(f, spec.model().horizon()));
      }
    }
    return out;
  }

  private static String[] cat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** One in-process run of the command line. */
  private record Cli(int code, String out, String err) {
    static Cli run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cl = Streamcast.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Cli(code, out.toString(), err.toString());
    }
  }
}
