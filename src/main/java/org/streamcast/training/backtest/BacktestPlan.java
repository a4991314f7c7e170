package org.streamcast.training.backtest;

import java.util.List;
import java.util.TreeSet;
import org.streamcast.config.SpecException;

/**
 * What a backtest scores: the training fraction, the horizons and the MASE season. Validated on construction.
 *
 * @param split         fraction of each key's steps used for training, in (0, 1); {@code n_train = floor(split·n)}
 * @param horizons      horizons to score, each at least 1; stored ascending without duplicates
 * @param scoringSeason the MASE season {@code m}, at least 1 (see {@link SeasonDefaults#scoringSeason})
 * @param bands         the prediction intervals scored (levels, and the rate of the bands given to methods without
 *                      intervals of their own)
 */
public record BacktestPlan(double split, List<Integer> horizons, int scoringSeason, Bands bands) {

  /** The split of the protocol (docs/protocol.md): the first 80% of each key trains. */
  public static final double DEFAULT_SPLIT = 0.8;

  public BacktestPlan {
    if (!(split > 0 && split < 1)) {
      throw SpecException.of("backtest", "split", split + " is not between 0 and 1 (exclusive); try 0.8");
    }
    if (horizons == null || horizons.isEmpty()) {
      throw SpecException.of("backtest", "horizons", "no horizon given; try 1,12");
    }
    for (Integer h : horizons) {
      if (h == null || h < 1) {
        throw SpecException.of("backtest", "horizons", h + " is not a positive number of steps");
      }
    }
    if (scoringSeason < 1) {
      throw SpecException.of("backtest", "season", scoringSeason + " is not a positive number of steps");
    }
    horizons = List.copyOf(new TreeSet<>(horizons));
    java.util.Objects.requireNonNull(bands, "bands");
  }

  /** A plan with the pipeline's default intervals ({@link Bands#DEFAULT}). */
  public BacktestPlan(double split, List<Integer> horizons, int scoringSeason) {
    this(split, horizons, scoringSeason, Bands.DEFAULT);
  }

  /** The longest horizon: every method forecasts {@code h = 1..maxHorizon}. */
  public int maxHorizon() {
    return horizons.get(horizons.size() - 1);
  }

  /**
   * {@code n_train = floor(split·n)} for a series of {@code n} steps. A tolerance of {@code 1e-9} keeps products
   * such as {@code 0.29·100} from rounding down to 28 through binary representation.
   */
  public int trainLength(int n) {
    return (int) Math.floor(split * n + 1e-9);
  }
}
