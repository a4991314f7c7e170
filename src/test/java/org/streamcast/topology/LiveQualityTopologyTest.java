package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.ModelHolder;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.PipelineScores;
import org.streamcast.domain.Gaps;
import org.streamcast.serving.ServingState;

/**
 * Live scoring in the forecast processor: every published forecast is scored at its horizon when its actual arrives,
 * the pipeline's rolling errors and the key's own match a hand computation, intervals appear on forecast records as
 * soon as there are enough residuals, and keys and watched steps are reported.
 */
class LiveQualityTopologyTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  private static final int SEASON = 3;
  private static final int H = 2;
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, Forecast> forecasts;
  private PipelineScores quality;
  private final Recorder observer = new Recorder();

  /** A real observer that keeps what it was told. */
  static final class Recorder implements PipelineObserver {
    long tracked;
    long warming;
    int published;
    final List<Watched> watched = new ArrayList<>();

    @Override
    public void keys(long t, long w) {
      tracked += t;
      warming += w;
    }

    @Override
    public void published(long lagMillis) {
      published++;
    }

    @Override
    public void watched(Watched step) {
      watched.add(step);
    }
  }

  private void start(GapPolicy policy, List<String> watch) {
    PipelineSpec base = TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ZERO, List.of(SEASON), H,
        new Gaps(policy, 2));
    PipelineSpec spec = new PipelineSpec(base.name(), base.input(), base.window(), base.model(), base.training(),
        base.output(), List.of(0.5, 0.8), watch);
    quality = PipelineTopology.quality(spec);
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    driver = new TopologyTestDriver(PipelineTopology.build(spec, new ModelHolder(PipelineTopology.baseline(spec)),
        quality, observer), props);
    input = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
    forecasts = driver.createOutputTopic(spec.output().forecasts(), new StringDeserializer(),
        TopologySerdes.forecastJson().deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void at(String key, int hour, double value) {
    String json = "{\"ts\":\"" + T0.plus(Duration.ofHours(hour)) + "\",\"value\":" + value + "}";
    input.pipeInput(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private static double y(int t) {
    return (t % 4) * 3 + t * 0.5 + (t % 7 == 0 ? 5 : 0);
  }

  @Test
  void shouldScoreEveryForecastAtItsHorizonAndMatchAHandComputationWhenActualsArrive() {
    start(GapPolicy.IMPUTE, List.of());
    int n = 40;
    for (int t = 0; t <= n; t++) {
      at("k", t, y(t)); // the event at hour n closes hour n − 1: steps 0..n−1
    }
    // seasonal naive m=3: at origin t (t ≥ 2), ŷ[t+1] = y[t−2], ŷ[t+2] = y[t−1]; naive: y[t]
    for (int h = 1; h <= H; h++) {
      double abs = 0;
      double sq = 0;
      double naive = 0;
      int count = 0;
      for (int t = SEASON - 1; t + h <= n - 1; t++) {
        double e = y(t + h) - y(t + h - SEASON);
        abs += Math.abs(e);
        sq += e * e;
        naive += Math.abs(y(t + h) - y(t));
        count++;
      }
      assertEquals(count, quality.count(h - 1), "h=" + h);
      assertEquals(abs / count, quality.mae(h - 1), 1e-4, "MAE h=" + h);
      assertEquals(Math.sqrt(sq / count), quality.rmse(h - 1), 1e-4, "RMSE h=" + h);
      assertEquals(1 - abs / naive, quality.skill(h - 1), 1e-4, "skill h=" + h);
      KeyScores own = driver.<String, ServingState>getKeyValueStore(PipelineTopology.KEY_STATE_STORE).get("k")
          .quality();
      assertEquals(count, own.count(h - 1), "the key's own window, h=" + h);
      assertEquals(abs / count, own.mae(h - 1), 1e-4, "the key's own MAE, h=" + h);
    }
    assertEquals(1, observer.tracked);
    assertEquals(0, observer.warming);
    assertEquals(n - SEASON + 1, observer.published);
  }

  @Test
  void shouldPublishIntervalsOnceThereAreEnoughResidualsWhenForecasting() {
    start(GapPolicy.IMPUTE, List.of());
    for (int t = 0; t <= 12; t++) {
      at("k", t, y(t));
    }
    List<Forecast> out = forecasts.readValuesToList();
    // forecasts from origin 2; h=1 residuals from step 3 on: at origin t there are t − 2 of them. Level 0.5 needs
    // ⌈(n+1)/2⌉ ≤ n, n ≥ 1; level 0.8 needs n ≥ 4 (pooled: the key has fewer than KeyScores.MIN_OWN)
    for (Forecast f : out) {
      int t = (int) Duration.between(T0, f.origin()).toHours();
      Forecast.Point p1 = f.points().get(0);
      int residuals = t - 2;
      List<Double> levels = p1.intervals().stream().map(Forecast.Interval::level).toList();
      List<Double> expected = residuals >= 4 ? List.of(0.5, 0.8) : residuals >= 1 ? List.of(0.5) : List.of();
      assertEquals(expected, levels, "levels at origin " + t);
      if (residuals >= 4) {
        // the pooled band in the key's units: each error over the key's naive MAE at h = 1 before its step (the
        // first error has none), the quantile taken back by the key's naive MAE now; with fewer than 4 such ratios,
        // the absolute errors' quantile
        double q;
        if (residuals - 1 >= 4) {
          double[] ratios = new double[residuals - 1];
          for (int s = 4; s <= t; s++) {
            ratios[s - 4] = Math.abs(y(s) - y(s - SEASON)) / naiveMae(3, s - 1);
          }
          Arrays.sort(ratios);
          q = ratios[(int) Math.ceil(residuals * 0.8 - 1e-9) - 1] * naiveMae(3, t);
        } else {
          double[] abs = new double[residuals];
          for (int s = 3; s <= t; s++) {
            abs[s - 3] = Math.abs(y(s) - y(s - SEASON));
          }
          Arrays.sort(abs);
          q = abs[(int) Math.ceil((residuals + 1) * 0.8 - 1e-9) - 1];
        }
        Forecast.Interval band = p1.intervals().get(1);
        assertEquals(p1.value() - q, band.lower(), 1e-4, "lower 0.8 at origin " + t);
        assertEquals(p1.value() + q, band.upper(), 1e-4, "upper 0.8 at origin " + t);
      }
    }
    assertTrue(quality.coverage(0) >= 0 && quality.coverage(0) <= 1);
  }

  /** Mean of |y(u) − y(u − 1)| for u = from..to: the naive forecast's error at h = 1. */
  private static double naiveMae(int from, int to) {
    double sum = 0;
    for (int u = from; u <= to; u++) {
      sum += Math.abs(y(u) - y(u - 1));
    }
    return sum / (to - from + 1);
  }

  @Test
  void shouldReportWatchedStepsWithTheForecastMadeForThemWhenTheKeyIsWatched() {
    start(GapPolicy.IMPUTE, List.of("w"));
    for (int t = 0; t <= 6; t++) {
      at("w", t, y(t));
      at("other", t, y(t));
    }
    assertEquals(6, observer.watched.size(), "steps 0..5 of w only");
    assertEquals(2, observer.tracked);
    PipelineObserver.Watched last = observer.watched.get(5);
    assertEquals(T0.plus(Duration.ofHours(5)).toEpochMilli(), last.start());
    assertEquals(y(5), last.actual());
    assertEquals(y(5 - SEASON), last.forecast(), "made at step 4 for step 5");
    assertEquals(T0.plus(Duration.ofHours(5)), last.latest().origin());
    assertTrue(Double.isNaN(observer.watched.get(2).forecast()), "no forecast was made for step 2");
    assertTrue(observer.watched.get(2).latest() != null, "the first forecast is made at step 2");
  }

  @Test
  void shouldNotScoreImputedStepsWhenAGapIsImputed() {
    start(GapPolicy.IMPUTE, List.of("k"));
    for (int t = 0; t < 6; t++) {
      at("k", t, y(t));
    }
    int before = quality.count(0);
    at("k", 8, y(8)); // closes hour 5
    at("k", 9, y(9)); // closes hour 8 after imputing 6 and 7
    // step 5 scores the forecast made at 4; steps 6 and 7 are imputed, so the forecasts made at 5 are never scored;
    // step 8's forecasts would come from origins 7 (h=1) and 6 (h=2), which were imputed and issued none
    assertEquals(before + 1, quality.count(0), "only step 5 scored at h=1");
    assertTrue(Double.isNaN(observer.watched.get(observer.watched.size() - 1).forecast()));
  }
}
