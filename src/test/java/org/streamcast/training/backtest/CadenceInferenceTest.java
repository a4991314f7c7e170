package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/** Step inference from timestamps, the grids, and the season defaults that follow from the step. */
class CadenceInferenceTest {

  private static List<Instant> times(String... iso) {
    List<Instant> out = new ArrayList<>();
    for (String s : iso) {
      out.add(Instant.parse(s));
    }
    return out;
  }

  @Test
  void shouldInferStepOfEachBundledDatasetWhenReadFromItsTimestamps() {
    assertEquals(new Cadence.Fixed(Duration.ofMinutes(30)), BundledDataset.TAYLOR.anchorPanel().cadence());
    assertEquals(new Cadence.BusinessDays(), BundledDataset.EUSTOCKMARKETS.anchorPanel().cadence());
    assertEquals(new Cadence.Fixed(Duration.ofDays(1)), BundledDataset.VEGA_WEATHER.anchorPanel().cadence());
  }

  @Test
  void shouldKeepBusinessDaySeriesGapFreeWhenOnlyWeekendsAreSkipped() {
    SeriesPanel stocks = BundledDataset.EUSTOCKMARKETS.anchorPanel();
    for (Series s : stocks.series().values()) {
      assertEquals(1860, s.length());
      assertEquals(1860, s.observedCount());
    }
  }

  @Test
  void shouldPickMostCommonDifferenceWhenSomeStepsAreMissing() {
    List<Instant> t = times("2024-01-01T00:00:00Z", "2024-01-01T00:30:00Z", "2024-01-01T02:00:00Z",
        "2024-01-01T02:30:00Z", "2024-01-01T03:00:00Z");
    assertEquals(new Cadence.Fixed(Duration.ofMinutes(30)), CadenceInference.infer(List.of(t)));
  }

  @Test
  void shouldDetectBusinessDaysAndTreatMissingWeekdayAsGapWhenNoWeekendTimestampsExist() {
    // Thu 4, Fri 5, Mon 8, Tue 9, (Wed 10 missing), Thu 11, Fri 12, Mon 15 January 2024
    List<Observation> obs = new ArrayList<>();
    for (String d : new String[] {"04", "05", "08", "09", "11", "12", "15"}) {
      obs.add(new Observation("x", Instant.parse("2024-01-" + d + "T00:00:00Z"), 1));
    }
    SeriesPanel p = SeriesPanel.of(obs);
    assertEquals(new Cadence.BusinessDays(), p.cadence());
    Series s = p.series().get("x");
    assertEquals(8, s.length());
    assertEquals(7, s.observedCount());
    assertEquals(false, s.observed(4));
    assertEquals(Instant.parse("2024-01-10T00:00:00Z"), s.time(4));
    assertEquals(Instant.parse("2024-01-08T00:00:00Z"), s.time(2));
  }

  @Test
  void shouldRoundTripBusinessDaySlotsWhenCrossingWeekends() {
    Cadence c = new Cadence.BusinessDays();
    Instant origin = Instant.parse("2024-01-03T16:00:00Z"); // a Wednesday
    for (int i = 0; i < 30; i++) {
      Instant t = c.at(origin, i);
      assertEquals(false, Cadence.BusinessDays.isWeekend(t));
      assertEquals(i, c.grid().index(t.toEpochMilli()) - c.grid().index(origin.toEpochMilli()));
    }
    assertEquals(Instant.parse("2024-01-08T16:00:00Z"), c.at(origin, 3));
  }

  @Test
  void shouldInferCalendarMonthsWhenStepsAre28To31Days() {
    List<Instant> monthly = new ArrayList<>();
    List<Instant> quarterly = new ArrayList<>();
    Instant start = Instant.parse("2020-01-01T00:00:00Z");
    Cadence months = new Cadence.Months(1);
    for (int i = 0; i < 30; i++) {
      monthly.add(months.at(start, i));
      quarterly.add(months.at(start, 3L * i));
    }
    assertEquals(new Cadence.Months(1), CadenceInference.infer(List.of(monthly)));
    assertEquals(new Cadence.Months(3), CadenceInference.infer(List.of(quarterly)));
    assertEquals(29, months.grid().index(monthly.get(29).toEpochMilli()) - months.grid().index(start.toEpochMilli()));
    assertEquals(Instant.parse("2020-03-01T00:00:00Z"), monthly.get(2));
  }

  @Test
  void shouldAverageObservationsWhenTheyFallIntoTheSameStep() {
    List<Observation> obs = List.of(
        new Observation("k", Instant.parse("2024-01-01T00:00:00Z"), 1),
        new Observation("k", Instant.parse("2024-01-01T01:00:00Z"), 2),
        new Observation("k", Instant.parse("2024-01-01T01:20:00Z"), 4),
        new Observation("k", Instant.parse("2024-01-01T02:00:00Z"), 5),
        new Observation("k", Instant.parse("2024-01-01T03:00:00Z"), 6));
    SeriesPanel p = SeriesPanel.of(obs);
    assertEquals(new Cadence.Fixed(Duration.ofHours(1)), p.cadence());
    assertEquals(1, p.merged());
    assertEquals(3.0, p.series().get("k").value(1), 1e-12);
  }

  @Test
  void shouldFailWithOneLineWhenNoKeyHasTwoTimestamps() {
    SpecException e = assertThrows(SpecException.class,
        () -> SeriesPanel.of(List.of(new Observation("k", Instant.parse("2024-01-01T00:00:00Z"), 1))));
    assertEquals("cannot infer the step: no key has two different timestamps", e.getMessage());
  }

  @Test
  void shouldDefaultScoringSeasonAsAnchorsAndModelLagsSeparatelyWhenStepIsKnown() {
    Cadence halfHourly = new Cadence.Fixed(Duration.ofMinutes(30));
    Cadence hourly = new Cadence.Fixed(Duration.ofHours(1));
    Cadence daily = new Cadence.Fixed(Duration.ofDays(1));
    assertEquals(48, SeasonDefaults.scoringSeason(halfHourly));
    assertEquals(List.of(48, 336), SeasonDefaults.seasonalLags(halfHourly));
    assertEquals(24, SeasonDefaults.scoringSeason(hourly));
    assertEquals(List.of(24, 168), SeasonDefaults.seasonalLags(hourly));
    assertEquals(1, SeasonDefaults.scoringSeason(daily));
    assertEquals(List.of(7), SeasonDefaults.seasonalLags(daily));
    assertEquals(1, SeasonDefaults.scoringSeason(new Cadence.BusinessDays()));
    assertEquals(List.of(), SeasonDefaults.seasonalLags(new Cadence.BusinessDays()));
    assertEquals(12, SeasonDefaults.scoringSeason(new Cadence.Months(1)));
    assertEquals(List.of(12), SeasonDefaults.seasonalLags(new Cadence.Months(1)));
    assertEquals(4, SeasonDefaults.scoringSeason(new Cadence.Months(3)));
    assertEquals(List.of(4), SeasonDefaults.seasonalLags(new Cadence.Months(3)));
    assertEquals(1, SeasonDefaults.scoringSeason(new Cadence.Fixed(Duration.ofMinutes(7))));
    assertEquals(List.of(), SeasonDefaults.seasonalLags(new Cadence.Fixed(Duration.ofMinutes(7))));
    assertEquals(336, MethodContext.defaults(halfHourly).seasonalNaiveSeason());
  }
}
