package org.streamcast.training.backtest;

import java.time.Duration;
import java.util.List;

/**
 * Default seasons for a {@link Cadence}, used when no pipeline spec says otherwise. Two different things:
 *
 * <ul>
 *   <li><b>Scoring season</b> ({@link #scoringSeason}): the {@code m} of the MASE denominator, following the
 *       conventions of {@code docs/protocol.md} so numbers stay comparable with the R anchors: steps per day for sub-daily
 *       steps that divide a day (48 half-hourly, 24 hourly, 96 for 15 minutes), 12 monthly, 4 quarterly, and 1 for
 *       everything else (daily, business-daily, weekly, yearly, odd steps) — prices and daily weather are scored
 *       against plain naive.</li>
 *   <li><b>Model seasonal lags</b> ({@link #seasonalLags}): how far back a model (and the seasonal naive baseline)
 *       looks for the same season: one day and one week of steps for sub-daily steps that divide a day (48/336
 *       half-hourly, 24/168 hourly), 7 daily, 12 monthly, 4 quarterly, none otherwise. Business days (exchange trading
 *       days: market prices) get none: prices have no season, and the week is no predictor of returns.</li>
 * </ul>
 */
public final class SeasonDefaults {

  private SeasonDefaults() {}

  /** The MASE season {@code m} for data with this cadence (the conventions of docs/protocol.md). */
  public static int scoringSeason(Cadence cadence) {
    if (cadence instanceof Cadence.Fixed f) {
      return Math.max(1, f.stepsPerDay());
    }
    if (cadence instanceof Cadence.Months mo) {
      return switch (mo.months()) {
        case 1 -> 12;
        case 3 -> 4;
        default -> 1;
      };
    }
    return 1;
  }

  /** The seasonal lags (in steps, ascending) a model may use as inputs for data with this cadence. */
  public static List<Integer> seasonalLags(Cadence cadence) {
    if (cadence instanceof Cadence.Fixed f) {
      int perDay = f.stepsPerDay();
      if (perDay > 1) {
        return List.of(perDay, 7 * perDay);
      }
      return f.step().equals(Duration.ofDays(1)) ? List.of(7) : List.of();
    }
    if (cadence instanceof Cadence.Months mo) {
      return switch (mo.months()) {
        case 1 -> List.of(12);
        case 3 -> List.of(4);
        default -> List.of();
      };
    }
    return List.of();
  }
}
