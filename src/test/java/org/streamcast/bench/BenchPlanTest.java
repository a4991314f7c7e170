package org.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchPlanTest {

  @Test
  void shouldKeepWholeStepsWhenEventsAreNotAMultipleOfKeys() {
    BenchPlan plan = new BenchPlan(1_000_999, 10_000, 5_000, 3, 1, 5, 100_000, 27, 4, 1);

    assertEquals(100, plan.steps());
    assertEquals(1_000_000, plan.throughputEvents());
    assertEquals(26 + (1 + 3) * 5, plan.latencyRunSteps());
  }

  @Test
  void shouldNameEventsAndTheStepsNeededWhenTooFewToForecast() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new BenchPlan(100_000, 10_000, 5_000, 3, 1, 5, 100_000, 27, 4, 1));

    assertEquals("--events: 100000 over 10000 keys is 10 steps per key; the model forecasts after a 25-step warm-up, "
        + "so at least 27 steps (270000 events) are needed", e.getMessage());
  }

  @Test
  void shouldNameTheOptionAndValueWhenASizeIsOutOfRange() {
    assertEquals("--rate: 0 is not a positive number of events per second", assertThrows(
        IllegalArgumentException.class, () -> new BenchPlan(270_000, 10_000, 0, 3, 1, 5, 100, 27, 4, 1)).getMessage());
    assertEquals("--passes: 0 is not between 1 and 100", assertThrows(
        IllegalArgumentException.class, () -> new BenchPlan(270_000, 10_000, 10, 0, 1, 5, 100, 27, 4, 1)).getMessage());
    assertEquals("--keys: 2 is fewer than the 4 partitions", assertThrows(
        IllegalArgumentException.class, () -> new BenchPlan(270_000, 2, 10, 1, 1, 5, 100, 27, 4, 1)).getMessage());
    assertEquals("--restore-steps: 1 is fewer than 2 (a key's first window closes when its second step arrives)",
        assertThrows(IllegalArgumentException.class,
            () -> new BenchPlan(270_000, 10_000, 10, 1, 1, 5, 100, 1, 4, 1)).getMessage());
  }

  @Test
  void shouldCountEveryEventOfAStepWhenSeveralArrivePerKeyPerStep() {
    BenchPlan plan = new BenchPlan(3_300_000, 10_000, 5_000, 3, 1, 5, 100_000, 27, 4, 12);
    assertEquals(27, plan.steps());
    assertEquals(3_240_000, plan.throughputEvents());
    assertEquals("--events-per-step: 0 is not between 1 and 3600", assertThrows(IllegalArgumentException.class,
        () -> new BenchPlan(3_300_000, 10_000, 5_000, 3, 1, 5, 100_000, 27, 4, 0)).getMessage());
    assertEquals("--events: 1000000 over 10000 keys at 12 events per step is 8 steps per key; the model forecasts "
        + "after a 25-step warm-up, so at least 27 steps (3240000 events) are needed", assertThrows(
        IllegalArgumentException.class, () -> new BenchPlan(1_000_000, 10_000, 5_000, 3, 1, 5, 100_000, 27, 4, 12))
        .getMessage());
  }
}
