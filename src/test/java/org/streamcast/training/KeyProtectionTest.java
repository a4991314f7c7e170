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
  void shouldServeTheBaselineWhenAKeysGainIsAllInOneHalfOfItsOwnSlice() {
    List<double[]> episode = new ArrayList<>(errors(200, 0.5, 11)); // a large gain early on
    for (double[] e : errors(200, 1.1, 12)) {
      episode.add(new double[] {e[0], e[1], e[2] + 200}); // then worse
    }
    List<double[]> steady = errors(300, 0.8, 13);
    List<double[]> shortEpisode = new ArrayList<>(episode.subList(0, 40));
    shortEpisode.addAll(episode.subList(200, 240));
    assertTrue(KeyProtection.beats(episode, 0) && KeyProtection.lower(episode), "the premise: significant overall");
    assertFalse(KeyProtection.lowerInEachHalf(episode), "the premise: worse in the second half");
    assertTrue(KeyProtection.lowerInEachHalf(steady));
    assertTrue(KeyProtection.lower(shortEpisode) && !KeyProtection.lowerInEachHalf(shortEpisode), "the premise");
    boolean[] chosen = KeyProtection.decide(List.of(episode, steady, shortEpisode), 0);
    assertTrue(chosen[3], "the pool favours the learned output");
    assertFalse(chosen[0], "a gain won in one episode of a long slice: its baseline serves, significant or not");
    assertTrue(chosen[1], "a gain in both halves");
    assertTrue(chosen[2], "a short slice's halves say little: lower and the pool's gain suffice");
  }
}
