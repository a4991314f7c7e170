package org.streamcast.training.backtest;

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
 */
public record Scores(long nEval, double mae, double rmse, double smape, double mase) {

  /** Scores of nothing: no forecast could be scored. */
  public static final Scores EMPTY = new Scores(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /**
   * The summary of several keys: each metric is the unweighted mean over the keys where it is defined (not
   * {@code NaN}), so every key counts the same whatever its length; {@code nEval} is the total.
   */
  public static Scores unweightedMean(List<Scores> perKey) {
    long n = 0;
    for (Scores s : perKey) {
      n += s.nEval;
    }
    return new Scores(n,
        mean(perKey, Metric.MAE), mean(perKey, Metric.RMSE), mean(perKey, Metric.SMAPE), mean(perKey, Metric.MASE));
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
