package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

/** {@link KeyStepper}'s gap policy while a key warms up and once it forecasts. */
class KeyStepperGapsTest {
  private static final long STEP_MS = 3_600_000L;
  private static final int SEASON = 24;

  /** Steps t = 0 .. steps − 1, leaving out every {@code every}-th; returns the step of the first forecast or −1. */
  private static long firstForecast(Gaps gaps, int steps, int every, KeyState state) {
    KeyStepper stepper = new KeyStepper(gaps, STEP_MS);
    SeasonalNaiveForecaster model = new SeasonalNaiveForecaster(SEASON, 3);
    double[] out = new double[3];
    long first = -1;
    for (int t = 0; t < steps; t++) {
      if (t % every == every - 1) {
        continue;
      }
      int outcome = stepper.observe(model, "k", state, t * STEP_MS, 100 + t % SEASON, out);
      if ((outcome & KeyStepper.FORECAST) != 0 && first < 0) {
        first = t;
      }
    }
    return first;
  }

  @Test
  void shouldFinishWarmingUpWhenShortGapsComeMoreOftenThanTheWarmUpIsLong() {
    // one missing step in every ten, a warm-up of 24 observed steps: holding the last value over each gap, the key
    // forecasts once it has observed 24 (at t = 25); starting over at each gap it never would
    KeyState state = new KeyState(64);
    assertEquals(25, firstForecast(new Gaps(GapPolicy.IMPUTE, 2), 100, 10, state));
    // the newest step is t = 98; t = 89 was missing, when the key was warm: filled with its forecast (24 back)
    assertTrue(state.history().imputed(9));
    assertFalse(state.history().imputed(8));
    assertEquals(100 + 65 % SEASON, state.history().get(9));
    // while warming up, t = 9 was held at t = 8's value
    KeyState young = new KeyState(64);
    firstForecast(new Gaps(GapPolicy.IMPUTE, 2), 12, 10, young);
    assertTrue(young.history().imputed(2));
    assertEquals(100 + 8, young.history().get(2));
    assertEquals(11, young.observedSteps());
  }

  @Test
  void shouldStartOverWhenAWarmingKeysGapIsLongerThanMaxImputed() {
    KeyStepper stepper = new KeyStepper(new Gaps(GapPolicy.IMPUTE, 2), STEP_MS);
    SeasonalNaiveForecaster model = new SeasonalNaiveForecaster(SEASON, 3);
    KeyState state = new KeyState(64);
    double[] out = new double[3];
    for (int t = 0; t < 10; t++) {
      stepper.observe(model, "k", state, t * STEP_MS, t, out);
    }
    int outcome = stepper.observe(model, "k", state, 13 * STEP_MS, 13, out);
    assertTrue((outcome & KeyStepper.RESET) != 0, "three missing steps, two may be bridged");
    assertEquals(1, state.observedSteps());
  }

  @Test
  void shouldNeverForecastWhenTheGapPolicyResets() {
    KeyState state = new KeyState(64);
    assertEquals(-1, firstForecast(new Gaps(GapPolicy.RESET, 0), 100, 10, state));
    assertFalse(state.observedSteps() >= SEASON);
  }
}
