package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric formulas on tiny series computed by hand. */
class MetricsTest {

  private static Scores score(double[] actual, double[] forecast, double scale) {
    ErrorAccumulator acc = new ErrorAccumulator();
    for (int i = 0; i < actual.length; i++) {
      acc.add(actual[i], forecast[i]);
    }
    return acc.scores(scale);
  }

  @Test
  void shouldComputeMaeRmseSmapeMaseWhenErrorsAreKnown() {
    // errors 1, 0, -2, 0
    Scores s = score(new double[] {2, 0, -1, 4}, new double[] {1, 0, 1, 4}, 0.5);
    assertEquals(4, s.nEval());
    assertEquals(0.75, s.mae(), 1e-12);
    assertEquals(Math.sqrt(1.25), s.rmse(), 1e-12);
    // sMAPE terms: 200·1/3, 0 (both zero), 200·2/2, 200·0/8
    assertEquals((200.0 / 3 + 0 + 200 + 0) / 4, s.smape(), 1e-12);
    assertEquals(1.5, s.mase(), 1e-12);
  }

  @Test
  void shouldMakeSmapeTermZeroWhenActualAndForecastAreBothZero() {
    assertEquals(0.0, ErrorAccumulator.smapeTerm(0, 0));
    assertEquals(200.0, ErrorAccumulator.smapeTerm(0, 3));
    assertEquals(200.0, ErrorAccumulator.smapeTerm(-2, 0));
    assertEquals(0.0, score(new double[] {0, 0}, new double[] {0, 0}, 1).smape());
  }

  @Test
  void shouldSkipPairWhenActualIsMissing() {
    ErrorAccumulator acc = new ErrorAccumulator();
    assertFalse(acc.add(Double.NaN, 5));
    assertTrue(acc.add(3, 5));
    Scores s = acc.scores(1);
    assertEquals(1, s.nEval());
    assertEquals(2, s.mae(), 1e-12);
  }

  @Test
  void shouldRejectForecastWhenItIsNotFiniteButTheActualExists() {
    assertThrows(IllegalArgumentException.class, () -> new ErrorAccumulator().add(1, Double.NaN));
  }

  @Test
  void shouldComputeMaseDenominatorAsInSampleSeasonalNaiveMaeWhenSeasonVaries() {
    double[] train = {1, 3, 2, 6, 4};
    // m = 1: |3-1|, |2-3|, |6-2|, |4-6| = 2, 1, 4, 2
    assertEquals(9.0 / 4, MaseScale.of(train, 1), 1e-12);
    // m = 2: |2-1|, |6-3|, |4-2| = 1, 3, 2
    assertEquals(2.0, MaseScale.of(train, 2), 1e-12);
    // m = 4: |4-1|
    assertEquals(3.0, MaseScale.of(train, 4), 1e-12);
    assertTrue(Double.isNaN(MaseScale.of(train, 5)));
  }

  @Test
  void shouldUseOnlyObservedPairsInMaseDenominatorWhenTrainingPartHasGaps() {
    // pairs (1,NaN) and (NaN,2) are skipped; (2,6) and (6,5) count
    assertEquals((4.0 + 1.0) / 2, MaseScale.of(new double[] {1, Double.NaN, 2, 6, 5}, 1), 1e-12);
  }

  @Test
  void shouldLeaveMaseUndefinedWhenScaleIsZero() {
    Scores s = score(new double[] {1, 2}, new double[] {2, 2}, MaseScale.of(new double[] {7, 7, 7}, 1));
    assertEquals(0.5, s.mae(), 1e-12);
    assertTrue(Double.isNaN(s.mase()));
  }

  @Test
  void shouldAverageKeysWithoutWeightsAndSkipUndefinedWhenSummarising() {
    Scores a = new Scores(10, 1, 2, 10, 0.5);
    Scores b = new Scores(2, 3, 4, 30, Double.NaN);
    Scores all = Scores.unweightedMean(List.of(a, b));
    assertEquals(12, all.nEval());
    assertEquals(2, all.mae(), 1e-12);
    assertEquals(3, all.rmse(), 1e-12);
    assertEquals(20, all.smape(), 1e-12);
    assertEquals(0.5, all.mase(), 1e-12);
  }

  @Test
  void shouldReturnEmptyScoresWhenNothingWasScored() {
    Scores s = new ErrorAccumulator().scores(1);
    assertEquals(0, s.nEval());
    assertTrue(Double.isNaN(s.mae()));
  }

  @Test
  void shouldComputeCoverageAndMsisWhenIntervalsAreKnown() {
    // level 0.8 (α = 0.2, penalty 2/α = 10) and 0.5 (penalty 4), interval [4, 6] at both, MASE scale 2
    ErrorAccumulator acc = new ErrorAccumulator(new double[] {0.5, 0.8});
    double[] actuals = {5, 3, 7.5, 6};
    for (double y : actuals) {
      acc.add(y, 5);
      acc.addInterval(0, y, 4, 6);
      acc.addInterval(1, y, 4, 6);
    }
    acc.addInterval(1, Double.NaN, 4, 6); // a missing actual: not scored
    acc.addInterval(1, 5, Double.NaN, Double.NaN); // no interval: not scored
    Scores s = acc.scores(2);
    Scores.Band b80 = s.band(0.8);
    assertEquals(4, b80.n());
    assertEquals(0.5, b80.coverage(), 1e-12, "5 and 6 (the bound) inside, 3 and 7.5 outside");
    // interval scores: 2, 2 + 10·1, 2 + 10·1.5, 2 -> mean 33/4 = 8.25, scaled by 2
    assertEquals(4.125, b80.msis(), 1e-12);
    // at 0.5: 2, 2 + 4·1, 2 + 4·1.5, 2 -> mean 18/4, scaled by 2
    assertEquals(2.25, s.band(0.5).msis(), 1e-12);
    assertEquals(12.0, ErrorAccumulator.intervalScore(0.8, 3, 4, 6), 1e-12);
    assertTrue(new ErrorAccumulator(new double[] {0.8}).scores(2).bands().isEmpty(), "nothing scored");
    assertTrue(Double.isNaN(acc.scores(0).band(0.8).msis()), "no MSIS without a scale");
  }

  @Test
  void shouldAverageCoverageAndMsisOverKeysWhenSummarising() {
    Scores a = new Scores(10, 1, 1, 1, 1, List.of(new Scores.Band(0.8, 10, 0.7, 4)));
    Scores b = new Scores(30, 1, 1, 1, 1, List.of(new Scores.Band(0.8, 30, 0.9, Double.NaN)));
    Scores.Band mean = Scores.unweightedMean(List.of(a, b)).band(0.8);
    assertEquals(40, mean.n());
    assertEquals(0.8, mean.coverage(), 1e-12, "every key counts the same");
    assertEquals(4, mean.msis(), 1e-12, "an undefined MSIS is skipped");
  }

  @Test
  void shouldNameIntervalColumnsByLevelInPercentWhenWritingMetricsCsv() {
    assertEquals(MetricsCsv.HEADER + ",coverage_80,MSIS_80,coverage_97.5,MSIS_97.5",
        MetricsCsv.header(List.of(0.8, 0.975)));
  }
}
