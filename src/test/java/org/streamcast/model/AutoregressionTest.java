package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AutoregressionTest {
  private static final boolean[] SERVES = {true, true, false};

  @Test
  void shouldHoldTheSameStateWhenStartedFromTheHistoryOrTakingEachValue() {
    Autoregression ar = new Autoregression(2.0, new double[] {0.5, -0.25, 0.1}, false, SERVES);
    double[] values = {3, 1, 4, 1, 5, 9, 2, 6};
    double[] state = ar.start(values, 3);
    assertArrayEquals(new double[] {4, 1, 3}, state, 0, "the last p values, newest first");
    for (int t = 3; t < values.length; t++) {
      double expected = 2.0 + 0.5 * values[t - 1] - 0.25 * values[t - 2] + 0.1 * values[t - 3];
      assertEquals(values[t] - expected, ar.update(state, values[t]), 1e-12, "the one-step error at t=" + t);
    }
    assertArrayEquals(ar.start(values, values.length), state, 0);
    assertTrue(ar.fits(state));
    assertFalse(ar.fits(new double[] {1, 2}), "another order's state");
    assertFalse(ar.fits(new double[] {1, Double.NaN, 2}));
  }

  @Test
  void shouldFeedItsForecastsBackWhenForecastingSeveralStepsAhead() {
    Autoregression ar = new Autoregression(1.0, new double[] {1.2, -0.5}, false, SERVES);
    double[] state = {10, 8}; // y[t] = 10, y[t-1] = 8
    double f1 = 1.0 + 1.2 * 10 - 0.5 * 8;
    double f2 = 1.0 + 1.2 * f1 - 0.5 * 10;
    double f3 = 1.0 + 1.2 * f2 - 0.5 * f1;
    double[] all = new double[3];
    ar.forecasts(state, all);
    assertArrayEquals(new double[] {f1, f2, f3}, all, 1e-12);
    for (int h = 1; h <= 3; h++) {
      assertEquals(all[h - 1], ar.forecast(state, h), 1e-12, "h=" + h);
    }
    assertArrayEquals(new double[] {10, 8}, state, 0, "forecasting leaves the state alone");
  }

  @Test
  void shouldBeNamedAsAnArimaWhenFittedOnTheValuesOrTheirChanges() {
    assertEquals("arima(2,0,0)", new Autoregression(1, new double[] {0.5, 0.2}, false, SERVES).name());
    // Δy[t] = 0.4·Δy[t−1] is y[t] = 1.4·y[t−1] − 0.4·y[t−2]
    Autoregression changes = new Autoregression(0, new double[] {1.4, -0.4}, true, SERVES);
    assertEquals("arima(1,1,0)", changes.name());
    assertEquals(2, changes.warmup());
  }

  @Test
  void shouldRefuseWhenTheWeightsAreNotAnAutoregression() {
    assertThrows(IllegalArgumentException.class, () -> new Autoregression(0, new double[0], false, SERVES));
    assertThrows(IllegalArgumentException.class,
        () -> new Autoregression(0, new double[Autoregression.MAX_ORDER + 1], false, SERVES));
    assertThrows(IllegalArgumentException.class, () -> new Autoregression(Double.NaN, new double[] {1}, false, SERVES));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Autoregression(0, new double[] {1.4, -0.5}, true, SERVES));
    assertTrue(e.getMessage().contains("2 weights summing to 0.8"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Autoregression(1, new double[] {1.4, -0.4}, true, SERVES));
  }
}
