package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineScoresTest {
  private static final double NAN = Double.NaN;

  @Test
  void shouldReportNothingWhenNothingWasScored() {
    PipelineScores p = new PipelineScores(ScoredHorizons.of(2), List.of(0.8));
    assertTrue(Double.isNaN(p.mae(0)));
    assertTrue(Double.isNaN(p.rmse(1)));
    assertTrue(Double.isNaN(p.skill(0)));
    assertTrue(Double.isNaN(p.coverage(0)));
    double[] half = new double[1];
    p.halfWidths(0, half);
    assertTrue(Double.isNaN(half[0]));
  }

  @Test
  void shouldComputeMaeRmseAndSkillPerHorizonWhenScored() {
    PipelineScores p = new PipelineScores(ScoredHorizons.of(2), List.of(0.8));
    // h=1: errors 1, −3 (naive errors 2, 6); h=2: error 4 (naive 4)
    p.record(0, 1, 2, new double[] {NAN});
    p.record(0, -3, 6, new double[] {NAN});
    p.record(1, 4, 4, new double[] {NAN});
    assertEquals(2, p.mae(0), 1e-12);
    assertEquals(Math.sqrt(5), p.rmse(0), 1e-12);
    assertEquals(0.5, p.skill(0), 1e-12);
    assertEquals(0, p.skill(1), 1e-12);
    assertEquals(2, p.count(0));
    PipelineScores.Summary s = p.summary();
    assertEquals(List.of(new PipelineScores.HorizonQuality(1, 2, 2, Math.sqrt(5), 4, 0.5),
        new PipelineScores.HorizonQuality(2, 1, 4, 4, 4, 0)), s.horizons());
  }

  @Test
  void shouldCountOnlyForecastsIssuedWithAnIntervalWhenMeasuringCoverage() {
    PipelineScores p = new PipelineScores(ScoredHorizons.of(2), List.of(0.8, 0.95));
    p.record(0, 1, 1, new double[] {2, 3}); // inside both
    p.record(0, -2.5, 1, new double[] {2, 3}); // outside 0.8, inside 0.95
    p.record(1, 5, 1, new double[] {NAN, 4}); // 0.8 not issued; outside 0.95
    p.record(1, 2, 1, new double[] {NAN, NAN}); // nothing issued
    assertEquals(0.5, p.coverage(0), 1e-12);
    assertEquals(2 / 3.0, p.coverage(1), 1e-12);
  }

  @Test
  void shouldKeepTheLastThousandScoresAndRefreshTheQuantilesEveryFivePercentWhenTheWindowSlides() {
    PipelineScores p = new PipelineScores(ScoredHorizons.of(1), List.of(0.5));
    double[] none = {NAN};
    for (int i = 0; i < PipelineScores.WINDOW; i++) {
      p.record(0, 1, 1, none);
    }
    double[] half = new double[1];
    p.halfWidths(0, half);
    assertEquals(1, half[0]);
    // 49 larger errors: the cached quantile stays until 5% of the window (50 scores) changed
    for (int i = 0; i < 49; i++) {
      p.record(0, 10, 1, none);
    }
    p.halfWidths(0, half);
    assertEquals(1, half[0]);
    for (int i = 0; i < PipelineScores.WINDOW; i++) {
      p.record(0, 10, 1, none);
    }
    p.halfWidths(0, half);
    assertEquals(10, half[0]);
    assertEquals(PipelineScores.WINDOW, p.count(0));
    assertEquals(10, p.mae(0), 1e-12);
  }

  @Test
  void shouldIgnoreNonFiniteErrorsWhenAForecastOrActualOverflows() {
    PipelineScores p = new PipelineScores(ScoredHorizons.of(2), List.of(0.8));
    p.record(0, 1, 2, new double[] {3});
    p.record(0, Double.POSITIVE_INFINITY, 2, new double[] {3});
    p.record(0, 1e300, 2, new double[] {3}); // finite as a double, infinite in the window's float
    p.record(0, 1, Double.NaN, new double[] {3});
    assertEquals(1, p.count(0));
    assertEquals(1, p.mae(0), 1e-12);
    assertEquals(1, p.rmse(0), 1e-12);
    assertEquals(1, p.coverage(0), 1e-12);
  }
}
