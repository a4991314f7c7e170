package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.resample.KeySteps;
import org.streamcast.resample.Resampler;
import org.streamcast.resample.StepGrid;
import org.streamcast.retrain.SeriesHistory;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.StreamsSettings;
import org.streamcast.training.KeySeries;
import org.streamcast.training.SeriesSteps;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.Series;
import org.streamcast.training.backtest.SeriesPanel;

/**
 * Issue 14, "one resampler": the stream's windows, training's steps, the backtest's panel and the retrainer's history
 * are the same steps, bit for bit, for the same events: several events per step, a gap, a first event off the step
 * boundary, and covariates with their own aggregations.
 */
class OneResamplerTest {
  private static final Instant WALL_CLOCK = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  @TempDir Path stateDir;

  private static PipelineSpec spec(String gaps) {
    return SpecLoader.parse("grid.yaml", String.join("\n",
        "name: grid",
        "input: {valueFields: [load, temp, rain], target: load}",
        "window: {step: 1h, grace: 0s, aggregation: mean, aggregations: {temp: max, rain: sum}}",
        "model: {horizon: 2, seasonalLags: [], calendar: [], gaps: {policy: " + gaps + "}}",
        ""));
  }

  /** Events in time order: key a starts at 00:17 (off the hour), has three events at 00:xx, none at 02:xx. */
  private static List<Measurement> events() {
    List<Measurement> out = new ArrayList<>();
    out.add(row("a", 17, 0.1, 3.5, 0.1));
    out.add(row("b", 20, 7, 1, 0));
    out.add(row("a", 25, 0.2, 4.25, 0.2));
    out.add(row("a", 59, 0.7, 2, 0.7));
    out.add(row("b", 61, 8, 2, 0.3));
    out.add(row("a", 65, 1.1, -1, 0));
    out.add(row("b", 130, 9.5, 3, 0.1));
    out.add(row("a", 190, 1e-3, 0.5, 0.3));
    out.add(row("a", 220, 1.0 / 3, 0.75, 0.6));
    out.add(row("b", 235, 10.25, 4, 0.2));
    out.add(row("a", 241, 2.5, 0, 0));
    out.add(row("b", 299, 11, 5, 0));
    out.add(row("z", 360, 0, 0, 0)); // closes every window of a and b (grace 0)
    return out;
  }

  private static Measurement row(String key, int minutes, double load, double temp, double rain) {
    return new Measurement(key, T0.plus(Duration.ofMinutes(minutes)), new double[] {load, temp, rain});
  }

