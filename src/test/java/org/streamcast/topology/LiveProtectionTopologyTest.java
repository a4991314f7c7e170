package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.KeyState;
import org.streamcast.model.LiveProtection;
import org.streamcast.model.ModelHolder;
import org.streamcast.testing.DegradingForecaster;
import org.streamcast.domain.Gaps;
import org.streamcast.serving.ServingState;

/**
 * Live protection in the forecast processor: a key whose learned output degrades half-way falls back to its baseline
 * at every horizon (counted, labelled on the forecast records), and switches back when the learned output is good
 * again; the key's protection survives the store.
 */
class LiveProtectionTopologyTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final int H = 2;
  /** Steps 60..139: the learned output is bad. */
  private static final int BAD_FROM = 60;
  private static final int BAD_TO = 140;
  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldFallBackToTheBaselineAndLabelItWhenTheLearnedOutputDegradesAndSwitchBackWhenItRecovers() {
    PipelineSpec spec = TestSpecs.spec(null, Duration.ofHours(1), Aggregation.LAST, Duration.ZERO, List.of(), H,
        Gaps.DEFAULT);
    int[] fellBack = new int[1];
    PipelineObserver observer = new PipelineObserver() {
      @Override
      public void fellBack(int horizons) {
        fellBack[0] += horizons;
      }
    };
    DegradingForecaster model = new DegradingForecaster(T0.toEpochMilli(), HOUR, H,
        t -> t >= BAD_FROM && t < BAD_TO);
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
    driver = new TopologyTestDriver(PipelineTopology.build(spec, new ModelHolder(model),
        PipelineTopology.quality(spec), observer), props);
    TestInputTopic<byte[], byte[]> input = driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(),
        new ByteArraySerializer());
    TestOutputTopic<String, Forecast> out = driver.createOutputTopic(spec.output().forecasts(),
        new StringDeserializer(), TopologySerdes.forecastJson().deserializer());

    int n = 260;
    for (int t = 0; t <= n; t++) {
      String json = "{\"ts\":\"" + T0.plusMillis(t * HOUR) + "\",\"value\":" + DegradingForecaster.y(t) + "}";
      input.pipeInput("k".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }
    Map<Integer, Forecast> byStep = new HashMap<>();
    for (Forecast f : out.readValuesToList()) {
      byStep.put((int) ((f.origin().toEpochMilli() - T0.toEpochMilli()) / HOUR), f);
    }
    assertEquals(n, byStep.size(), "one forecast per closed step");

    int firstFallback = -1;
    int lastBaseline = -1;
    for (int t = 0; t < n; t++) {
      Forecast f = byStep.get(t);
      for (Forecast.Point p : f.points()) {
        double expected = p.source().equals("learned") ? model.learned(t, p.h()) : DegradingForecaster.y(t);
        assertEquals(expected, p.value(), 1e-9, "t=" + t + " h=" + p.h() + " served by " + p.source());
        assertTrue(p.source().equals("learned") || p.source().equals("naive"), p.source());
      }
      boolean allBaseline = f.points().stream().allMatch(p -> p.source().equals("naive"));
      assertEquals(allBaseline ? "baseline" : "gru", f.model(), "t=" + t + ": " + f.servedBy());
      if (f.points().get(0).source().equals("naive")) {
        firstFallback = firstFallback < 0 ? t : firstFallback;
        lastBaseline = t;
      }
    }
    for (int t = 0; t < BAD_FROM + LiveProtection.MIN_PAIRS; t++) {
      assertEquals("learned", byStep.get(t).servedBy(), "no fall-back before the evidence, t=" + t);
    }
    // h = 1: a window of 32 wins must turn into 22 losses of the latest 32
    assertTrue(firstFallback >= BAD_FROM + 22 && firstFallback <= BAD_FROM + 24, "fell back at " + firstFallback);
    assertEquals("naive", byStep.get(BAD_TO - 1).servedBy(), "every horizon serves the baseline by the end");
    assertTrue(lastBaseline >= BAD_TO && lastBaseline < BAD_TO + 40, "back to learned at h=1 after " + lastBaseline);
    assertEquals("learned", byStep.get(n - 1).servedBy(), "every horizon learned again");
    assertEquals(H, fellBack[0], "each horizon fell back once, counted");

    KeyState stored = driver.<String, ServingState>getKeyValueStore(PipelineTopology.KEY_STATE_STORE).get("k").model();
    assertTrue(stored.protection().startedFor(model.version()));
    assertEquals(32, stored.protection().pairs(1));
    assertEquals(0, stored.protection().learnedWorse(1), "the latest 32 comparisons at h=1 all went to learned");
  }
}
