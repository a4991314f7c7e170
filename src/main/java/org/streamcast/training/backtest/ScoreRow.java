package org.streamcast.training.backtest;

/**
 * One line of {@code metrics.csv}: a key (or {@link #ALL}), a method, a horizon and its scores.
 *
 * @param key    series key, or {@code ALL} for the unweighted mean over keys
 * @param method method name
 * @param h      horizon in steps
 * @param scores the scores
 */
public record ScoreRow(String key, String method, int h, Scores scores) {

  /** The key of summary rows. */
  public static final String ALL = "ALL";
}
