package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.retrain.SeriesHistory;
import org.streamcast.retrain.SeriesTopicReader;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
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
 * Multivariate events end to end on the real broker: daily weather events of two cities carrying four readings
 * (holes punched in, so the gap policy holds the covariates, and single readings left out of some events, which the
 * pipeline takes as missing covariates, held, as the backtest does an empty cell), a GRU trained on temp_max with
 * temp_min, wind and
 * precipitation as covariates; every streamed forecast equals the one {@code streamcast backtest --model-file} writes
 * for the same wide CSV, key and origin, within 1e-6, and the series topic carries the covariates.
 */
@ExtendWith(KafkaExtension.class)
class MultivariateStreamIT {
  static final String SPEC_TEXT = String.join("\n",
      "name: NAME",
      "input: {valueFields: [temp_max, temp_min, wind, precipitation], target: temp_max}",
      "window: {step: 1d, grace: 0s, aggregations: {precipitation: sum}}",
      "model: {type: gru, hiddenSize: 8, context: 14, horizon: 3, seasonalLags: [7], calendar: [day_of_year],",
      "        gaps: {policy: impute, maxImputed: 2}}",
      "training: {epochs: 2, patience: 1, seed: 5, history: 400d}",
      "");

  @Test
  void shouldEmitBacktestForecastForEveryOriginWhenEventsCarryCovariates(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("multivariate").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", SPEC_TEXT.replace("NAME", name));
    Path wide = Path.of("src/test/resources/data/vega_weather_wide.csv");
    List<Measurement> rows = new ArrayList<>();
    int i = 0;
    Instant lastHole = Instant.parse("2015-06-01T00:00:00Z");
    for (Measurement m : WideCsvReader.read(wide, "temp_max", spec.input().covariates()).rows()) {
      int at = i++;
      if (at % 89 == 40) {
        continue; // single missing days: imputed, the covariates held
      }
      double[] v = m.values().clone();
      if (m.time().isBefore(lastHole) && at % 37 == 5) {
        v[2] = Double.NaN; // a wind reading the sensor did not send
      }
      if (m.time().isBefore(lastHole) && at % 41 == 9) {
        v[1] = Double.NaN; // a temp_min sent as null
      }
      rows.add(new Measurement(m.key(), m.time(), v));
    }
    Cadence day = new Cadence.Fixed(Duration.ofDays(1));
    Map<String, Series> train = new LinkedHashMap<>();
    SeriesPanel.ofRows(rows.stream().filter(m -> m.time().isBefore(Instant.parse("2013-06-01T00:00:00Z"))).toList(),
        spec.input().covariates(), day).series().forEach(train::put);
    ModelArtifact trained = new Trainer().train(spec.model(), spec.training(), RecurrentMethods.keySeries(train),
        spec.input().covariates(), "vega_weather_wide", ProgressListener.NONE).artifact();
    ModelArtifact artifact = HiddenStateProbe.withHiddenWeights(trained, 3);
    assertEquals(spec.input().covariates(), artifact.features().extraFields());
    RecurrentForecaster model = RecurrentForecaster.serving(artifact);
    assertCovariatesMatter(spec, model, rows);

    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    List<Measurement> inTime = rows.stream().sorted(java.util.Comparator.comparing(Measurement::time)
        .thenComparing(Measurement::key)).toList();
    int expected = offlineForecasts(spec, model, rows);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings, model)))) {
      org.streamcast.testing.Await.await(app::isReady, Duration.ofSeconds(60), "pipeline running");
      // one input partition in event-time order (the series key is a field): no event is late for another key's
      List<ProducerRecord<String, String>> events = new ArrayList<>();
      for (Measurement m : inTime) {
        double[] v = m.values();
        events.add(new ProducerRecord<>(spec.input().topic(), null, m.time().toEpochMilli(), "weather",
            "{\"key\":\"" + m.key() + "\",\"ts\":\"" + m.time() + "\",\"temp_max\":" + v[0] + ",\"temp_min\":"
            + (Double.isNaN(v[1]) ? "null" : v[1]) + (Double.isNaN(v[2]) ? "" : ",\"wind\":" + v[2])
            + ",\"precipitation\":" + v[3] + "}"));
      }
      kafka.produceRecords(events);
      List<ConsumerRecord<String, String>> streamed = kafka.consume(spec.output().forecasts(), expected,
          Duration.ofSeconds(120), IsolationLevel.READ_COMMITTED);
      var serde = TopologySerdes.forecastJson().deserializer();
      List<Forecast> forecasts = streamed.stream().map(r -> serde.deserialize(r.topic(),
          r.value().getBytes(StandardCharsets.UTF_8))).toList();
      List<ConsumerRecord<String, String>> series = kafka.consume(spec.output().series(), 10, Duration.ofSeconds(30),
          IsolationLevel.READ_COMMITTED);
      Step first = StepSerde.json(spec.input().covariates()).deserializer().deserialize("t",
          series.get(0).value().getBytes(StandardCharsets.UTF_8));
      Measurement source = inTime.stream().filter(m -> m.key().equals(first.key()) && m.time().equals(first.start()))
          .findFirst().orElseThrow();
      assertEquals(List.of(source.values()[1], source.values()[2], source.values()[3]),
          java.util.Arrays.stream(first.covariates()).boxed().toList(), "the series record carries the covariates");
      // the retrainer reads the covariates back from the series topic onto each key's grid
      SeriesHistory history = SeriesTopicReader.read(kafka.clientProps(), spec.output().series(),
          spec.training().history(), spec.window().step(), Duration.ofSeconds(30), SeriesTopicReader.Progress.NONE,
          SeriesTopicReader.Holding.of(spec.training()), spec.input().covariates());
      List<Measurement> newYork = rows.stream().filter(m -> m.key().equals("New York")).toList();
      Measurement recent = newYork.get(newYork.size() - 2); // the last step's window never closes
      long slot = Duration.between(history.start("New York"), recent.time()).toDays();
      assertEquals(3, history.covariateCount());
      assertEquals((float) recent.values()[2], (float) history.covariates("New York")[1][(int) slot],
          "wind read back");
      assertEqualsBacktest(spec, artifact, rows, forecasts, dir.resolve("backtest"));
    }
  }

  /** How many forecasts the serving step gives for the rows, each key's last step left out (it never closes). */
  private static int offlineForecasts(PipelineSpec spec, RecurrentForecaster model, List<Measurement> rows) {
    ServingStep step = PipelineTopology.servingStep(spec, new KeyStepper(spec.model().gaps(),
        spec.window().step().toMillis()), PipelineTopology.quality(spec));
    Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
    rows.forEach(m -> byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m));
    int n = 0;
    for (var e : byKey.entrySet()) {
      ServingState state = new ServingState(PipelineTopology.historyCapacity(spec));
      double[] out = new double[model.horizon()];
      for (Measurement m : e.getValue().subList(0, e.getValue().size() - 1)) {
        double[] v = m.values();
        if (step.step(model, e.getKey(), state, m.time().toEpochMilli(), v[0], new double[] {v[1], v[2], v[3]}, out,
            null) != null) {
          n++;
        }
      }
    }
    return n;
  }

  /** Feeding a key no covariates (held at the center) instead of its own changes its forecasts. */
  private static void assertCovariatesMatter(PipelineSpec spec, RecurrentForecaster model, List<Measurement> rows) {
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
    KeyState with = new KeyState(PipelineTopology.historyCapacity(spec));
    KeyState without = new KeyState(PipelineTopology.historyCapacity(spec));
    double[] a = new double[model.horizon()];
    double[] b = new double[model.horizon()];
    double largest = 0;
    String key = rows.get(0).key();
    double[] none = {Double.NaN, Double.NaN, Double.NaN};
    for (Measurement m : rows.stream().filter(r -> r.key().equals(key)).limit(200).toList()) {
      double[] v = m.values();
      stepper.observe(model, key, with, m.time().toEpochMilli(), v[0], new double[] {v[1], v[2], v[3]}, a);
      stepper.observe(model, key, without, m.time().toEpochMilli(), v[0], none, b);
      largest = Math.max(largest, Math.abs(a[0] - b[0]));
    }
    assertTrue(largest > 1e-3, "the covariates change the forecasts by " + largest + " only");
  }

  /** Runs {@code streamcast backtest --model-file} over the rows as a wide CSV and compares its forecasts.csv. */
  private static void assertEqualsBacktest(PipelineSpec spec, ModelArtifact artifact, List<Measurement> rows,
      List<Forecast> streamed, Path dir) throws Exception {
    Files.createDirectories(dir);
    StringBuilder text = new StringBuilder("key,timestamp,temp_max,temp_min,wind,precipitation\n");
    for (Measurement m : rows) {
      double[] v = m.values();
      text.append(m.key()).append(',').append(m.time()).append(',').append(v[0]).append(',')
          .append(Double.isNaN(v[1]) ? "NA" : Double.toString(v[1])).append(',')
          .append(Double.isNaN(v[2]) ? "" : Double.toString(v[2])).append(',').append(v[3]).append('\n');
    }
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, text);
    Path model = dir.resolve("model.scm");
    artifact.write(model);
    Path yaml = dir.resolve("spec.yaml");
    Files.writeString(yaml, SPEC_TEXT.replace("NAME", spec.name()));
    int exit = org.streamcast.cli.Streamcast.commandLine().execute("backtest", "--file", csv.toString(),
        "--topology", yaml.toString(), "--model-file", model.toString(), "--split", "0.05", "--horizons", "1,2,3",
        "--max-charts", "0", "--out", dir.resolve("out").toString());
    assertEquals(0, exit);
    Map<String, Double> backtested = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("out/forecasts.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[1].equals("gru")) {
        backtested.put(f[0] + "@" + f[2] + "@" + f[3], Double.parseDouble(f[5]));
      }
    }
    Map<String, long[]> span = new HashMap<>();
    for (Measurement m : rows) {
      long t = m.time().toEpochMilli();
      span.merge(m.key(), new long[] {t, t}, (x, y) -> new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
    }
    long step = spec.window().step().toMillis();
    int compared = 0;
    double worst = 0;
    for (Forecast f : streamed) {
      long[] s = span.get(f.key());
      int n = (int) ((s[1] - s[0]) / step) + 1;
      long testStart = s[0] + (long) Math.floor(0.05 * n) * step;
      for (Forecast.Point p : f.points()) {
        if (f.origin().toEpochMilli() >= testStart && p.time().toEpochMilli() <= s[1]) {
          Double b = backtested.get(f.key() + "@" + f.origin() + "@" + p.h());
          assertTrue(b != null, "backtest has no forecast for " + f.key() + " at " + f.origin() + " h=" + p.h());
          worst = Math.max(worst, Math.abs(b - p.value()));
          compared++;
        }
      }
    }
    System.out.printf("multivariate: %d forecast points compared, largest difference to the backtest %.3g%n",
        compared, worst);
    assertTrue(compared > 5000, "compared " + compared + " forecast points");
    assertTrue(worst <= 1e-6, "largest difference to the backtest " + worst);
  }
}
