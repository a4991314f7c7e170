package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.SeasonalNaiveForecaster;

class ForecasterMethodTest {
  private static final PipelineSpec.Gaps IMPUTE = new PipelineSpec.Gaps(PipelineSpec.GapPolicy.IMPUTE, 4);

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
}
