package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.WideCsvReader;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Measurement;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.testing.Await;
import org.streamcast.testing.HiddenStateProbe;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.TopologySerdes;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.Trainer;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.RecurrentMethods;
import org.streamcast.training.backtest.Series;
import org.streamcast.training.backtest.SeriesPanel;

/**
 * A model swap with covariates on the real broker: a pipeline of weather events serves v1 (a GRU reading temp_min,
 * wind and precipitation), v2 is published mid-stream, and every key re-warms under v2 from the target and covariate
 * history its state kept: each forecast equals an offline run that serves v1 before the key's swap and v2 from it,
 * within 1e-6.
 */
@ExtendWith(KafkaExtension.class)
class MultivariateSwapIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void shouldRewarmEveryKeyFromItsCovariateHistoryWhenTheModelIsSwapped(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("mvswap").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", MultivariateStreamIT.SPEC_TEXT.replace("NAME", name));
    List<Measurement> rows = WideCsvReader.read(Path.of("src/test/resources/data/vega_weather_wide.csv"),
        "temp_max", spec.input().covariates()).rows().stream()
        .sorted(java.util.Comparator.comparing(Measurement::time).thenComparing(Measurement::key)).toList();
    ModelArtifact v1 = train(spec, rows, 5, 3);
    ModelArtifact v2;
    do {
      v2 = train(spec, rows, 6, 7); // a later second: a newer version
    } while (v2.provenance().createdAt().getEpochSecond() <= v1.provenance().createdAt().getEpochSecond());
    long v1Version = v1.provenance().createdAt().getEpochSecond();
    long v2Version = v2.provenance().createdAt().getEpochSecond();
    Forecaster m1 = RecurrentForecaster.serving(v1);
    Forecaster m2 = RecurrentForecaster.serving(v2);
    Instant cut = Instant.parse("2014-06-01T00:00:00Z");
    List<Measurement> first = rows.stream().filter(m -> m.time().isBefore(cut)).toList();
    List<Measurement> rest = rows.stream().filter(m -> !m.time().isBefore(cut)).toList();

    try (ModelPublisher publisher = new ModelPublisher(kafka.clientProps())) {
      publisher.publish(name, v1);
    }
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      assertEquals(v1Version, app.models(name).current().version(), "v1 is loaded before the first record");
      produce(kafka, spec, first);
      kafka.consume(spec.output().series(), first.size() - 2, WAIT, IsolationLevel.READ_COMMITTED);
      try (ModelPublisher publisher = new ModelPublisher(kafka.clientProps())) {
        publisher.publish(name, v2);
      }
      Await.await(() -> app.models(name).current().version() == v2Version, WAIT, "v2 in service");
      produce(kafka, spec, rest);

      int count = 0;
      for (String key : byKey(rows).keySet()) {
        count += offline(spec, byKey(rows).get(key), m1, m1, Instant.MAX).size();
      }
      List<ConsumerRecord<String, String>> records = kafka.consume(spec.output().forecasts(), count, WAIT,
          IsolationLevel.READ_COMMITTED);
      var serde = TopologySerdes.forecastJson().deserializer();
      Map<String, List<Forecast>> streamed = new TreeMap<>();
      for (ConsumerRecord<String, String> r : records) {
        Forecast f = serde.deserialize(r.topic(), r.value().getBytes(StandardCharsets.UTF_8));
        streamed.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
      }
      assertEquals(2, streamed.size());
      for (var e : streamed.entrySet()) {
        List<Forecast> fs = e.getValue();
        fs.sort(java.util.Comparator.comparing(Forecast::origin));
        Instant swap = fs.stream().filter(f -> f.modelVersion() == v2Version).map(Forecast::origin).findFirst()
            .orElseThrow(() -> new AssertionError(e.getKey() + " never switched to v2"));
        assertTrue(swap.isAfter(cut.minus(Duration.ofDays(2))), e.getKey() + " swapped at " + swap);
        Map<Instant, double[]> expected = offline(spec, byKey(rows).get(e.getKey()), m1, m2, swap);
        double worst = 0;
        for (Forecast f : fs) {
          assertEquals(f.origin().isBefore(swap) ? v1Version : v2Version, f.modelVersion(), "versions mixed");
          double[] x = expected.get(f.origin());
          assertTrue(x != null, "no offline forecast for " + e.getKey() + " at " + f.origin());
          for (Forecast.Point p : f.points()) {
            worst = Math.max(worst, Math.abs(p.value() - x[p.h() - 1]));
          }
        }
        System.out.printf("%s: swapped at %s, largest difference to offline %.3g%n", e.getKey(), swap, worst);
        assertTrue(worst <= 1e-6, e.getKey() + ": largest difference " + worst);
      }
    }
  }

  /** A GRU on the covariates, trained on the rows before mid-2013, with weights from its hidden state. */
  private static ModelArtifact train(PipelineSpec spec, List<Measurement> rows, long seed, long probeSeed) {
    PipelineSpec.Training t = spec.training();
    PipelineSpec seeded = SpecLoader.parse("seeded.yaml", MultivariateStreamIT.SPEC_TEXT.replace("NAME", "seeded")
        .replace("seed: 5", "seed: " + seed));
    Map<String, Series> parts = new LinkedHashMap<>(SeriesPanel.ofRows(rows.stream()
        .filter(m -> m.time().isBefore(Instant.parse("2013-06-01T00:00:00Z"))).toList(), spec.input().covariates(),
        new Cadence.Fixed(Duration.ofDays(1))).series());
    ModelArtifact trained = new Trainer().train(spec.model(), seeded.training(), RecurrentMethods.keySeries(parts),
        spec.input().covariates(), "vega_weather_wide " + t.seed(), ProgressListener.NONE).artifact();
    return HiddenStateProbe.withHiddenWeights(trained, probeSeed);
  }

  /** One input partition in event-time order (the series key is a field). */
  private static void produce(TestKafka kafka, PipelineSpec spec, List<Measurement> rows) {
    List<ProducerRecord<String, String>> events = new ArrayList<>();
    for (Measurement m : rows) {
      double[] v = m.values();
      events.add(new ProducerRecord<>(spec.input().topic(), null, m.time().toEpochMilli(), "weather",
          "{\"key\":\"" + m.key() + "\",\"ts\":\"" + m.time() + "\",\"temp_max\":" + v[0] + ",\"temp_min\":" + v[1]
          + ",\"wind\":" + v[2] + ",\"precipitation\":" + v[3] + "}"));
    }
    kafka.produceRecords(events);
  }

  private static Map<String, List<Measurement>> byKey(List<Measurement> rows) {
    Map<String, List<Measurement>> out = new TreeMap<>();
    rows.forEach(m -> out.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m));
    return out;
  }

  /** One key's forecasts offline: {@code before} up to {@code swap}, then {@code after} (re-warmed by the stepper). */
  private static Map<Instant, double[]> offline(PipelineSpec spec, List<Measurement> series, Forecaster before,
      Forecaster after, Instant swap) {
    ServingStep step = PipelineTopology.servingStep(spec, new KeyStepper(spec.model().gaps(),
        spec.window().step().toMillis()), PipelineTopology.quality(spec));
    ServingState state = new ServingState(PipelineTopology.historyCapacity(spec));
    double[] f = new double[spec.model().horizon()];
    Map<Instant, double[]> out = new HashMap<>();
    for (Measurement m : series.subList(0, series.size() - 1)) { // the last step's window never closes
      double[] v = m.values();
      Forecaster model = m.time().isBefore(swap) ? before : after;
      if (step.step(model, m.key(), state, m.time().toEpochMilli(), v[0], new double[] {v[1], v[2], v[3]}, f,
          null) != null) {
        out.put(m.time(), f.clone());
      }
    }
    return out;
  }
}
