package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmoothingTest {
  private static final boolean[] ALL = {true, true, true, true, true, true};

  @Test
  void shouldForecastTheSeasonExactlyWhenTheSeriesRepeatsIt() {
    Smoothing s = new Smoothing(false, 4, 0.3, 0, 0.2, 1, ALL);
    double[] pattern = {10, 14, 9, 7};
    double[] y = new double[23];
    for (int t = 0; t < y.length; t++) {
      y[t] = pattern[t % 4];
    }
    double[] state = s.start(y, y.length);
    for (int h = 1; h <= 6; h++) {
      assertEquals(pattern[(y.length - 1 + h) % 4], s.forecast(state, h), 1e-9, "h=" + h);
    }
  }

  @Test
  void shouldSmoothTheLogarithmsAndForecastTheirExponentialWhenOnLogs() {
    Smoothing onLogs = new Smoothing(false, 4, 0.3, 0, 0.2, 1, true, ALL);
    Smoothing onValues = new Smoothing(false, 4, 0.3, 0, 0.2, 1, false, ALL);
    double[] y = new double[23];
    double[] logs = new double[23];
    Random r = new Random(4);
    for (int t = 0; t < y.length; t++) {
      y[t] = (100 + 5 * t) * (1 + 0.3 * Math.sin(Math.PI * t / 2)) * (1 + 0.02 * r.nextGaussian());
      logs[t] = Math.log(y[t]);
    }
    assertEquals("log-ets(A,N,A)", onLogs.name());
    double[] state = onLogs.start(y, y.length);
    assertArrayEquals(onValues.start(logs, logs.length), state, 1e-12, "the additive state of the logarithms");
    for (int h = 1; h <= 6; h++) {
      assertEquals(Math.exp(onValues.forecast(state, h)), onLogs.forecast(state, h), 1e-9, "h=" + h);
    }
    // a reading that is not positive has no logarithm: it is taken as the forecast, and only the season moves on
    double[] before = state.clone();
    assertEquals(0, onLogs.update(state, 0.0), 0);
    assertEquals(before[0], state[0], 1e-12);
    assertEquals((before[2] + 1) % 4, state[2], 0);
    assertTrue(onLogs.fits(state));
    double[] negativeStart = y.clone();
    negativeStart[1] = -3;
    assertTrue(onLogs.fits(onLogs.start(negativeStart, negativeStart.length)), "a start with a negative reading");
    assertFalse(onLogs.fits(onLogs.start(new double[] {0, -1, 0, -2, 0, 5}, 6)), "nothing positive to start from");
  }

  @Test
  void shouldDampTheTrendWhenPhiIsBelowOne() {
    Smoothing s = new Smoothing(true, 0, 0.5, 0.1, 0, 0.9, ALL);
    double[] y = new double[30];
    for (int t = 0; t < y.length; t++) {
      y[t] = 5 + 2.0 * t;
    }
    double[] state = s.start(y, y.length);
    // damping bends the forecast below the line: the trend's steps shrink by phi each step ahead
    double level = state[0];
    double slope = state[1];
    assertTrue(slope > 1 && slope < 2, "slope " + slope);
    assertEquals(level + (0.9 + 0.81 + 0.729) * slope, s.forecast(state, 3), 1e-9);
    assertTrue(s.forecast(state, 6) < y[29] + 6 * 2.0, "damped below the straight line");
    assertTrue(s.forecast(state, 6) > s.forecast(state, 5), "still rising");
  }

  @Test
  void shouldReachTheSameStateWhenStartedOnAllValuesOrSteppedThroughThem() {
    Smoothing s = new Smoothing(true, 7, 0.4, 0.05, 0.1, 0.95, ALL);
    Random r = new Random(3);
    double[] y = new double[60];
    for (int t = 0; t < y.length; t++) {
      y[t] = 20 + Math.sin(2 * Math.PI * t / 7) * 4 + r.nextGaussian();
    }
    double[] stepped = s.start(y, s.warmup());
    for (int t = s.warmup(); t < y.length; t++) {
      s.update(stepped, y[t]);
    }
    assertArrayEquals(s.start(y, y.length), stepped, 0);
    assertTrue(s.fits(stepped));
    assertFalse(s.fits(new double[3]), "a state of another length is not this smoothing's");
  }

  @Test
  void shouldRefuseParametersOutsideTheirRangesWhenConstructed() {
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 0, 0, 0, 0, 1, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 0, 1.5, 0, 0, 1, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(true, 0, 0.2, 0.3, 0, 0.9, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 12, 0.8, 0, 0.5, 1, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 1, 0.5, 0, 0, 1, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, Smoothing.MAX_PERIOD + 1, 0.5, 0, 0, 1,
        ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 0, 0.5, 0, 0, 0.9, ALL));
    assertThrows(IllegalArgumentException.class, () -> new Smoothing(false, 0, Double.NaN, 0, 0, 1, ALL));
  }

  @Test
  void shouldNameItsFormWhenLabellingASource() {
    assertEquals("ets(A,Ad,A)", new Smoothing(true, 12, 0.3, 0.1, 0.1, 0.9, ALL).name());
    assertEquals("ets(A,N,N)", new Smoothing(false, 0, 0.3, 0, 0, 1, ALL).name());
    assertEquals("ets(A,A,N)", new Smoothing(true, 0, 0.3, 0.1, 0, 1, ALL).name());
  }
}
