package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Step;

class SeriesHistoryTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static Step at(String key, int hour, double v) {
    return new Step(key, T0.plus(HOUR.multipliedBy(hour)), v, 1);
  }

  @Test
  void shouldPlaceStepsOnTheGridWhenTheyArriveOutOfOrderWithGapsAndRepeats() {
    SeriesHistory h = SeriesHistory.of("t", List.of(at("a", 3, 3), at("a", 5, 5), at("a", 1, 1), at("a", 3, 99),
        at("b", 0, 7)), HOUR);
    assertEquals(List.of("a", "b"), h.keys());
    assertEquals(T0.plus(HOUR), h.start("a"));
    assertArrayEquals(new double[] {1, Double.NaN, 3, Double.NaN, 5}, h.grid("a"), "the first read of a step counts");
    assertEquals(4, h.size());
    assertEquals(T0.plus(HOUR.multipliedBy(5)), h.to().orElseThrow());
    assertEquals(T0, h.from().orElseThrow());
  }

  @Test
  void shouldKeepEachStepsCovariatesOnTheSameGridWhenStepsCarryThem() {
    SeriesHistory h = SeriesHistory.of("t", List.of(
        new Step("a", T0.plus(HOUR.multipliedBy(3)), 3, 1, new double[] {30, -3}),
        new Step("a", T0.plus(HOUR), 1, 1, new double[] {10, -1}),
        new Step("a", T0.plus(HOUR.multipliedBy(3)), 99, 1, new double[] {990, -99})), HOUR);
    assertEquals(2, h.covariateCount());
    assertArrayEquals(new double[] {1, Double.NaN, 3}, h.grid("a"));
    double[][] c = h.covariates("a");
    assertArrayEquals(new double[] {10, Double.NaN, 30}, c[0], "the first read of a step counts");
    assertArrayEquals(new double[] {-1, Double.NaN, -3}, c[1]);
    SeriesHistory.Builder b = new SeriesHistory.Builder("t", HOUR, 100, 2);
    b.add("k", T0.toEpochMilli(), 1, new double[] {2, 3});
    assertEquals(3 * 4L * 16 + SeriesHistory.KEY_OVERHEAD_BYTES, b.bytes(), "four bytes a step per field");
  }

  @Test
  void shouldHoldFourBytesAStepWhenKeysAreLong() {
    SeriesHistory.Builder b = new SeriesHistory.Builder("t", HOUR, 2689);
    for (int i = 0; i < 2688; i++) {
      b.add("k", T0.toEpochMilli() + i * HOUR.toMillis(), i);
    }
    long bytes = b.build(1).bytes();
    assertTrue(bytes <= 4L * 2689 + SeriesHistory.KEY_OVERHEAD_BYTES, "bytes " + bytes);
  }

  @Test
  void shouldReadStepStartsAsInstantDoesWhenTimestampsArePlainOrNot() {
    for (String ts : List.of("2000-06-05T00:00:00Z", "2024-02-29T23:59:59Z", "1969-12-31T23:30:00Z",
        "2000-06-05T00:00:00.250Z", "2000-06-05T00:00:00+00:00".replace("+00:00", "Z"))) {
      assertEquals(Instant.parse(ts).toEpochMilli(), SeriesTopicReader.epochMillis(ts), ts);
    }
  }
}
