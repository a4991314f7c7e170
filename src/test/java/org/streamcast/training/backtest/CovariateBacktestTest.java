package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;
import org.streamcast.domain.Measurement;
import org.streamcast.model.KeyState;
import org.streamcast.training.KeySeries;

class CovariateBacktestTest {
  private static final Instant T0 = Instant.parse("2012-01-01T00:00:00Z");
  private static final Cadence DAY = new Cadence.Fixed(Duration.ofDays(1));

  private static Measurement row(int day, double y, double a, double b) {
    return new Measurement("k", T0.plus(Duration.ofDays(day)), new double[] {y, a, b});
  }

  @Test
  void shouldAverageEachFieldPerStepAndLeaveGapsMissingWhenRowsShareOrSkipSteps() {
    SeriesPanel panel = SeriesPanel.ofRows(List.of(row(0, 1, 10, 100), row(0, 3, Double.NaN, 200),
        row(2, 5, 30, 300)), List.of("a", "b"), DAY);
    Series s = panel.series().get("k");
    assertEquals(List.of("a", "b"), s.covariateNames());
    assertArrayEquals(new double[] {2, Double.NaN, 5}, s.values(), 0);
    assertArrayEquals(new double[] {10, 150}, s.covariatesAt(0), 0, "a missing cell is left out of its mean");
    assertTrue(Double.isNaN(s.covariatesAt(1)[0]));
    assertEquals(1, panel.merged());
    assertEquals(List.of("a", "b"), s.head(2).covariateNames());
  }

  @Test
  void shouldHoldEachCovariateAtItsLastValueWhenTrainingSeriesHasGaps() {
    Series s = SeriesPanel.ofRows(List.of(row(0, 1, Double.NaN, 100), row(1, 2, 20, Double.NaN),
        row(3, 4, 40, 400)), List.of("a", "b"), DAY).series().get("k");
    KeySeries ks = RecurrentMethods.keySeries(Map.of("k", s)).get(0);
    assertArrayEquals(new double[] {Double.NaN, 20, 20, 40}, ks.extras()[0], 0);
    assertArrayEquals(new double[] {100, 100, 100, 400}, ks.extras()[1], 0);
    assertArrayEquals(new boolean[] {false, false, true, false}, ks.imputed());
  }

  @Test
  void shouldFeedTheCovariatesToTheServedModelWhenSeriesCarriesThem() {
    Series s = SeriesPanel.ofRows(List.of(row(0, 1, 10, 100), row(1, 2, 20, 200), row(2, 3, 30, 300)),
        List.of("a", "b"), DAY).series().get("k");
    ForecasterMethod method = new ForecasterMethod("naive", (parts, h) -> new org.streamcast.model
        .SeasonalNaiveForecaster(1, h), new Gaps(GapPolicy.IMPUTE, 3), DAY.at(T0, 1).toEpochMilli()
        - T0.toEpochMilli(), 5);
    ForecasterMethod.StepperCursor c = (ForecasterMethod.StepperCursor) method.fit(Map.of(), 1).start("k");
    for (int i = 0; i < s.length(); i++) {
      c.observe(s.time(i), s.value(i), s.covariatesAt(i));
    }
    KeyState state = c.state().model();
    assertEquals(30, state.covariates().get(0, 0));
    assertEquals(200, state.covariates().get(1, 1));
  }
}
