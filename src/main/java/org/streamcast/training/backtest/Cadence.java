package org.streamcast.training.backtest;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.streamcast.resample.StepGrid;

/**
 * The regular grid a series lives on: step {@code i} of a series that starts at {@code origin} is at
 * {@link #at(Instant, long) at(origin, i)}; a timestamp falls into the step of the one resampler's epoch-aligned
 * {@link #grid()} (a series built by {@link SeriesPanel} starts on it). All calendar arithmetic is in UTC.
 *
 * <p>Three kinds: a {@link Fixed} step (30 minutes, one hour, one day ...), {@link BusinessDays} (one step per weekday,
 * so a Friday is followed by a Monday and a weekend is not a gap), and calendar {@link Months} (monthly, quarterly,
 * yearly), whose steps have different lengths.
 */
public sealed interface Cadence {

  /** One day. */
  Duration DAY = Duration.ofDays(1);

  /** The time of step {@code slot} of a series whose first step is at {@code origin}. */
  Instant at(Instant origin, long slot);

  /**
   * The epoch-aligned steps of this cadence, as the one resampler takes them: a fixed step from the epoch, calendar
   * months from January 1970, weekdays from midnight.
   */
  StepGrid grid();

  /** A short human label: {@code 30m}, {@code 1d}, {@code business day}, {@code month}, {@code quarter}. */
  String label();

  /**
   * A fixed step.
   *
   * @param step positive length of one step
   */
  record Fixed(Duration step) implements Cadence {
    public Fixed {
      Objects.requireNonNull(step, "step");
      if (step.isNegative() || step.isZero()) {
        throw new IllegalArgumentException("step must be positive: " + step);
      }
    }

    @Override
    public Instant at(Instant origin, long slot) {
      return origin.plus(step.multipliedBy(slot));
    }

    @Override
    public StepGrid grid() {
      return new StepGrid.Fixed(step.toMillis());
    }

    /** Whole steps per day, or 0 when the step does not divide a day (or is a day or longer). */
    public int stepsPerDay() {
      if (step.compareTo(DAY) >= 0) {
        return 0;
      }
      long nanosPerDay = DAY.toNanos();
      long stepNanos = step.toNanos();
      return nanosPerDay % stepNanos == 0 ? (int) (nanosPerDay / stepNanos) : 0;
    }

    @Override
    public String label() {
      if (step.toDaysPart() > 0 && step.equals(Duration.ofDays(step.toDays()))) {
        return step.toDays() + "d";
      }
      if (step.toHoursPart() > 0 && step.equals(Duration.ofHours(step.toHours()))) {
        return step.toHours() + "h";
      }
      if (step.toMinutesPart() > 0 && step.equals(Duration.ofMinutes(step.toMinutes()))) {
        return step.toMinutes() + "m";
      }
      return step.toString();
    }
  }

  /** One step per weekday (Monday to Friday); the time of day is the origin's. */
  record BusinessDays() implements Cadence {
    private static long epochDay(Instant t) {
      return Math.floorDiv(t.getEpochSecond(), 86_400L);
    }

    /** Whether {@code t} (UTC) falls on a Saturday or Sunday. */
    public static boolean isWeekend(Instant t) {
      DayOfWeek d = LocalDate.ofEpochDay(epochDay(t)).getDayOfWeek();
      return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    @Override
    public Instant at(Instant origin, long slot) {
      StepGrid weekdays = grid(); // a weekend origin counts as the following Monday
      long dayMs = weekdays.start(weekdays.index(origin.toEpochMilli()) + slot);
      long timeOfDay = Math.floorMod(origin.getEpochSecond(), 86_400L);
      return Instant.ofEpochSecond(dayMs / 1000 + timeOfDay, origin.getNano());
    }

    @Override
    public StepGrid grid() {
      return new StepGrid.Weekdays();
    }

    @Override
    public String label() {
      return "business day";
    }
  }

  /**
   * Calendar months: {@code months} = 1 monthly, 3 quarterly, 12 yearly. A step keeps the origin's day of month where
   * the month has it (otherwise its last day) and the origin's time of day.
   *
   * @param months months per step, positive
   */
  record Months(int months) implements Cadence {
    public Months {
      if (months < 1) {
        throw new IllegalArgumentException("months must be positive: " + months);
      }
    }

    @Override
    public Instant at(Instant origin, long slot) {
      return origin.atZone(ZoneOffset.UTC).plusMonths(slot * months).toInstant();
    }

    @Override
    public StepGrid grid() {
      return new StepGrid.Months(months);
    }

    @Override
    public String label() {
      return switch (months) {
        case 1 -> "month";
        case 3 -> "quarter";
        case 12 -> "year";
        default -> months + " months";
      };
    }
  }
}
