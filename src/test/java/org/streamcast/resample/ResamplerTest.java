package org.streamcast.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.config.SpecException;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Measurement;

class ResamplerTest {

  private static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static Measurement row(String key, String iso, double... values) {
    return new Measurement(key, Instant.parse(iso), values);
  }

  @Test
  void shouldAlignStepsToTheEpochWhenTheFirstEventIsOffTheStep() {
    StepGrid hour = new StepGrid.Fixed(3_600_000L);
    assertEquals(ms("2024-03-01T05:00:00Z"), hour.startOf(ms("2024-03-01T05:59:59.999Z")));
    assertEquals(ms("1969-12-31T23:00:00Z"), hour.startOf(-1), "floor before the epoch");
    assertEquals(hour.index(ms("2024-03-01T06:00:00Z")), hour.index(ms("2024-03-01T05:00:00Z")) + 1);
  }

  @Test
  void shouldStartMonthsAndQuartersOnTheFirstWhenDataIsMidMonth() {
    StepGrid month = new StepGrid.Months(1);
    StepGrid quarter = new StepGrid.Months(3);
    assertEquals(ms("2024-02-01T00:00:00Z"), month.startOf(ms("2024-02-29T13:00:00Z")));
    assertEquals(ms("1969-12-01T00:00:00Z"), month.startOf(ms("1969-12-31T00:00:00Z")));
    assertEquals(ms("2024-04-01T00:00:00Z"), quarter.startOf(ms("2024-06-30T00:00:00Z")));
    assertEquals(ms("2024-01-01T00:00:00Z"), quarter.startOf(ms("2024-03-31T23:59:59Z")));
    assertEquals(quarter.index(ms("2024-01-15T00:00:00Z")) + 1, quarter.index(ms("2024-04-15T00:00:00Z")));
    List<KeySteps> k = new Resampler(month, List.of(Aggregation.MEAN), GapPolicy.IMPUTE).resample(List.of(
        row("m", "2024-01-31T00:00:00Z", 1), row("m", "2024-02-29T00:00:00Z", 2), row("m", "2024-04-30T00:00:00Z", 4)));
    assertArrayEquals(new long[] {ms("2024-01-01T00:00:00Z"), ms("2024-02-01T00:00:00Z"), ms("2024-03-01T00:00:00Z"),
        ms("2024-04-01T00:00:00Z")}, k.get(0).starts());
    assertArrayEquals(new int[] {1, 1, 0, 1}, k.get(0).counts(), "March is a gap");
  }

  @Test
  void shouldPutAWeekendIntoTheFollowingMondayWhenStepsAreWeekdays() {
    StepGrid weekdays = new StepGrid.Weekdays();
    long friday = weekdays.index(ms("2024-01-05T16:00:00Z"));
    assertEquals(friday + 1, weekdays.index(ms("2024-01-06T10:00:00Z")), "Saturday counts as Monday");
    assertEquals(friday + 1, weekdays.index(ms("2024-01-08T10:00:00Z")));
    assertEquals(ms("2024-01-08T00:00:00Z"), weekdays.start(friday + 1));
    assertEquals(ms("2024-01-05T00:00:00Z"), weekdays.start(friday));
  }

  @Test
  void shouldAggregateEachFieldWithItsOwnAggregationAndLeaveMissingValuesOutWhenRowsShareAStep() {
    Resampler r = new Resampler(new StepGrid.Fixed(3_600_000L), List.of(Aggregation.LAST, Aggregation.MEAN,
        Aggregation.COUNT), GapPolicy.IMPUTE);
    KeySteps k = r.resample(List.of(row("a", "2024-01-01T00:40:00Z", 3, 10, 1),
        row("a", "2024-01-01T00:10:00Z", 1, Double.NaN, 1), row("a", "2024-01-01T02:05:00Z", 5, 20, Double.NaN)))
        .get(0);
    assertArrayEquals(new double[] {3, Double.NaN, 5}, k.values(), 0, "last by event time, not row order");
    assertArrayEquals(new double[] {10, Double.NaN, 20}, k.covariates()[0], 0, "the mean of the values it has");
    assertArrayEquals(new double[] {2, Double.NaN, Double.NaN}, k.covariates()[1], 0);
    assertArrayEquals(new int[] {2, 0, 1}, k.counts());
    assertTrue(k.gap(1));
  }

  @Test
  void shouldReturnOnlyStepsWithEventsWhenGapsAreSkipped() {
    Resampler r = new Resampler(new StepGrid.Fixed(86_400_000L), List.of(Aggregation.SUM), GapPolicy.SKIP);
    KeySteps k = r.resample(List.of(row("a", "2024-01-05T10:00:00Z", 1), row("a", "2024-01-05T11:00:00Z", 2),
        row("a", "2024-01-08T10:00:00Z", 4))).get(0);
    assertArrayEquals(new long[] {ms("2024-01-05T00:00:00Z"), ms("2024-01-08T00:00:00Z")}, k.starts());
    assertArrayEquals(new double[] {3, 4}, k.values(), 0);
  }

  @Test
  void shouldRefuseAKeyWhenItSpansMoreStepsThanTheLimit() {
    Resampler r = new Resampler(new StepGrid.Fixed(1000L), List.of(Aggregation.MEAN), GapPolicy.IMPUTE);
    SpecException e = assertThrows(SpecException.class, () -> r.resample(List.of(row("a", "2000-01-01T00:00:00Z", 1),
        row("a", "2024-01-01T00:00:00Z", 2))));
    assertTrue(e.getMessage().startsWith("key a: 757382401 steps between its first and last timestamp"),
        e.getMessage());
  }
}
