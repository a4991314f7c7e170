package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Observation;

class KeySeriesTest {

  @Test
  void shouldCarryValuesForwardAndFlagThemWhenStepsAreMissing() {
    KeySeries s = KeySeries.withGaps("k", new long[] {0, 10, 20, 30, 40}, new double[] {Double.NaN, 1, Double.NaN,
        Double.NaN, 4});
    assertArrayEquals(new long[] {10, 20, 30, 40}, s.epochSeconds());
    assertArrayEquals(new double[] {1, 1, 1, 4}, s.values());
    assertArrayEquals(new boolean[] {false, true, true, false}, s.imputed());
  }

  @Test
  void shouldResampleRowsOntoStepsWhenGridHasGapsAndDuplicates() {
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    List<Observation> rows = List.of(
        new Observation("a", t0, 1), new Observation("a", t0.plusSeconds(600), 3),
        new Observation("a", t0.plusSeconds(3 * 1800), 7),
        new Observation("b", t0, 5));
    List<KeySeries> steps = SeriesSteps.of("x.csv", rows, Duration.ofMinutes(30), false);
    assertEquals(2, steps.size());
    assertArrayEquals(new double[] {2, 2, 2, 7}, steps.get(0).values());
    assertArrayEquals(new boolean[] {false, true, true, false}, steps.get(0).imputed());
    List<KeySeries> skipped = SeriesSteps.of("x.csv", rows, Duration.ofMinutes(30), true);
    assertArrayEquals(new double[] {1, 3, 7}, skipped.get(0).values());
  }

  @Test
  void shouldRejectRowsOutOfTimeOrderWhenResampling() {
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    List<Observation> rows = List.of(new Observation("a", t0.plusSeconds(60), 1), new Observation("a", t0, 3));
    var e = assertThrows(org.streamcast.config.SpecException.class,
        () -> SeriesSteps.of("x.csv", rows, Duration.ofMinutes(30), false));
    assertTrue(e.getMessage().startsWith("x.csv: key a: rows are not in time order"), e.getMessage());
  }
}
