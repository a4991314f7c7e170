package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyProtectionTest {

  /** Squared errors {learned, baseline, position} with the learned error's spread times {@code ratio}. */
  static List<double[]> errors(int n, double ratio, long seed) {
    Random r = new Random(seed);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double b = r.nextGaussian();
      double a = ratio * r.nextGaussian();
      out.add(new double[] {a * a, b * b, i});
    }
    return out;
  }

  @Test
  void shouldKeepTheLearnedOutputWhenItsErrorsAreClearlySmaller() {
    assertTrue(KeyProtection.beats(errors(200, 0.5, 1), 0));
  }

  @Test
  void shouldServeTheBaselineWhenTheLearnedOutputIsNotSignificantlyBetter() {
    assertFalse(KeyProtection.beats(errors(200, 1.0, 2), 0), "equal accuracy");
    assertFalse(KeyProtection.beats(errors(200, 1.3, 3), 0), "worse");
  }

  @Test
  void shouldServeTheBaselineWhenThereAreTooFewPositions() {
    List<double[]> few = new ArrayList<>();
    for (int i = 0; i < KeyProtection.MIN_POSITIONS - 1; i++) {
      few.add(new double[] {0.0, 1.0 + i, i});
    }
    assertFalse(KeyProtection.beats(few, 0), "nine perfect forecasts are not evidence");
    few.add(new double[] {0.0, 2.0, 99});
    assertTrue(KeyProtection.beats(few, 0));
  }
}
