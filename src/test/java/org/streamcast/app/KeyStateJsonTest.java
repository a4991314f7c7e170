package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Forecast;
import org.streamcast.model.Autoregression;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.model.Smoothing;
import org.streamcast.testing.DegradingForecaster;
import org.streamcast.testing.DelegatingForecaster;
import org.streamcast.domain.Gaps;
import org.streamcast.quality.WatchThresholds;
import org.streamcast.quality.KeyScores;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.topology.PipelineTopology;

class KeyStateJsonTest {
  private static final long HOUR = Duration.ofHours(1).toMillis();

  @Test
  void shouldSayWhyWhenTheStoredEntryCannotBeDecoded() {
    assertEquals("{\"key\":\"s-1\",\"corrupt\":\"key state entry is empty\"}",
        KeyStateJson.state(new SeasonalNaiveForecaster(2, 2), "s-1", ServingState.corrupt("key state entry is empty")));
  }

  @Test
  void shouldShowEachHorizonsSourceAndItsTestWhenTheKeyFellBack() throws Exception {
    DegradingForecaster model = new DegradingForecaster(0, HOUR, 2, t -> t >= 40);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, HOUR);
    KeyState s = new KeyState(4);
    double[] out = new double[2];
    int t = 0;
    for (; t < 66; t++) { // h = 1 falls back after 22 losses (t = 62); h = 2 compares every other step
      stepper.observe(model, "k", s, t * HOUR, DegradingForecaster.y(t), out);
    }
    assertEquals(false, s.protection().learned(1));
    assertEquals(true, s.protection().learned(2));

    JsonNode state = JsonMapper.builder().build()
        .readTree(KeyStateJson.state(model, "k", new ServingState(s, new KeyScores())));
    JsonNode sources = state.get("sources");
    assertEquals(32, sources.get("window").asInt());
    assertEquals(10, sources.get("minPairs").asInt());
    assertEquals(0.05, sources.get("level").asDouble());
    JsonNode h1 = sources.get("horizons").get(0);
    assertEquals("naive", h1.get("source").asText());
    assertEquals(32, h1.get("pairs").asInt());
    assertEquals(s.protection().learnedWorse(1), h1.get("learnedWorse").asInt());
    assertTrue(h1.get("learnedWorse").asInt() >= 22, h1.toString());
    // serving the baseline, the test to switch back needs the learned output to win: 7 wins of 32 are far from it
    assertTrue(h1.get("p").asDouble() > 0.99, h1.toString());
    JsonNode h2 = sources.get("horizons").get(1);
    assertEquals("learned", h2.get("source").asText());
    assertTrue(h2.get("p").asDouble() > 0.05, h2.toString());

