package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
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
import org.streamcast.domain.Step;
import org.streamcast.kafka.EventProducer;
import org.streamcast.kafka.StepSerde;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.registry.ModelFollower;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.registry.ModelTopic;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.testing.Await;
import org.streamcast.testing.HiddenStateProbe;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.TopologySerdes;

/**
 * Retraining and hot-swap on the real broker: a running pipeline starts on the published v1, the retrainer promotes a
 * better v2, every key switches to v2 with its state re-warmed exactly as an offline run does, a worse challenger is
 * rejected, a restarted pipeline starts on v2, and a retrainer killed mid-training leaves the model topic as it was.
 */
@ExtendWith(KafkaExtension.class)
class HotSwapIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void shouldSwapEveryKeyToPromotedModelWithOfflineEqualForecastsWhenRetrained(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("swap").replace('_', '-');
    String yaml = String.join("\n",
        "name: " + name,
        "window: {step: 1d, aggregation: last, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, context: 28, horizon: 3, seasonalLags: [7], calendar: [day_of_year]}",
        "training: {epochs: 3, patience: 2, seed: 5, history: 3000d, promoteMargin: 0.02}",
        "");
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", yaml);
    List<Observation> rows = Datasets.read("vega_weather").stream().filter(o -> o.key().endsWith("temp_max"))
        .sorted(java.util.Comparator.comparing(Observation::time)).toList();
    Instant cut = Instant.parse("2014-06-01T00:00:00Z");
    List<Observation> first = rows.stream().filter(o -> o.time().isBefore(cut)).toList();
    List<Observation> rest = rows.stream().filter(o -> !o.time().isBefore(cut)).toList();

    // v1: trained on a history whose values are shuffled in time: a weak model, but a servable one
    List<Step> firstSteps = first.stream().map(o -> new Step(o.key(), o.time(), o.value(), 1)).toList();
    SeriesHistory weak = RetrainerTest.degraded(SeriesHistory.of("degraded", firstSteps, RetrainerTest.DAY), 3);
    // with weights from the hidden state to every output, so that its keys' states matter
    ModelArtifact v1 = HiddenStateProbe.withHiddenWeights(new Retrainer(spec,
        org.streamcast.training.ProgressListener.NONE, org.streamcast.training.backtest.BacktestListener.NONE)
        .judge(weak, Optional.empty()).candidate().orElseThrow(), 5);
    HiddenStateProbe.assertHiddenStateMatters(spec, RecurrentForecaster.serving(v1), first, 1e-6);
    try (ModelPublisher publisher = new ModelPublisher(kafka.clientProps())) {
      publisher.publish(name, v1);
    }
    long v1Version = v1.provenance().createdAt().getEpochSecond();

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    long v2Version;
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      assertEquals(v1Version, app.models(name).current().version(), "v1 is loaded before the first record");
      produce(settings, spec, first);
      int keys = 2;
      kafka.consume(spec.output().series(), first.size() - keys, WAIT, IsolationLevel.READ_COMMITTED);

      TrainingMeters meters = new TrainingMeters(name);
      meters.bindTo(app.registry());
      Judgement promoted = new RetrainJob(spec, kafka.clientProps(), RetrainJob.Listeners.NONE, meters, null).run();
      assertEquals(Judgement.Decision.PROMOTED, promoted.decision(), promoted.reason());
      v2Version = promoted.candidate().orElseThrow().provenance().createdAt().getEpochSecond();
      assertTrue(v2Version > v1Version);
      Await.await(() -> app.models(name).current().version() == v2Version, WAIT, "v2 in service");
      assertTrue(app.registry().scrape().contains("streamcast_training_runs_total{outcome=\"promoted\",pipeline=\""
          + name + "\"} 1.0"), "promotion counted");
      produce(settings, spec, rest);

      // every step but each key's last (its window never closes) is forecast once the key is warm
      ModelArtifact v2 = latest(kafka, name);
      assertEquals(v2Version, v2.provenance().createdAt().getEpochSecond());
      assertEquals("promoted", v2.provenance().evaluation().get("decision"));
      Map<String, List<Forecast>> streamed = forecasts(kafka, spec, expectedCount(spec, rows,
          RecurrentForecaster.serving(v1)));
      Forecaster m1 = RecurrentForecaster.serving(v1);
      Forecaster m2 = RecurrentForecaster.serving(v2);
      // v2's forecasts depend on the state re-warmed at the swap
      HiddenStateProbe.assertHiddenStateMatters(spec, m2, rows, 1e-6);
      for (var e : streamed.entrySet()) {
        List<Forecast> fs = e.getValue();
        Instant swap = fs.stream().filter(f -> f.modelVersion() == v2Version).map(Forecast::origin).findFirst()
            .orElseThrow(() -> new AssertionError(e.getKey() + " never switched to v2"));
        for (Forecast f : fs) {
          long expectedVersion = f.origin().isBefore(swap) ? v1Version : v2Version;
          assertEquals(expectedVersion, f.modelVersion(), e.getKey() + " at " + f.origin() + ": versions mixed");
        }
        Map<Instant, double[]> offline = offline(spec, e.getKey(), rows, m1, m2, swap);
        double worst = 0;
        for (Forecast f : fs) {
          double[] x = offline.get(f.origin());
          assertTrue(x != null, "no offline forecast for " + e.getKey() + " at " + f.origin());
          for (Forecast.Point p : f.points()) {
            worst = Math.max(worst, Math.abs(p.value() - x[p.h() - 1]));
          }
        }
        assertTrue(worst <= 1e-6, e.getKey() + ": largest difference " + worst);
      }

      // a challenger trained on a degraded copy of the history is rejected; v2 stays
      PipelineSpec degradedSpec = withSeries(spec, spec.output().series() + "-degraded");
      List<Step> steps = rows.stream().map(o -> new Step(o.key(), o.time(), o.value(), 1)).toList();
      produceSteps(kafka, degradedSpec.output().series(),
          RetrainerTest.degraded(SeriesHistory.of("all", steps, RetrainerTest.DAY), 11));
      Map<TopicPartition, Long> before = endOffsets(kafka);
      Judgement rejected = new RetrainJob(degradedSpec, kafka.clientProps(), RetrainJob.Listeners.NONE, meters, null)
          .run();
      assertEquals(Judgement.Decision.REJECTED, rejected.decision(), rejected.reason());
      assertEquals(before, endOffsets(kafka), "nothing published");
      assertEquals(v2Version, app.models(name).current().version());
    }

    // a restarted pipeline starts on the latest model
    try (StreamcastApp again = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      assertEquals(v2Version, again.models(name).current().version());
    }

    // a retrainer killed in the middle of training publishes nothing
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml.replace("epochs: 3, patience: 2", "epochs: 500, patience: 500"),
        StandardCharsets.UTF_8);
    Map<TopicPartition, Long> before = endOffsets(kafka);
    try (StreamcastProcess p = StreamcastProcess.start(dir.resolve("retrain.out"), "retrain", "--topology",
        file.toString(), "--bootstrap", kafka.bootstrapServers())) {
      p.awaitLine(Pattern.compile("epoch 2/500"), WAIT);
      p.destroyForcibly();
      p.awaitExit(Duration.ofSeconds(30));
      assertFalse(p.output().contains("promoted"), p.output());
    }
    assertEquals(before, endOffsets(kafka));
    assertEquals(v2Version, latest(kafka, name).provenance().createdAt().getEpochSecond());
  }

  private static void produce(RuntimeSettings settings, PipelineSpec spec, List<Observation> rows)
      throws InterruptedException {
    try (EventProducer producer = new EventProducer(settings.clientProperties(), false)) {
      producer.send(spec.input().topic(), Replay.inEventTimeOrder(rows), EventProducer.Schedule.NOW,
          n -> { }, () -> false);
    }
  }

  private static void produceSteps(TestKafka kafka, String topic, SeriesHistory h) throws Exception {
    var ser = StepSerde.json().serializer();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (String key : h.keys()) {
        for (Step s : h.steps(key)) {
          p.send(new ProducerRecord<>(topic, null, s.start().toEpochMilli(), s.key(), ser.serialize(topic, s)));
        }
      }
      p.flush();
    }
  }

  private static PipelineSpec withSeries(PipelineSpec s, String series) {
    return new PipelineSpec(s.name(), s.input(), s.window(), s.model(), s.training(),
        new PipelineSpec.Output(s.output().forecasts(), series, s.output().deadLetters()), s.intervals(), s.watch(),
        s.runtime());
  }

  private static ModelArtifact latest(TestKafka kafka, String pipeline) {
    try (ModelFollower f = new ModelFollower(kafka.clientProps(), Set.of(pipeline))) {
      return f.catchUp(Duration.ofSeconds(30)).get(pipeline).artifact();
    }
  }

  private static Map<TopicPartition, Long> endOffsets(TestKafka kafka) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProps())) {
      var result = admin.listOffsets(Map.of(new TopicPartition(ModelTopic.NAME, 0), OffsetSpec.latest())).all().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      result.forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    }
  }

  /** How many forecasts the whole stream gives (both models have the same warm-up). */
  private static int expectedCount(PipelineSpec spec, List<Observation> rows, Forecaster model) {
    Map<String, List<Observation>> byKey = byKey(rows);
    int n = 0;
    for (var e : byKey.entrySet()) {
      n += offline(spec, e.getKey(), rows, model, model, Instant.MAX).size();
    }
    return n;
  }

  private static Map<String, List<Forecast>> forecasts(TestKafka kafka, PipelineSpec spec, int count) {
    List<ConsumerRecord<String, String>> records = kafka.consume(spec.output().forecasts(), count, WAIT,
        IsolationLevel.READ_COMMITTED);
    assertEquals(count, records.size(), "one forecast per key and origin");
    var serde = TopologySerdes.forecastJson().deserializer();
    Map<String, List<Forecast>> out = new TreeMap<>();
    for (ConsumerRecord<String, String> r : records) {
      Forecast f = serde.deserialize(r.topic(), r.value().getBytes(StandardCharsets.UTF_8));
      out.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
    }
    out.values().forEach(l -> l.sort(java.util.Comparator.comparing(Forecast::origin)));
    return out;
  }

  private static Map<String, List<Observation>> byKey(List<Observation> rows) {
    Map<String, List<Observation>> byKey = new TreeMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    return byKey;
  }

  /** One key's forecasts offline: {@code before} up to {@code swap}, then {@code after} (re-warmed by the stepper). */
  private static Map<Instant, double[]> offline(PipelineSpec spec, String key, List<Observation> rows,
      Forecaster before, Forecaster after, Instant swap) {
    List<Observation> series = byKey(rows).get(key);
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
    // the pipeline's own serving step: the model is fed what the stream feeds it (anomalies clipped by the key's band)
    ServingStep step = PipelineTopology.servingStep(spec, stepper, PipelineTopology.quality(spec));
    ServingState s = new ServingState(PipelineTopology.historyCapacity(spec));
    double[] f = new double[spec.model().horizon()];
    Map<Instant, double[]> out = new HashMap<>();
    for (int t = 0; t < series.size() - 1; t++) {
      Observation o = series.get(t);
      Forecaster m = o.time().isBefore(swap) ? before : after;
      if (step.step(m, key, s, o.time().toEpochMilli(), o.value(), f, null) != null) {
        out.put(o.time(), java.util.Arrays.copyOf(f, spec.model().horizon()));
      }
    }
    return out;
  }
}
