package org.streamcast.training.backtest;

import java.util.Map;

/**
 * Anything that forecasts a panel of series: fitted once, then stepped through each key.
 *
 * <p>The backtest calls {@link #fit} once with every key's training part (the first {@code n_train} steps; gaps are
 * {@code NaN}), so a global model trained over all keys and a per-key method plug in the same way. It then asks the
 * {@link Fitted} result for one {@link Cursor} per key and feeds it the key's whole series, step by step; nothing after
 * the training part may change what was learned.
 */
public interface ForecastMethod {

  /** The method's name in reports: {@code naive}, {@code snaive}, {@code gru}, ... */
  String name();

  /**
   * Learns from the training parts.
   *
   * @param trainParts every key's training part, by key
   * @param horizon    how many steps ahead each forecast reaches ({@code h = 1..horizon})
   * @return the fitted method, ready to start cursors
   */
  Fitted fit(Map<String, Series> trainParts, int horizon);
}
