package org.streamcast.training.backtest;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.config.SpecException;

/**
 * Infers the {@link Cadence} of a dataset from its timestamps.
 *
 * <p>Rule: take every positive difference between consecutive timestamps of the same key, over all keys, and find the
 * most common one, {@code d} (ties go to the shorter). Then:
 * <ul>
 *   <li>{@code d} of 28–31 days: calendar months; 89–92 days: quarters; 365–366 days: years.</li>
 *   <li>{@code d} of one day, no timestamp on a Saturday or Sunday, and at least one Friday-to-Monday difference:
 *       business days (a weekend is not a gap; a missing weekday is).</li>
 *   <li>otherwise a fixed step {@code d}; a difference of {@code k·d} is a gap of {@code k − 1} steps.</li>
 * </ul>
 * Differences are counted once per dataset, not per key, so keys share one grid spacing (their own start and end).
 */
public final class CadenceInference {

  private CadenceInference() {}

  /**
   * Infers the cadence.
   *
   * @param timesPerKey each key's timestamps, sorted ascending (duplicates allowed)
   * @throws SpecException when no key has two distinct timestamps
   */
  public static Cadence infer(Collection<List<Instant>> timesPerKey) {
    Map<Duration, Integer> counts = new HashMap<>();
    boolean anyWeekend = false;
    boolean fridayToMonday = false;
    for (List<Instant> times : timesPerKey) {
      for (int i = 0; i < times.size(); i++) {
        Instant t = times.get(i);
        anyWeekend |= Cadence.BusinessDays.isWeekend(t);
        if (i == 0) {
          continue;
        }
        Duration d = Duration.between(times.get(i - 1), t);
        if (d.isNegative()) {
          throw new IllegalArgumentException("timestamps must be sorted: " + times.get(i - 1) + " > " + t);
        }
        if (d.isZero()) {
          continue;
        }
        counts.merge(d, 1, Integer::sum);
        if (d.equals(Duration.ofDays(3))
            && times.get(i - 1).atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.FRIDAY) {
          fridayToMonday = true;
        }
      }
    }
    Duration mode = null;
    int best = 0;
    for (Map.Entry<Duration, Integer> e : counts.entrySet()) {
      int c = e.getValue();
      if (c > best || (c == best && e.getKey().compareTo(mode) < 0)) {
        mode = e.getKey();
        best = c;
      }
    }
    if (mode == null) {
      throw new SpecException("cannot infer the step: no key has two different timestamps");
    }
    return classify(mode, anyWeekend, fridayToMonday);
  }

  static Cadence classify(Duration mode, boolean anyWeekend, boolean fridayToMonday) {
    if (within(mode, 28, 31)) {
      return new Cadence.Months(1);
    }
    if (within(mode, 89, 92)) {
      return new Cadence.Months(3);
    }
    if (within(mode, 365, 366)) {
      return new Cadence.Months(12);
    }
    if (mode.equals(Cadence.DAY) && !anyWeekend && fridayToMonday) {
      return new Cadence.BusinessDays();
    }
    return new Cadence.Fixed(mode);
  }

  private static boolean within(Duration d, int minDays, int maxDays) {
    return d.compareTo(Duration.ofDays(minDays)) >= 0 && d.compareTo(Duration.ofDays(maxDays)) <= 0;
  }
}