    PipelineSpec spec = org.streamcast.config.SpecLoader.parse("s.yaml", String.join("\n",
        "name: s", "input: {topic: s.in}", "window: {step: 1h}", "model: {horizon: 2, seasonalLags: [2]}"));
    Forecast latest = KeyStateJson.latest(spec, model, "k", new ServingState(s, new KeyScores()));
    assertEquals(List.of("naive", "learned"), latest.points().stream().map(Forecast.Point::source).toList());
    assertEquals("gru", latest.model());
    assertEquals(DegradingForecaster.y(t - 1), latest.points().get(0).value(), 1e-12, "naive serves h=1");
  }

  @Test
  void shouldShowTheLatestCovariatesAndTheAnomalyWatchWhenThePipelineHasThem() throws Exception {
    PipelineSpec spec = SpecLoader.parse("w.yaml", String.join("\n",
        "name: w", "input: {topic: w.in, valueFields: [temp, wind], target: temp}", "window: {step: 1h}",
        "model: {horizon: 1, seasonalLags: [1], calendar: []}", "intervals: [0.8, 0.99]",
        "anomalies: {level: 0.99, maxPerKeyPerHour: 2}"));
    SeasonalNaiveForecaster model = new SeasonalNaiveForecaster(1, 1);
    ServingStep step = PipelineTopology.servingStep(spec, new KeyStepper(Gaps.DEFAULT, HOUR),
        PipelineTopology.quality(spec));
    ServingState state = new ServingState(PipelineTopology.historyCapacity(spec));
    double[] out = new double[1];
    for (int t = 0; t < 80; t++) { // a sensor that moves, then sticks at 12.5 for the last 5 steps
      double temp = t < 75 ? 10 + Math.sin(t * 0.7) + 0.01 * t : 12.5;
      step.step(model, "k", state, t * HOUR, temp, new double[] {3 + t}, out, null);
    }
    JsonNode json = JsonMapper.builder().build().readTree(KeyStateJson.state(spec, model, "k", state));
    assertEquals(3 + 79, json.get("covariates").get("wind").asDouble(), 0, json.toString());
    JsonNode a = json.get("anomalies");
    assertEquals(4, a.get("flatlineRun").asInt(), "four repeats after the first 12.5: " + a);
    assertEquals(WatchThresholds.cusumThreshold(0.99), a.get("shiftThreshold").asDouble(), 1e-12);
    assertEquals(state.quality().change().upSum(), a.get("shiftUp").asDouble(), 1e-6);
    assertTrue(a.get("tokens").asDouble() <= 2, a.toString());
    JsonNode plain = JsonMapper.builder().build().readTree(KeyStateJson.state(model, "k", state));
    assertTrue(plain.get("anomalies") == null && plain.get("covariates") == null, "without the spec: " + plain);
  }

  @Test
  void shouldShowTheKeysOwnBaselineWhenItHasStartedUnderTheServingModel() throws Exception {
    SeasonalNaiveForecaster inner = new SeasonalNaiveForecaster(2, 2);
    KeyState s = stepped(inner, 5);
    Autoregression ar = new Autoregression(0, new double[] {1.5, -0.5}, true, new boolean[] {true, false});
    Smoothing ets = new Smoothing(true, 0, 0.5, 0.1, 0, 0.9, new boolean[] {true, false});
    for (KeyBaseline own : List.<KeyBaseline>of(ar, ets)) {
      Forecaster model = new DelegatingForecaster(inner) {
        @Override
        public KeyBaseline ownBaseline(String key) {
          return own;
        }
      };
      double[] started = own.start(s.history().valuesOldestFirst(), s.history().size());
      s.ownBaseline(started);
      JsonNode shown = JsonMapper.builder().build()
          .readTree(KeyStateJson.state(model, "k", new ServingState(s, new KeyScores()))).get("ownBaseline");
      assertEquals(own.name(), shown.get("name").asText(), String.valueOf(shown));
      if (own == ar) {
        assertEquals("[4.0,3.0]", shown.get("lags").toString(), "its last two values, newest first");
      } else {
        assertEquals(started[0], shown.get("level").asDouble(), 1e-12);
        assertEquals(started[1], shown.get("trend").asDouble(), 1e-12);
        assertEquals(0, shown.get("season").asInt());
      }
      s.ownBaseline(new double[] {1, 2, 3, 4, 5});
      assertTrue(JsonMapper.builder().build().readTree(KeyStateJson.state(model, "k", new ServingState(s,
          new KeyScores()))).get("ownBaseline") == null, "a state that is not this baseline's is not shown");
    }
  }

  @Test
  void shouldHaveNoSourcesSectionWhenTheModelHasNoBaselineToFallBackTo() throws Exception {
    SeasonalNaiveForecaster baseline = new SeasonalNaiveForecaster(2, 2);
    KeyState s = stepped(baseline, 5);
    JsonNode state = JsonMapper.builder().build()
        .readTree(KeyStateJson.state(baseline, "k", new ServingState(s, new KeyScores())));
    assertTrue(state.get("sources").isNull());
    assertEquals(List.of("snaive(2)", "snaive(2)"), KeyStepper.sources(baseline, "k", s));
  }

  /** Key "k" of a 4-value history after {@code steps} hourly values 0, 1, 2, … of {@code model}. */
  private static KeyState stepped(Forecaster model, int steps) {
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, HOUR);
    KeyState s = new KeyState(4);
    double[] out = new double[model.horizon()];
    for (int t = 0; t < steps; t++) {
      stepper.observe(model, "k", s, t * HOUR, t, out);
    }
    return s;
  }
}
