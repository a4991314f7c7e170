package org.streamcast.resample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Epoch-aligned steps: every instant falls into exactly one step, numbered from the epoch, whatever the first event
 * of a key was. Step {@code i} starts at {@link #start(long)}; an instant falls into step {@link #index(long)} (floor,
 * like a tumbling window). All calendar arithmetic is in UTC.
 *
 * <p>The stream's windows are {@link Fixed} (a spec's step is a fixed duration). Files read by the backtest may be
 * on calendar {@link Months} (their steps differ in length: aligned to the first of a month, a quarter starting in
 * January, April, July or October) or on {@link Weekdays} (a weekend falls into the following Monday).
 */
public sealed interface StepGrid {

  /** The step {@code epochMs} falls into. */
  long index(long epochMs);

  /** Start (epoch ms) of step {@code index}. */
  long start(long index);

  /** Start of the step {@code epochMs} falls into. */
  default long startOf(long epochMs) {
    return start(index(epochMs));
  }

  /**
   * A fixed step: windows {@code [k·step, (k+1)·step)} from the epoch.
   *
   * @param stepMs positive step length
   */
  record Fixed(long stepMs) implements StepGrid {
    public Fixed {
      if (stepMs < 1) {
        throw new IllegalArgumentException("step must be positive: " + stepMs + " ms");
      }
    }

    @Override
    public long index(long epochMs) {
      return Math.floorDiv(epochMs, stepMs);
    }

    @Override
    public long start(long index) {
      return index * stepMs;
    }
  }

  /**
   * Calendar months from January 1970: {@code months} = 1 monthly, 3 quarterly, 12 yearly; a step starts on the
   * first of its month at midnight.
   *
   * @param months months per step, positive
   */
  record Months(int months) implements StepGrid {
    public Months {
      if (months < 1) {
        throw new IllegalArgumentException("months must be positive: " + months);
      }
    }

    @Override
    public long index(long epochMs) {
      ZonedDateTime z = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
      return Math.floorDiv((z.getYear() - 1970) * 12L + z.getMonthValue() - 1, months);
    }

    @Override
    public long start(long index) {
      long month = index * months;
      return ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(month).toInstant().toEpochMilli();
    }
  }

  /** One step per weekday (Monday to Friday), starting at midnight; Saturday and Sunday fall into the next Monday. */
  record Weekdays() implements StepGrid {
    private static final long DAY_MS = 86_400_000L;
    /** Epoch day 0 (1970-01-01) is a Thursday: index 3 when Monday is 0. */
    private static final int EPOCH_DAY_OF_WEEK = 3;

    @Override
    public long index(long epochMs) {
      long shifted = Math.floorDiv(epochMs, DAY_MS) + EPOCH_DAY_OF_WEEK;
      return Math.floorDiv(shifted, 7) * 5 + Math.min(Math.floorMod(shifted, 7), 5);
    }

    @Override
    public long start(long index) {
      long day = Math.floorDiv(index, 5) * 7 + Math.floorMod(index, 5) - EPOCH_DAY_OF_WEEK;
      return day * DAY_MS;
    }
  }
}
