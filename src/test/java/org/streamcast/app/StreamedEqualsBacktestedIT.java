package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.model.Autoregression;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.OutputSources;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.model.Smoothing;
import org.streamcast.quality.KeyScores;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.testing.HiddenStateProbe;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.RecordingForecaster;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.TopologySerdes;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.SeriesSteps;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;

/**
 * The per-key state path is right: a real dataset (with holes punched in it, so the gap policy runs) streamed through
 * the pipeline on the real broker with a fixed trained GRU, which steps the keys whose days close together as one
 * batch, gives, for every key and origin, the forecast an offline
 * run of the same model over the same steps gives, and the forecast {@code streamcast backtest --model-file} writes
 * for the same key and origin, within 1e-6; and so do the prediction intervals wherever the key's own calibration
 * serves them (a young key's bands come from the pipeline's pooled errors, which depend on the other keys' order).
 */
@ExtendWith(KafkaExtension.class)
class StreamedEqualsBacktestedIT {
  private static final String SPEC_TEXT = String.join("\n",
      "name: NAME",
      "window: {step: 1d, aggregation: last, grace: 0s}",
      "model: {type: gru, hiddenSize: 8, context: 14, horizon: 5, seasonalLags: [7], calendar: [day_of_week],",
      "        gaps: {policy: impute, maxImputed: 2}}",
      "training: {epochs: 2, patience: 1, seed: 11, history: 400d}",
      "");