  /** The steps the pipeline's topology emits for {@link #events()}, keys a and b. */
  private List<Step> streamed(PipelineSpec spec) {
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    try (TopologyTestDriver driver = new TopologyTestDriver(PipelineTopology.build(spec, PipelineObserver.NONE),
        props, WALL_CLOCK)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(),
          new ByteArraySerializer());
      TestOutputTopic<String, Step> out = driver.createOutputTopic(spec.output().series(), new StringDeserializer(),
          StepSerde.json(spec.input().covariates()).deserializer());
      for (Measurement m : events()) {
        double[] v = m.values();
        in.pipeInput(null, ("{\"key\":\"" + m.key() + "\",\"ts\":\"" + m.time() + "\",\"load\":" + v[0]
            + ",\"temp\":" + v[1] + ",\"rain\":" + v[2] + "}").getBytes(StandardCharsets.UTF_8));
      }
      return out.readValuesToList().stream().filter(s -> !s.key().equals("z")).toList();
    }
  }

  private static List<Step> of(List<Step> steps, String key) {
    return steps.stream().filter(s -> s.key().equals(key)).toList();
  }

  @Test
  void shouldGiveTheStreamsStepsWhenTrainingBacktestAndRetrainerResampleTheSameEvents() {
    PipelineSpec spec = spec("impute");
    List<Step> stream = streamed(spec);
    List<Step> a = of(stream, "a");
    // the stream itself: epoch-aligned hours, 00:00 (not the first event's 00:17), 01:00, then 03:00 and 04:00
    assertEquals(List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(3 * 3600), T0.plusSeconds(4 * 3600)),
        a.stream().map(Step::start).toList());
    assertEquals((0.1 + 0.2 + 0.7) / 3, a.get(0).value(), 0, "load: the mean of the hour's three events");
    assertArrayEquals(new double[] {4.25, 0.1 + 0.2 + 0.7}, a.get(0).covariates(), 0, "temp: max, rain: sum");
    assertEquals(3, a.get(0).count());

    List<Measurement> rows = events().stream().filter(m -> !m.key().equals("z")).toList();
    List<KeySteps> core = new Resampler(new StepGrid.Fixed(3_600_000L),
        Resampler.aggregations(spec.window(), spec.input().fieldOrder()), spec.model().gaps().policy()).resample(rows);
    List<KeySeries> training = SeriesSteps.ofRows("events", rows, spec);
    SeriesPanel panel = SeriesPanel.ofRows(rows, spec.input().covariates(), new Cadence.Fixed(Duration.ofHours(1)),
        Resampler.aggregations(spec.window(), spec.input().fieldOrder()));
    SeriesHistory history = SeriesHistory.of("series", stream, spec.window().step());
    for (String key : List.of("a", "b")) {
      List<Step> expected = of(stream, key);
      KeySteps c = core.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
      KeySeries t = training.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
      Series p = panel.series().get(key);
      assertEquals(expected.get(0).start(), p.start(), key + ": the panel starts at the stream's first step");
      assertEquals(history.start(key), p.start(), key + ": so does the retrainer's history");
      int j = 0;
      for (int i = 0; i < c.length(); i++) {
        Instant at = Instant.ofEpochMilli(c.starts()[i]);
        assertEquals(at.getEpochSecond(), t.epochSeconds()[i], key + " step " + i + ": training's time");
        assertEquals(at, p.cadence().at(p.start(), i), key + " step " + i + ": the panel's time");
        if (j < expected.size() && expected.get(j).start().equals(at)) {
          Step s = expected.get(j++);
          Step fromCore = new Step(key, at, c.values()[i], c.counts()[i], covariates(c, i));
          assertEquals(s, fromCore, key + " step " + i + ": the core's step");
          assertEquals(s.value(), t.values()[i], 0, key + " step " + i + ": training's value");
          assertArrayEquals(s.covariates(), new double[] {t.extras()[0][i], t.extras()[1][i]}, 0);
          assertEquals(false, t.imputed()[i]);
          assertEquals(s.value(), p.value(i), 0, key + " step " + i + ": the backtest's value");
          assertArrayEquals(s.covariates(), p.covariatesAt(i), 0);
          assertEquals((float) s.value(), (float) history.grid(key)[i], 0, key + " step " + i + ": retrainer's");
        } else {
          // a gap: no stream step; training repeats the previous value flagged imputed, the panel has NaN
          assertTrue(c.gap(i) && t.imputed()[i] && Double.isNaN(p.value(i)) && Double.isNaN(history.grid(key)[i]),
              key + " step " + i + " is a gap everywhere");
          assertEquals(t.values()[i - 1], t.values()[i], 0);
        }
      }
      assertEquals(expected.size(), j, key + ": every streamed step is in the batch form");
    }
    assertEquals(1, training.get(0).length() - of(stream, "a").size(), "a's one gap (02:00)");
  }

  @Test
  void shouldGiveOnlyTheStreamsStepsWhenGapsAreSkipped() {
    PipelineSpec spec = spec("skip");
    List<Step> stream = streamed(spec);
    List<KeySeries> training = SeriesSteps.ofRows("events",
        events().stream().filter(m -> !m.key().equals("z")).toList(), spec);
    for (KeySeries t : training) {
      List<Step> expected = of(stream, t.key());
      assertEquals(expected.size(), t.length(), t.key() + ": one training step per streamed step, no gap step");
      for (int i = 0; i < t.length(); i++) {
        assertEquals(expected.get(i).start().getEpochSecond(), t.epochSeconds()[i]);
        assertEquals(expected.get(i).value(), t.values()[i], 0);
        assertArrayEquals(expected.get(i).covariates(), new double[] {t.extras()[0][i], t.extras()[1][i]}, 0);
      }
    }
  }

  private static double[] covariates(KeySteps k, int i) {
    double[] out = new double[k.covariates().length];
    for (int f = 0; f < out.length; f++) {
      out[f] = k.covariates()[f][i];
    }
    return out;
  }
}
