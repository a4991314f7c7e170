package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of a set of point forecasts.
 *
 * @param nEval number of scored forecasts (pairs with an actual)
 * @param mae   mean absolute error
 * @param rmse  root mean squared error
 * @param smape mean of {@code 200·|e| / (|y| + |ŷ|)}, in percent (a term is 0 when both are 0)
 * @param mase  {@code mae} divided by the in-sample seasonal-naive MAE of the training part ({@link MaseScale});
 *              {@code NaN} when that scale is 0 or undefined
 * @param bands per interval level, the coverage and MSIS of the intervals issued with the scored forecasts (empty
 *              when the method made none)
 */
public record Scores(long nEval, double mae, double rmse, double smape, double mase, List<Band> bands) {

  /** Scores of nothing: no forecast could be scored. */
  public static final Scores EMPTY = new Scores(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /**
   * The prediction intervals at one level.
   *
   * @param level    the nominal level ℓ, in (0, 1)
   * @param n        scored forecasts that had an interval at this level
   * @param coverage the fraction of them whose actual fell inside (bounds included)
   * @param msis     the mean scaled interval score of the M4 competition: the mean of {@code (U − L) + 2/α·(L − y)·1{y
   *                 < L} + 2/α·(y − U)·1{y > U}}, {@code α = 1 − ℓ}, divided by the MASE scale ({@link MaseScale});
   *                 {@code NaN} when that scale is 0 or undefined
   */
  public record Band(double level, long n, double coverage, double msis) {}

  public Scores {
    bands = List.copyOf(bands);
  }

  /** Point-forecast scores without intervals. */
  public Scores(long nEval, double mae, double rmse, double smape, double mase) {
    this(nEval, mae, rmse, smape, mase, List.of());
  }

  /** The band at {@code level}, or null when none was scored at it. */
  public Band band(double level) {
    for (Band b : bands) {
      if (Math.abs(b.level - level) < 1e-9) {
        return b;
      }
    }
    return null;
  }

  /**
   * The summary of several keys: each metric is the unweighted mean over the keys where it is defined (not
   * {@code NaN}), so every key counts the same whatever its length; {@code nEval} is the total.
   */
  public static Scores unweightedMean(List<Scores> perKey) {
    long n = 0;
    for (Scores s : perKey) {
      n += s.nEval;
    }
    List<Band> bands = new ArrayList<>();
    if (!perKey.isEmpty()) {
      for (Band first : perKey.get(0).bands) {
        long count = 0;
        double coverage = 0;
        int covered = 0;
        double msis = 0;
        int scaled = 0;
        for (Scores s : perKey) {
          Band b = s.band(first.level);
          if (b == null || b.n == 0) {
            continue;
          }
          count += b.n;
          coverage += b.coverage;
          covered++;
          if (!Double.isNaN(b.msis)) {
            msis += b.msis;
            scaled++;
          }
        }
        bands.add(new Band(first.level, count, covered == 0 ? Double.NaN : coverage / covered,
            scaled == 0 ? Double.NaN : msis / scaled));
      }
    }
    return new Scores(n, mean(perKey, Metric.MAE), mean(perKey, Metric.RMSE), mean(perKey, Metric.SMAPE),
        mean(perKey, Metric.MASE), bands);
  }

  private static double mean(List<Scores> perKey, Metric metric) {
    double sum = 0;
    int count = 0;
    for (Scores s : perKey) {
      double v = metric.of(s);
      if (!Double.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The four metrics, in the column order of {@code metrics.csv}. */
  public enum Metric {
    MAE, RMSE, SMAPE, MASE;

    /** This metric's value in {@code s}. */
    public double of(Scores s) {
      return switch (this) {
        case MAE -> s.mae;
        case RMSE -> s.rmse;
        case SMAPE -> s.smape;
        case MASE -> s.mase;
      };
    }
  }
}
