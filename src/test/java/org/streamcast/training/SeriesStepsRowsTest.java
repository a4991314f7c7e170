package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Measurement;

class SeriesStepsRowsTest {
  private static final Instant T0 = Instant.parse("2012-01-01T00:00:00Z");

  private static PipelineSpec spec(String policy) {
    return SpecLoader.parse("t.yaml", String.join("\n", "name: t", "input: {valueFields: [v, c], target: v}",
        "window: {step: 1h}", "model: {horizon: 2, gaps: {policy: " + policy + "}}", ""));
  }

  private static Measurement row(String key, int hours, double... values) {
    return new Measurement(key, T0.plus(Duration.ofHours(hours)), values);
  }

  @Test
  void shouldAverageEachFieldAndHoldMissingCovariatesWhenRowsAreGridded() {
    List<KeySeries> s = SeriesSteps.ofRows("t", List.of(row("a", 0, 1, 10), row("a", 0, 3, Double.NaN),
        row("a", 2, 5, Double.NaN), row("a", 3, 7, 40)), spec("impute"));
    KeySeries a = s.get(0);
    assertArrayEquals(new double[] {2, 2, 5, 7}, a.values(), 0);
    assertArrayEquals(new boolean[] {false, true, false, false}, a.imputed());
    assertArrayEquals(new double[] {10, 10, 10, 40}, a.extras()[0], 0, "a step without the covariate holds it");
  }

  @Test
  void shouldTakeOnlyStepsWithRowsWhenGapsAreSkipped() {
    List<KeySeries> s = SeriesSteps.ofRows("t", List.of(row("a", 0, 1, 10), row("a", 72, 2, 20)), spec("skip"));
    assertEquals(2, s.get(0).length());
    assertArrayEquals(new double[] {10, 20}, s.get(0).extras()[0], 0);
  }
}