  @Test
  void shouldEmitBacktestForecastForEveryKeyAndOriginWhenStreamingWithFixedModel(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("equal").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", SPEC_TEXT.replace("NAME", name));
    List<Observation> rows = new ArrayList<>();
    int i = 0;
    for (Observation o : Datasets.read("vega_weather")) {
      boolean hole = (i % 97 == 50) || (i % 331 == 100 && i % 2 == 0); // single gaps, some beyond maxImputed below
      if (!hole) {
        rows.add(o);
      }
      i++;
    }
    // a 4-day hole in one key: longer than maxImputed, so that key resets and warms up again
    rows.removeIf(o -> o.key().startsWith("Seattle") && o.time().isAfter(Instant.parse("2014-03-01T00:00:00Z"))
        && o.time().isBefore(Instant.parse("2014-03-06T00:00:00Z")));
    TrainedModel trained = new Trainer().train(spec.model(), spec.training(),
        SeriesSteps.of("vega_weather", rows.stream().filter(o -> o.time().isBefore(Instant.parse("2013-06-01T00:00:00Z")))
            .toList(), spec), List.of(), "vega_weather", ProgressListener.NONE);
    // Outputs that training put back to their baseline ignore the hidden state: give them weights from it.
    ModelArtifact artifact = HiddenStateProbe.withHiddenWeights(trained.artifact(), 3);
    if (!artifact.sources().hasBaseline()) {
      // the head start is the baseline every horizon can fall back to; every key starts on the learned output
      boolean[] learned = new boolean[spec.model().horizon()];
      java.util.Arrays.fill(learned, true);
      // one key is served its own smoothing baseline at h = 1 and 2, another an autoregression, so the equality
      // covers their states too
      String smoothed = rows.get(0).key();
      String autoregressed = rows.stream().map(o -> o.key()).filter(k -> !k.equals(smoothed)).findFirst()
          .orElseThrow();
      boolean[] mixed = learned.clone();
      mixed[0] = false;
      mixed[1] = false;
      boolean[] serves = new boolean[learned.length];
      serves[0] = true;
      serves[1] = true;
      Map<String, KeyBaseline> own = Map.of(smoothed, new Smoothing(true, 7, 0.3, 0.05, 0.1, 0.9, serves),
          autoregressed, new Autoregression(2.0, new double[] {0.8, 0.1}, false, serves));
      artifact = artifact.withSources(new OutputSources(trained.headStart().choice(), trained.headStart().inputs(),
          learned, Map.of(smoothed, mixed, autoregressed, mixed), own));
    }
    RecurrentForecaster model = RecurrentForecaster.serving(artifact);
    HiddenStateProbe.assertHiddenStateMatters(spec, model, rows, 1e-6);
    RecordingForecaster served = new RecordingForecaster(model);

    Map<String, List<String>> sources = new HashMap<>();
    int[] switches = new int[1];
    Map<String, double[][]> ownBands = new HashMap<>();
    Map<String, double[]> offline = offline(spec, model, rows, sources, switches, ownBands);
    // live protection switches sources in this run, so equality below covers its choices too
    assertTrue(switches[0] > 0, "no key-horizon switched source offline");

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings, served)));
         EventProducer producer = new EventProducer(settings.clientProperties(), false)) {
      org.streamcast.testing.Await.await(app::isReady, Duration.ofSeconds(60), "pipeline running");
      producer.send(spec.input().topic(), Replay.inEventTimeOrder(rows), EventProducer.Schedule.NOW,
          n -> { }, () -> false);
      // every step but each key's last (its window never closes) is forecast once the key is warm
      List<ConsumerRecord<String, String>> streamed = kafka.consume(spec.output().forecasts(), offline.size(),
          Duration.ofSeconds(120), IsolationLevel.READ_COMMITTED);
      assertEquals(offline.size(), streamed.size(), "one forecast per key and origin");
      var serde = TopologySerdes.forecastJson().deserializer();
      double worst = 0;
      long smoothedPoints = 0;
      long autoregressedPoints = 0;
      double worstBand = 0;
      int bands = 0;
      for (ConsumerRecord<String, String> r : streamed) {
        Forecast f = serde.deserialize(r.topic(), r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(model.version(), f.modelVersion());
        double[] expected = offline.get(f.key() + "@" + f.origin());
        assertTrue(expected != null, "no offline forecast for " + f.key() + " at " + f.origin());
        double[][] own = ownBands.get(f.key() + "@" + f.origin());
        for (Forecast.Point p : f.points()) {
          worst = Math.max(worst, Math.abs(p.value() - expected[p.h() - 1]));
          if (own != null) {
            assertEquals(spec.intervals().size(), p.intervals().size(), f.key() + " at " + f.origin());
            for (int l = 0; l < p.intervals().size(); l++) {
              Forecast.Interval band = p.intervals().get(l);
              worstBand = Math.max(worstBand, Math.abs(band.lower() - (expected[p.h() - 1] - own[l][p.h() - 1])));
              worstBand = Math.max(worstBand, Math.abs(band.upper() - (expected[p.h() - 1] + own[l][p.h() - 1])));
              bands++;
            }
          }
        }
        assertEquals(sources.get(f.key() + "@" + f.origin()), f.points().stream().map(Forecast.Point::source).toList(),
            "the sources of " + f.key() + " at " + f.origin());
        smoothedPoints += f.points().stream().filter(p -> "ets(A,Ad,A)".equals(p.source())).count();
        autoregressedPoints += f.points().stream().filter(p -> "arima(2,0,0)".equals(p.source())).count();
      }
      assertTrue(smoothedPoints > 500, "points served by the key's smoothing baseline: " + smoothedPoints);
      assertTrue(autoregressedPoints > 500, "points served by the key's autoregression: " + autoregressedPoints);
      assertTrue(worst <= 1e-6, "largest difference " + worst);
      assertTrue(bands > 2000, "compared " + bands + " interval bounds");
      assertTrue(worstBand <= 1e-6, "largest interval difference " + worstBand);
      // 8 keys on 4 partitions: the keys of a partition whose day closes together are stepped together
      int largest = served.batches().stream().mapToInt(Integer::intValue).max().orElse(0);
      assertTrue(largest >= 2, "largest batch " + largest);
      assertEqualsBacktest(spec, artifact, rows, streamed.stream().map(r -> serde.deserialize(r.topic(),
          r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList(), ownBands, state.resolve("backtest"));
    }
  }

  /** Runs {@code streamcast backtest --model-file} over the same rows and compares its forecasts.csv. */
  private static void assertEqualsBacktest(PipelineSpec spec, ModelArtifact artifact, List<Observation> rows,
      List<Forecast> streamed, Map<String, double[][]> ownBands, Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    Path csv = dir.resolve("rows.csv");
    List<Observation> sorted = rows.stream().sorted(java.util.Comparator.comparing(Observation::key)
        .thenComparing(Observation::time)).toList();
    StringBuilder text = new StringBuilder("key,timestamp,value\n");
    sorted.forEach(o -> text.append(o.key()).append(',').append(o.time()).append(',').append(o.value()).append('\n'));
    java.nio.file.Files.writeString(csv, text);
    Path model = dir.resolve("model.scm");
    artifact.write(model);
    Path yaml = dir.resolve("spec.yaml");
    java.nio.file.Files.writeString(yaml, SPEC_TEXT.replace("NAME", spec.name()));
    int exit = org.streamcast.cli.Streamcast.commandLine().execute("backtest", "--file", csv.toString(),
        "--topology", yaml.toString(), "--model-file", model.toString(), "--split", "0.05", "--horizons",
        "1,2,3,4,5", "--max-charts", "0", "--out", dir.resolve("out").toString());
    assertEquals(0, exit);
    Map<String, Double> backtested = new HashMap<>();
    Map<String, String[]> backtestedBands = new HashMap<>();
    List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("out/forecasts.csv"));
    assertTrue(lines.get(0).endsWith(",lower_80,upper_80,lower_95,upper_95"), lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[1].equals("gru")) {
        backtested.put(f[0] + "@" + f[2] + "@" + f[3], Double.parseDouble(f[5]));
        backtestedBands.put(f[0] + "@" + f[2] + "@" + f[3], java.util.Arrays.copyOfRange(f, 7, 11));
      }
    }
    int bands = 0;
    double worstBand = 0;
    long step = spec.window().step().toMillis();
    int compared = 0;
    int expected = 0;
    double worst = 0;
    for (Forecast f : streamed) {
      List<Observation> key = sorted.stream().filter(o -> o.key().equals(f.key())).toList();
      long first = key.get(0).time().toEpochMilli();
      long last = key.get(key.size() - 1).time().toEpochMilli();
      int n = (int) ((last - first) / step) + 1;
      long testStart = first + (long) Math.floor(0.05 * n) * step;
      for (Forecast.Point p : f.points()) {
        if (f.origin().toEpochMilli() >= testStart && p.time().toEpochMilli() <= last) {
          expected++;
          Double b = backtested.get(f.key() + "@" + f.origin() + "@" + p.h());
          assertTrue(b != null, "backtest has no forecast for " + f.key() + " at " + f.origin() + " h=" + p.h());
          worst = Math.max(worst, Math.abs(b - p.value()));
          compared++;
          if (ownBands.containsKey(f.key() + "@" + f.origin())) {
            String[] bounds = backtestedBands.get(f.key() + "@" + f.origin() + "@" + p.h());
            for (int l = 0; l < p.intervals().size(); l++) {
              worstBand = Math.max(worstBand, Math.abs(Double.parseDouble(bounds[2 * l]) - p.intervals().get(l).lower()));
              worstBand = Math.max(worstBand,
                  Math.abs(Double.parseDouble(bounds[2 * l + 1]) - p.intervals().get(l).upper()));
              bands++;
            }
          }
        }
      }
    }
    assertTrue(expected > 2000, "compared " + expected + " forecast points");
    assertEquals(expected, compared);
    assertTrue(worst <= 1e-6, "largest difference to the backtest " + worst);
    assertTrue(bands > 2000, "compared " + bands + " interval bounds with the backtest");
    assertTrue(worstBand <= 1e-6, "largest interval difference to the backtest " + worstBand);
  }

  /**
   * The offline run: each key's steps, in order, through the shared serving step and the same model. Where the key's
   * own calibration serves every scored horizon, its interval half-widths go to {@code ownBands}.
   */
  private static Map<String, double[]> offline(PipelineSpec spec, RecurrentForecaster model, List<Observation> rows,
      Map<String, List<String>> sources, int[] switches, Map<String, double[][]> ownBands) {
    Map<String, List<Observation>> byKey = new HashMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
    // its own pooled scores: only the keys' own bands are compared
    ServingStep step = PipelineTopology.servingStep(spec, stepper, PipelineTopology.quality(spec));
    Map<String, double[]> out = new HashMap<>();
    for (var e : byKey.entrySet()) {
      List<Observation> series = e.getValue();
      ServingState state = new ServingState(PipelineTopology.historyCapacity(spec));
      KeyState s = state.model();
      double[] f = new double[model.horizon()];
      for (int t = 0; t < series.size() - 1; t++) { // the last step's window never closes in the stream
        Observation o = series.get(t);
        Forecast forecast = step.step(model, e.getKey(), state, o.time().toEpochMilli(), o.value(), f, null);
        switches[0] += s.protection().fellBack() + s.protection().recovered();
        if (forecast != null) {
          out.put(e.getKey() + "@" + o.time(), f.clone());
          sources.put(e.getKey() + "@" + o.time(), KeyStepper.sources(model, e.getKey(), s));
          boolean own = true;
          for (int j = 0; j < state.quality().horizons().count(); j++) {
            own &= state.quality().count(j) >= KeyScores.MIN_OWN;
          }
          if (own) {
            double[][] half = step.halfWidths();
            double[][] copy = new double[half.length][];
            for (int l = 0; l < half.length; l++) {
              copy[l] = half[l].clone();
            }
            ownBands.put(e.getKey() + "@" + o.time(), copy);
          }
        }
      }
    }
    return out;
  }
}
