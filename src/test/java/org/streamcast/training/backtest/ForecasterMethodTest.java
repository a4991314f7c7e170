package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.QualityStep;
import org.streamcast.testing.DegradingForecaster;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

class ForecasterMethodTest {
  private static final Gaps IMPUTE = new Gaps(GapPolicy.IMPUTE, 4);

  @Test
  void shouldReproduceWeeklySeasonalNaiveAnchorsWhenServingBaselineRunsThroughStepper() {
    ForecastMethod served = new ForecasterMethod("baseline",
        (parts, h) -> new SeasonalNaiveForecaster(336, h), IMPUTE, Duration.ofMinutes(30).toMillis(), 400);
    BacktestResult r = Backtest.run(BundledDataset.TAYLOR.anchorPanel().series(),
        new BacktestPlan(0.8, List.of(1, 12, 48), 48), List.of(served), BacktestListener.NONE);
    assertEquals(0.314, r.summary("baseline", 1).mase(), 5e-4);
    assertEquals(0.310, r.summary("baseline", 12).mase(), 5e-4);
    assertEquals(0.302, r.summary("baseline", 48).mase(), 5e-4);
  }

  @Test
  void shouldApplyLiveProtectionWhenBacktestingAModelWhoseLearnedOutputDegradesHalfWay() {
    long hour = Duration.ofHours(1).toMillis();
    DegradingForecaster model = new DegradingForecaster(0, hour, 2, t -> t >= 100 && t < 200);
    Fitted fitted = new ForecasterMethod("gru", (parts, h) -> model, IMPUTE, hour, 10).fit(java.util.Map.of(), 2);
    Cursor c = fitted.start("k");
    int servedBaseline = 0;
    for (int t = 0; t < 300; t++) {
      c.observe(Instant.ofEpochMilli(t * hour), DegradingForecaster.y(t));
      double[] f = c.forecast();
      boolean baseline = f[0] == DegradingForecaster.y(t);
      if (baseline) {
        servedBaseline++;
      } else {
        assertEquals(model.learned(t, 1), f[0], 0.0, "t=" + t);
      }
      // h = 2 switches on its own test (every other step), so either source may serve it here
      assertTrue(f[1] == DegradingForecaster.y(t) || f[1] == model.learned(t, 2), "t=" + t);
      if (t < 110 || t >= 260) {
        assertEquals(false, baseline, "learned serves h=1 at t=" + t);
      }
      if (t >= 130 && t < 200) {
        assertEquals(true, baseline, "the baseline serves h=1 at t=" + t);
      }
    }
    assertTrue(servedBaseline >= 90 && servedBaseline <= 110, "baseline served h=1 at " + servedBaseline + " origins");
  }

  @Test
  void shouldShiftLastForecastWhenOriginIsMissingAndAnswerNaiveWhileWarming() {
    Fitted fitted = new ForecasterMethod("naive-served", (parts, h) -> new SeasonalNaiveForecaster(2, h), IMPUTE,
        1000, 10).fit(java.util.Map.of(), 3);
    Cursor c = fitted.start("k");
    c.observe(Instant.ofEpochMilli(0), 5);
    assertArrayEquals(new double[] {5, 5, 5}, c.forecast(), 0.0, "warming: naive");
    c.observe(Instant.ofEpochMilli(1000), 7);
    assertArrayEquals(new double[] {5, 7, 5}, c.forecast(), 0.0, "seasonal naive m=2");
    c.missing(Instant.ofEpochMilli(2000));
    assertArrayEquals(new double[] {7, 5, 5}, c.forecast(), 0.0, "shifted by the missing step");
  }

  @Test
  void shouldScoreNaivesBandsWhenTheKeyNeverFinishesWarmingUp() {
    // a warm-up of 500 steps the key never reaches: the backtest scores naive with naive's own conformal bands
    Fitted fitted = new ForecasterMethod("gru", (parts, h) -> new SeasonalNaiveForecaster(500, h), IMPUTE, 1000, 10)
        .fit(java.util.Map.of(), 2);
    Cursor c = fitted.start("k");
    Cursor naive = new ConformalCursor(new NaiveMethod().fit(java.util.Map.of(), 2).start("k"),
        new QualityStep(new PipelineScores(ScoredHorizons.of(2), Bands.DEFAULT.levels()), Bands.DEFAULT.rate()), 2);
    java.util.Random r = new java.util.Random(3);
    double y = 0;
    for (int t = 0; t < 200; t++) {
      y += r.nextGaussian();
      c.observe(Instant.ofEpochMilli(t * 1000L), y);
      naive.observe(Instant.ofEpochMilli(t * 1000L), y);
      assertArrayEquals(new double[] {y, y}, c.forecast(), 0.0);
      for (int l = 0; l < Bands.DEFAULT.levels().size(); l++) {
        assertArrayEquals(naive.halfWidths()[l], c.halfWidths()[l], 0.0, "t=" + t);
      }
    }
    assertTrue(Double.isFinite(c.halfWidths()[0][1]), "bands once naive's errors gave some");
  }

  @Test
  void shouldFeedTheModelTheClippedSpikeWhenServedWithThePipelinesAnomalies() {
    long hour = Duration.ofHours(1).toMillis();
    PipelineSpec.Anomalies clip = new PipelineSpec.Anomalies(0.95, 1, true);
    Cursor clipped = new ForecasterMethod("naive", (parts, h) -> new SeasonalNaiveForecaster(1, h), IMPUTE, hour,
        10, Bands.DEFAULT, clip).fit(java.util.Map.of(), 1).start("k");
    Cursor raw = new ForecasterMethod("naive", (parts, h) -> new SeasonalNaiveForecaster(1, h), IMPUTE, hour,
        10).fit(java.util.Map.of(), 1).start("k");
    double[] last = new double[2];
    for (int t = 0; t <= 100; t++) {
      double y = t == 100 ? 1000 : 10 + (t % 2);
      clipped.observe(Instant.ofEpochMilli(t * hour), y);
      raw.observe(Instant.ofEpochMilli(t * hour), y);
      if (t == 99) {
        last[0] = clipped.forecast()[0];
        last[1] = clipped.halfWidths()[1][0];
      }
    }
    // naive forecasts the value it was fed: the spike itself raw, the upper edge of its 95% band clipped
    assertEquals(1000, raw.forecast()[0], 0);
    assertEquals(last[0] + last[1], clipped.forecast()[0], 1e-9);
    assertTrue(clipped.forecast()[0] < 20, "clipped to " + clipped.forecast()[0]);
  }
}
