package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoredHorizonsTest {

  @Test
  void shouldScoreEveryHorizonWhenTheForecastIsShort() {
    ScoredHorizons s = ScoredHorizons.of(48);
    assertEquals(48, s.count());
    for (int j = 0; j < 48; j++) {
      assertEquals(j + 1, s.get(j));
      assertEquals(j, s.below(j + 1));
      assertEquals(0, s.weight(j + 1));
    }
  }

  @Test
  void shouldScoreAtMostMaxHorizonsSpreadGeometricallyWhenTheForecastIsLong() {
    ScoredHorizons s = ScoredHorizons.of(1000);
    assertEquals(ScoredHorizons.MAX_SCORED, s.count());
    assertEquals(1, s.get(0));
    assertEquals(1000, s.get(s.count() - 1));
    for (int j = 1; j < s.count(); j++) {
      assertTrue(s.get(j) > s.get(j - 1), "ascending at " + j);
    }
    // dense at the start: 1..10 are all scored
    for (int h = 1; h <= 10; h++) {
      assertEquals(h, s.get(h - 1));
    }
    assertArrayEquals(new int[] {1, 2, 3}, ScoredHorizons.select(3, 5));
    assertArrayEquals(new int[] {1, 2, 5, 10}, ScoredHorizons.select(10, 4)); // 10^(i/3) rounded
  }

  @Test
  void shouldInterpolateLinearlyBetweenScoredHorizonsWhenAHorizonIsNotScored() {
    ScoredHorizons s = ScoredHorizons.of(10, new int[] {1, 2, 4, 10});
    double[] perScored = {1, 2, 4, 10};
    for (int h = 1; h <= 10; h++) {
      assertEquals(h, s.interpolate(perScored, h), 1e-12, "h=" + h);
    }
    assertTrue(Double.isNaN(s.interpolate(new double[] {1, 2, Double.NaN, 10}, 3)));
  }

  @Test
  void shouldRejectPersistedHorizonsWhenTheyDoNotRunFromOneToH() {
    assertThrows(IllegalArgumentException.class, () -> ScoredHorizons.of(10, new int[] {2, 10}));
    assertThrows(IllegalArgumentException.class, () -> ScoredHorizons.of(10, new int[] {1, 5, 5, 10}));
    assertThrows(IllegalArgumentException.class, () -> ScoredHorizons.of(10, new int[] {1, 9}));
  }
}
