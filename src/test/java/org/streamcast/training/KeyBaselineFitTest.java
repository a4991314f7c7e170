package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.model.Autoregression;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.Smoothing;

class KeyBaselineFitTest {
  private static final int HORIZON = 12;

  /** Monthly: a trend, a season and noise, as in a classic seasonal series. */
  private static double[] seasonal(long seed, int n) {
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 100 + 0.5 * t + 15 * Math.sin(2 * Math.PI * t / 12) + 6 * Math.cos(2 * Math.PI * t / 6)
          + 3 * r.nextGaussian();
    }
    return y;
  }

  static double[] randomWalk(long seed, int n) {
    Random r = new Random(seed);
    double[] y = new double[n];
    y[0] = 100;
    for (int t = 1; t < n; t++) {
      y[t] = y[t - 1] + r.nextGaussian();
    }
    return y;
  }

  @Test
  void shouldServeASeasonalFormWhenTheSeriesHasASeason() {
    double[] y = seasonal(1, 72);
    Smoothing s = (Smoothing) KeyBaselineFit.fit(y, 57, new boolean[HORIZON], List.of(12), 100);
    assertNotNull(s);
    assertEquals(12, s.period());
    assertTrue(s.serves(1) && s.serves(6), "a clear season beats naive and last season's value: " + s);
  }

  @Test
  void shouldServeAnUndampedTrendAtLongHorizonsWhenTheSeriesGrowsSteadily() {
    Random r = new Random(3);
    double[] y = new double[120];
    for (int t = 0; t < y.length; t++) {
      y[t] = 1000 + 8 * t + 2 * r.nextGaussian(); // a population: steady growth, little noise
    }
    Smoothing s = (Smoothing) KeyBaselineFit.fit(y, 96, new boolean[HORIZON], List.of(), 100);
    assertNotNull(s);
    assertEquals("ets(A,A,N)", s.name(), "a damped trend would bend a straight line: " + s);
    assertTrue(s.serves(12), "twelve steps of growth are what naive misses: " + s);
    double[] state = s.start(y, s.warmup());
    for (int t = s.warmup(); t < y.length; t++) {
      s.update(state, y[t]);
    }
    assertEquals(1000 + 8 * (y.length - 1 + 12), s.forecast(state, 12), 10, "twelve steps ahead on the line");
  }

  @Test
  void shouldFitNothingOnMostRandomWalksWhenNothingBeatsNaive() {
    int served = 0;
    for (long seed = 0; seed < 20; seed++) {
      KeyBaseline s = KeyBaselineFit.fit(randomWalk(seed, 200), 160, new boolean[HORIZON], List.of(12), 100);
      served += s == null ? 0 : 1;
    }
    assertTrue(served <= 2, served + " of 20 random walks were given a smoothing baseline");
  }

  @Test
  void shouldLeaveASpikySeriesToNaiveWhenItsBurstsAreRare() {
    // An oil-shock index: zero in most months, now and then a burst of a few. A smoothing's small positive mean has
    // much lower squared errors than naive (which repeats a burst once more), but not lower absolute ones, and the
    // scores a forecast is read by are absolute. Judged on squared errors, 19 of these 20 were served at h = 1.
    int served = 0;
    for (long seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      double[] y = new double[440];
      boolean burst = false;
      for (int t = 0; t < y.length; t++) {
        burst = burst ? r.nextDouble() < 0.5 : r.nextDouble() < 0.03;
        y[t] = burst ? 0.01 + 0.2 * r.nextDouble() : 0;
      }
      KeyBaseline b = KeyBaselineFit.fit(y, 350, new boolean[HORIZON], List.of(12), 100);
      served += b != null && b.serves(1) ? 1 : 0;
    }
    assertTrue(served <= 2, served + " of 20 spiky series were served their own baseline at h = 1");
  }

  @Test
  void shouldKeepTheLearnedOutputWhenTheKeyIsServedItEverywhere() {
    boolean[] learned = new boolean[HORIZON];
    java.util.Arrays.fill(learned, true);
    assertNull(KeyBaselineFit.fit(seasonal(2, 72), 57, learned, List.of(12), 100));
    learned[0] = false;
    Smoothing s = (Smoothing) KeyBaselineFit.fit(seasonal(2, 72), 57, learned, List.of(12), 100);
    assertNotNull(s);
    for (int h = 2; h <= HORIZON; h++) {
      assertTrue(!s.serves(h), "h=" + h + " stays learned");
    }
  }

  @Test
  void shouldServeHorizonsTooLongToJudgeWhenTheJudgedOnesSpanHalfTheHorizonAndServe() {
    // A short quarterly population (as R's austres split: about 50 steps): its second half holds enough positions to
    // judge up to h = 10 only; twelve steps of steady growth are where naive falls furthest behind.
    Random r = new Random(5);
    double[] y = new double[52];
    for (int t = 0; t < y.length; t++) {
      y[t] = 13000 + 45 * t + 10 * r.nextGaussian();
    }
    KeyBaseline b = KeyBaselineFit.fit(y, 48, new boolean[HORIZON], List.of(4), 100);
    assertNotNull(b);
    assertTrue(b.serves(10), "the longest judged horizon: " + b);
    assertTrue(b.serves(11) && b.serves(12), "h = 11 and 12 follow h = 10: " + b);
  }

  @Test
  void shouldNotServeHorizonsTooLongToJudgeWhenTheJudgedOnesMissPartOfTheSeason() {
    // Under four years of a monthly season: judged up to h = 9 only, so three phases of the season were never shown
    // at a long horizon (a development split of monthly deaths, served at h = 12 that way, lost to naive there).
    Smoothing s = (Smoothing) KeyBaselineFit.fit(seasonal(4, 45), 45, new boolean[HORIZON], List.of(12), 100);
    assertNotNull(s);
    assertEquals(12, s.period());
    assertTrue(s.serves(1), "a clear season serves one step ahead: " + s);
    assertTrue(!s.serves(12), "h = 12 was not judged and the judged horizons span 9 of 12 phases: " + s);
  }

  @Test
  void shouldLeaveOutTheSeasonWhenTheHistoryCannotHoldIt() {
    KeyBaseline s = KeyBaselineFit.fit(seasonal(3, 72), 57, new boolean[HORIZON], List.of(12), 12);
    assertTrue(!(s instanceof Smoothing f) || f.period() == 0,
        "a key keeping 12 values cannot start a 12-step season: " + s);
  }

  @Test
  void shouldSmoothTheLogarithmsWhenTheSeasonGrowsWithTheLevel() {
    Random r = new Random(11);
    double[] y = new double[120];
    for (int t = 0; t < y.length; t++) { // monthly sales: 1.5% growth a month, a season of ±40% of the level
      y[t] = 100 * Math.exp(0.015 * t) * (1 + 0.4 * Math.sin(2 * Math.PI * t / 12)) * Math.exp(0.03 * r.nextGaussian());
    }
    KeyBaseline b = KeyBaselineFit.fit(y, 96, new boolean[HORIZON], List.of(12), 100);
    assertTrue(b instanceof Smoothing s && s.log() && s.period() == 12, "a season proportional to the level: " + b);
    assertTrue(b.serves(1), "one step ahead it beats the simple baselines by 5%: " + b);
    double[] withZero = y.clone();
    withZero[40] = 0;
    KeyBaseline additive = KeyBaselineFit.fit(withZero, 96, new boolean[HORIZON], List.of(12), 100);
    assertTrue(!(additive instanceof Smoothing s) || !s.log(), "a series with a zero has no logarithms: " + additive);
  }

  @Test
  void shouldTakeOverALearnedHorizonWhenItBeatsTheLearnedOutputOnValidation() {
    double[] y = seasonal(6, 120);
    int trainEnd = 96;
    boolean[] learned = new boolean[HORIZON];
    java.util.Arrays.fill(learned, true);
    // the learned output's squared errors (label = value) on the validation slice: 25 at every position
    List<List<double[]>> poor = new java.util.ArrayList<>();
    List<List<double[]>> good = new java.util.ArrayList<>();
    for (int k = 0; k < HORIZON; k++) {
      poor.add(new java.util.ArrayList<>());
      good.add(new java.util.ArrayList<>());
      for (int at = trainEnd; at + k + 1 < y.length; at++) {
        poor.get(k).add(new double[] {25, 0, at});
        good.get(k).add(new double[] {1, 0, at});
      }
    }
    assertNull(KeyBaselineFit.fit(y, trainEnd, learned, List.of(12), 100), "without validation it keeps away");
    KeyBaseline b = KeyBaselineFit.fit(y, trainEnd, learned, List.of(12), 100,
        new KeyBaselineFit.Validation(poor, (now, future) -> future));
    assertTrue(b instanceof Smoothing s && s.period() == 12 && b.serves(1), "noise of σ = 3 beats errors of 5: " + b);
    assertNull(KeyBaselineFit.fit(y, trainEnd, learned, List.of(12), 100,
        new KeyBaselineFit.Validation(good, (now, future) -> future)), "a learned output with errors of 1 keeps them");
  }

  /** An annual population cycle: y[t] = 10 + 1.3·y[t−1] − 0.7·y[t−2] + noise, a cycle of about 8 steps. */
  static double[] cycle(long seed, int n) {
    Random r = new Random(seed);
    double[] y = new double[n];
    y[0] = 25;
    y[1] = 25;
    for (int t = 2; t < n; t++) {
      y[t] = 10 + 1.3 * y[t - 1] - 0.7 * y[t - 2] + r.nextGaussian();
    }
    return y;
  }

  @Test
  void shouldServeAnAutoregressionOnTheValuesWhenTheSeriesCyclesAroundALevel() {
    double[] y = cycle(5, 120);
    assertTrue(!AutoregressionFit.unitRoot(y, 96), "a stationary cycle has no unit root");
    KeyBaseline b = KeyBaselineFit.fit(y, 96, new boolean[HORIZON], List.of(), 100);
    assertTrue(b instanceof Autoregression, "neither smoothing nor naive follows a cycle: " + b);
    Autoregression ar = (Autoregression) b;
    assertEquals("arima(2,0,0)", ar.name());
    assertEquals(1.3, ar.coefficients()[0], 0.15);
    assertEquals(-0.7, ar.coefficients()[1], 0.15);
    double level = ar.intercept() / (1 - ar.coefficients()[0] - ar.coefficients()[1]);
    assertEquals(25, level, 1.5, "the level it swings around");
    assertTrue(ar.serves(1) && ar.serves(2), "a cycle is what naive misses most: " + ar);
  }

  @Test
  void shouldFindTheMinimumWhenTheFunctionIsABowl() {
    double[] x = NelderMead.minimize(p -> (p[0] - 3) * (p[0] - 3) + 2 * (p[1] + 1) * (p[1] + 1), new double[2], 500);
    assertEquals(3, x[0], 1e-3);
    assertEquals(-1, x[1], 1e-3);
  }
}
