package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WatchThresholdsTest {

  @Test
  void shouldMatchTheNormalQuantilesAndSiegmundsThresholdsWhenGivenLevels() {
    assertEquals(1.959964, WatchThresholds.normalQuantile(0.975), 1e-6);
    assertEquals(-2.575829, WatchThresholds.normalQuantile(0.005), 1e-6);
    assertEquals(3.090232, WatchThresholds.normalQuantile(0.999), 1e-6);
    assertEquals(0, WatchThresholds.normalQuantile(0.5), 1e-12);
    // e^x − x − 1 = 1 / (1 − level), h = x − 1.166
    assertEquals(3.494, WatchThresholds.cusumThreshold(0.99), 1e-3);
    assertEquals(5.750, WatchThresholds.cusumThreshold(0.999), 1e-3);
    assertThrows(IllegalArgumentException.class, () -> WatchThresholds.normalQuantile(1));
  }

  @Test
  void shouldMatchTheOrthantOfTwoNormalsCorrelatedOneHalfWhenGivenLevels() {
    assertEquals(0.025, WatchThresholds.upperTail(1.959964), 1e-7);
    assertEquals(0.975, WatchThresholds.upperTail(-1.959964), 1e-7);
    // P(Z1 > 0, Z2 > 0) = 1/4 + asin(ρ) / 2π = 1/3 at ρ = ½
    assertEquals(1.0 / 3, WatchThresholds.bothAbove(0), 1e-6);
    assertEquals(0.005, WatchThresholds.bothAbove(WatchThresholds.spikeThreshold(0.99)), 1e-7);
    assertEquals(1.936, WatchThresholds.spikeThreshold(0.99), 1e-3);
    assertEquals(2.574, WatchThresholds.spikeThreshold(0.999), 1e-3);
  }
}
