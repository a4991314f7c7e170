package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecastComparisonTest {

  @Test
  void shouldBeTheOneSampleTStatisticOfTheDifferencesWhenThereAreNoLags() {
    double[] a = {3, 1, 4, 1, 5};
    double[] b = {2, 2, 2, 2, 2};
    // d = 1, -1, 2, -1, 3: mean 0.8, population variance (0.04 + 3.24 + 1.44 + 3.24 + 4.84) / 5 = 2.56
    assertEquals(0.8 / Math.sqrt(2.56 / 5), ForecastComparison.statistic(a, b, 0), 1e-12);
  }

  @Test
  void shouldAddBartlettWeightedAutocovariancesWhenLagsAreGiven() {
    double[] a = {3, 1, 4, 1, 5};
    double[] b = {2, 2, 2, 2, 2};
    // d - mean = 0.2, -1.8, 1.2, -1.8, 2.2; lag-1 autocovariance (-0.36 - 2.16 - 2.16 - 3.96) / 5 = -1.728
    double variance = 2.56 + 2 * 0.5 * -1.728;
    assertEquals(0.8 / Math.sqrt(variance / 5), ForecastComparison.statistic(a, b, 1), 1e-12);
  }

  /** What the trained forecaster's error is, given the baseline's error {@code e} (unit Gaussian). */
  interface TrainedError {
    double of(double e, Random r);
  }

  /** Squared errors of a baseline (row 0) and a trained forecaster (row 1) on 300 positions. */
  static double[][] squaredErrors(TrainedError trained) {
    Random r = new Random(7);
    double[][] out = new double[2][300];
    for (int i = 0; i < 300; i++) {
      double e = r.nextGaussian();
      double f = trained.of(e, r);
      out[0][i] = e * e;
      out[1][i] = f * f;
    }
    return out;
  }

  @Test
  void shouldNotFindABetterForecasterWhenItsGainIsSmallAgainstTheNoise() {
    double[][] losses = squaredErrors((e, r) -> 0.995 * e + 0.1 * r.nextGaussian());
    double statistic = ForecastComparison.statistic(losses[1], losses[0], 0);
    assertTrue(Math.abs(statistic) < ForecastComparison.CRITICAL_5_PERCENT, "statistic " + statistic);
  }

  @Test
  void shouldFindABetterForecasterWhenItHalvesTheErrors() {
    double[][] losses = squaredErrors((e, r) -> 0.5 * e);
    assertTrue(ForecastComparison.statistic(losses[1], losses[0], 0) < -ForecastComparison.CRITICAL_5_PERCENT);
    assertTrue(ForecastComparison.statistic(losses[0], losses[1], 0) > ForecastComparison.CRITICAL_5_PERCENT);
  }

  @Test
  void shouldBeLessSureWhenTheDifferencesAreAutocorrelated() {
    // Overlapping 12-step-ahead errors: each difference shares 11 shocks with its neighbour.
    Random r = new Random(3);
    double[] shocks = new double[412];
    for (int i = 0; i < shocks.length; i++) {
      shocks[i] = r.nextGaussian();
    }
    double[] a = new double[400];
    double[] b = new double[400];
    for (int i = 0; i < a.length; i++) {
      double sum = 0;
      for (int j = 0; j < 12; j++) {
        sum += shocks[i + j];
      }
      a[i] = 1 + sum / 12 - 0.05;
      b[i] = 1;
    }
    double naive = ForecastComparison.statistic(a, b, 0);
    double hac = ForecastComparison.statistic(a, b, 11);
    assertTrue(Math.abs(hac) < Math.abs(naive) / 2, "lag-0 " + naive + ", 11 lags " + hac);
  }

  @Test
  void shouldNeedMoreEvidenceWhenFewOverlappingLongHorizonErrorsAreCompared() {
    // The same 12-step gain on 30 positions passes the plain statistic but not the small-sample correction; on 400
    // positions it passes both.
    double[][] few = overlappingLosses(30, 0.12);
    assertTrue(ForecastComparison.statistic(few[0], few[1], 11) < -ForecastComparison.CRITICAL_5_PERCENT);
    assertFalse(ForecastComparison.significantlyBetter(few[0], few[1], 12));
    double[][] many = overlappingLosses(400, 0.12);
    assertTrue(ForecastComparison.significantlyBetter(many[0], many[1], 12));
    assertFalse(ForecastComparison.significantlyBetter(many[1], many[0], 12));
  }

  @Test
  void shouldBeStudentsTCriticalValueWhenDegreesOfFreedomAreGiven() {
    assertEquals(2.3534, ForecastComparison.studentT95(3), 2e-3);
    assertEquals(1.8125, ForecastComparison.studentT95(10), 1e-4);
    assertEquals(1.6973, ForecastComparison.studentT95(30), 1e-4);
  }

  @Test
  void shouldFindNothingWhenThereAreTooFewPositionsForTheHorizon() {
    double[] a = {0, 0, 0, 0, 0};
    double[] b = {9, 9, 9, 9, 8};
    assertTrue(ForecastComparison.significantlyBetter(a, b, 1));
    assertFalse(ForecastComparison.significantlyBetter(a, b, 5)); // n + 1 - 2h + h(h - 1)/n is 0
  }

  /** Losses {a, b} of n overlapping 12-step forecasts, a lower than b by {@code gain} on average. */
  private static double[][] overlappingLosses(int n, double gain) {
    Random r = new Random(7);
    double[] shocks = new double[n + 11];
    for (int i = 0; i < shocks.length; i++) {
      shocks[i] = r.nextGaussian();
    }
    double[][] out = new double[2][n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < 12; j++) {
        sum += shocks[i + j];
      }
      out[0][i] = 1 + sum / 12 - gain;
      out[1][i] = 1;
    }
    return out;
  }

  @Test
  void shouldBeZeroWhenTheForecastersAreTheSame() {
    double[] a = {1, 2, 3};
    assertEquals(0.0, ForecastComparison.statistic(a, a.clone(), 2));
    assertTrue(Double.isNaN(ForecastComparison.statistic(new double[] {1}, new double[] {2}, 0)));
  }

  @Test
  void shouldRefuseLossesWhenTheirLengthsDiffer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ForecastComparison.statistic(new double[2], new double[3], 0));
    assertEquals("losses of different lengths: 2 and 3", e.getMessage());
  }
}
