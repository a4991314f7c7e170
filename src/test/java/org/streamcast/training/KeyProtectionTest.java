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

  @Test
  void shouldServeTheBaselineToAKeyWhoseValidationIsWorseWhenThePoolFavoursTheLearnedOutput() {
    List<double[]> good = errors(300, 0.5, 4);
    List<double[]> slightlyBetter = errors(40, 0.97, 5);
    List<double[]> worse = errors(40, 1.2, 6);
    List<double[]> tooShort = errors(KeyProtection.MIN_POSITIONS - 1, 0.1, 7);
    assertTrue(KeyProtection.lower(slightlyBetter) && !KeyProtection.beats(slightlyBetter, 0), "the premise");
    assertFalse(KeyProtection.lower(worse), "the premise");
    boolean[] chosen = KeyProtection.decide(List.of(good, slightlyBetter, worse, tooShort), 0);
    assertTrue(chosen[0], "wins on its own");
    assertTrue(chosen[1], "lower on its own slice and the pool shows the gain is real");
    assertFalse(chosen[2], "worse on its own slice: its baseline serves");
    assertFalse(chosen[3], "too little evidence: its baseline serves");
    assertTrue(chosen[4], "pooled");
  }

  @Test
  void shouldJudgeAKeyOnItsOwnSliceWhenItHoldsEnoughPositionsEvenIfThePoolFavoursTheLearnedOutput() {
    List<double[]> strong = errors(300, 0.5, 8);
    List<double[]> slightlyBetterLong = errors(KeyProtection.OWN_EVIDENCE, 0.97, 10);
    List<double[]> slightlyBetterShort = errors(KeyProtection.OWN_EVIDENCE - 1, 0.97, 10);
    assertTrue(KeyProtection.lower(slightlyBetterLong) && !KeyProtection.beats(slightlyBetterLong, 0), "the premise");
    boolean[] chosen = KeyProtection.decide(List.of(strong, slightlyBetterLong, slightlyBetterShort), 0);
    assertTrue(chosen[3], "the pool favours the learned output");
    assertTrue(chosen[0]);
    assertFalse(chosen[1], "a long slice of its own shows no real gain: its baseline serves");
    assertTrue(chosen[2], "a short slice leans on the pool");
  }
}
