package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Observation;

class KeySeriesTest {

  /** A half-hourly pipeline with the gap policy {@code policy}. */
  static PipelineSpec spec(String policy) {
    return SpecLoader.parse("t.yaml", String.join("\n", "name: t", "input: {valueFields: [value], target: value}",
        "window: {step: 30m}", "model: {horizon: 2, gaps: {policy: " + policy + "}}", ""));
  }

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
    List<KeySeries> steps = SeriesSteps.of("x.csv", rows, spec("impute"));
    assertEquals(2, steps.size());
    assertArrayEquals(new double[] {2, 2, 2, 7}, steps.get(0).values());
    assertArrayEquals(new boolean[] {false, true, true, false}, steps.get(0).imputed());
    List<KeySeries> skipped = SeriesSteps.of("x.csv", rows, spec("skip"));
    assertArrayEquals(new double[] {2, 7}, skipped.get(0).values(), "rows in one window are one step, as streamed");
    assertArrayEquals(new long[] {t0.getEpochSecond(), t0.getEpochSecond() + 3 * 1800}, skipped.get(0).epochSeconds());
  }

  @Test
  void shouldOrderRowsByTimeWhenTheFileIsNotSortedAsTheBacktestDoes() {
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    List<Observation> rows = List.of(new Observation("a", t0.plusSeconds(3600), 1), new Observation("a", t0, 3));
    List<KeySeries> steps = SeriesSteps.of("x.csv", rows, spec("impute"));
    assertArrayEquals(new double[] {3, 3, 1}, steps.get(0).values());
    assertArrayEquals(new boolean[] {false, true, false}, steps.get(0).imputed());
  }
}
