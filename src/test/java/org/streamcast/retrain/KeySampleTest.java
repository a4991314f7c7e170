package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySampleTest {

  /** 1,000 keys in four groups of scale 1, 10, 100 and 1,000, by key number mod 4; volatility varies at random. */
  private static Map<String, double[]> fleet() {
    Map<String, double[]> stats = new LinkedHashMap<>();
    Random r = new Random(3);
    for (int i = 0; i < 1000; i++) {
      stats.put("k" + i, new double[] {Math.pow(10, i % 4), r.nextDouble()});
    }
    return stats;
  }

  @Test
  void shouldKeepTheFleetsMixWhenSamplingByStrata() {
    List<String> sample = KeySample.stratified(fleet(), 100, 42);
    assertEquals(100, sample.size());
    assertEquals(100, new HashSet<>(sample).size());
    for (int g = 0; g < 4; g++) {
      int group = g;
      long n = sample.stream().filter(k -> Integer.parseInt(k.substring(1)) % 4 == group).count();
      // the 16 strata's shares are rounded, so a group's count may be off by one; a uniform sample of 100 keys
      // strays by 4 or more (one standard deviation) about every third time
      assertTrue(Math.abs(n - 25) <= 1, "a quarter of the fleet has scale 10^" + g + ", so has the sample: " + n);
    }
  }

  @Test
  void shouldGiveTheSameSampleWhenTheSameKeysArriveInAnotherOrder() {
    Map<String, double[]> stats = fleet();
    List<Map.Entry<String, double[]>> entries = new ArrayList<>(stats.entrySet());
    java.util.Collections.shuffle(entries, new Random(7));
    Map<String, double[]> shuffled = new LinkedHashMap<>();
    entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
    assertEquals(KeySample.stratified(stats, 100, 42), KeySample.stratified(shuffled, 100, 42));
    assertNotEquals(KeySample.stratified(stats, 100, 42), KeySample.stratified(stats, 100, 43),
        "another seed, another sample");
  }

  @Test
  void shouldTakeAllKeysWhenTheFleetIsWithinTheBudget() {
    assertEquals(1000, KeySample.stratified(fleet(), 5000, 1).size());
  }

  @Test
  void shouldGivePrioritiesSpreadUniformlyWhenKeysAreSimilar() {
    int below = 0;
    for (int i = 0; i < 10_000; i++) {
      below += KeySample.priority(42, "meter-" + i) < 0 ? 1 : 0;
    }
    assertTrue(below > 4800 && below < 5200, "half the priorities are negative: " + below);
  }

  @Test
  void shouldStateScaleAndVolatilityWhenGridHasGaps() {
    double[] s = KeySample.stats(new double[] {10, 12, Double.NaN, 8, 10});
    assertEquals(10, s[0], 1e-12);
    assertEquals((2 + 2) / 2.0 / 10, s[1], 1e-12, "changes across a gap do not count");
  }

  @Test
  void shouldGiveConfidenceNearOneWhenEveryKeyImproves() {
    assertTrue(SampleScores.confidence(new double[] {-0.1, -0.12, -0.09, -0.11}) > 0.999);
    assertEquals(0.5, SampleScores.confidence(new double[] {-1, 1}), 1e-9);
    assertEquals(0.975, SampleScores.normalCdf(1.959964), 1e-6);
  }
}
