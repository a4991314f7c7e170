package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The naive and seasonal naive forecasts, by hand. */
class BaselinesTest {

  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** Feeds values (NaN = missing step) to a fresh cursor and returns its forecast. */
  private static double[] forecastAfter(ForecastMethod method, int horizon, double... values) {
    Cursor c = method.fit(Map.of(), horizon).start("k");
    for (int i = 0; i < values.length; i++) {
      Instant t = T0.plusSeconds(3600L * i);
      if (Double.isNaN(values[i])) {
        c.missing(t);
      } else {
        c.observe(t, values[i]);
      }
    }
    return c.forecast();
  }

  @Test
  void shouldRepeatLastValueWhenNaive() {
    assertArrayEquals(new double[] {14, 14, 14}, forecastAfter(new NaiveMethod(), 3, 10, 11, 12, 13, 14));
  }

  @Test
  void shouldUseLastObservedValueWhenNaiveFollowsAGap() {
    assertArrayEquals(new double[] {11, 11}, forecastAfter(new NaiveMethod(), 2, 10, 11, Double.NaN, Double.NaN));
  }

  @Test
  void shouldReturnNanWhenNaiveHasSeenNothing() {
    assertTrue(Double.isNaN(forecastAfter(new NaiveMethod(), 1)[0]));
  }

  @Test
  void shouldFollowSeasonalNaiveFormulaWhenHorizonSpansSeveralSeasons() {
    // y[1..5] = 10..14, m = 3, t = 5: ŷ[t+h] = y[t + h − 3·ceil(h/3)] -> y3, y4, y5, y3, y4, y5, y3
    assertArrayEquals(new double[] {12, 13, 14, 12, 13, 14, 12},
        forecastAfter(new SeasonalNaiveMethod(3), 7, 10, 11, 12, 13, 14));
  }

  @Test
  void shouldUseLastObservedValueAtOrBeforeLagWhenSeasonalNaivePointsAtAGap() {
    // y = 10, 11, (missing), 13; m = 3, t = 4: h=1 -> y2 = 11, h=2 -> y3 missing -> 11, h=3 -> y4 = 13
    assertArrayEquals(new double[] {11, 11, 13},
        forecastAfter(new SeasonalNaiveMethod(3), 3, 10, 11, Double.NaN, 13));
  }

  @Test
  void shouldFallBackToLastValueWhenSeasonalNaiveHasSeenLessThanASeason() {
    // y = 1, 2; m = 5, t = 2: h=1..3 point before y1 -> last value 2; h=4 -> y1; h=5 -> y2
    assertArrayEquals(new double[] {2, 2, 2, 1, 2}, forecastAfter(new SeasonalNaiveMethod(5), 5, 1, 2));
  }

  @Test
  void shouldEqualNaiveWhenSeasonIsOne() {
    assertArrayEquals(forecastAfter(new NaiveMethod(), 4, 3, 1, 4, 1, 5),
        forecastAfter(new SeasonalNaiveMethod(1), 4, 3, 1, 4, 1, 5));
  }

  @Test
  void shouldNameMethodsAsInMetricsCsvWhenAsked() {
    assertEquals("naive", new NaiveMethod().name());
    assertEquals("snaive", new SeasonalNaiveMethod(48).name());
  }
}
