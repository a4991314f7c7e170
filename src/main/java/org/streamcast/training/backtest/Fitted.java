package org.streamcast.training.backtest;

/**
 * A fitted {@link ForecastMethod}: immutable, and the source of independent per-key cursors (a recurrent model: one
 * hidden state per cursor).
 */
public interface Fitted {

  /**
   * A fresh cursor for {@code key}, which has seen nothing yet. The key need not have been in the training data; the
   * method decides how to treat a key it never saw.
   */
  Cursor start(String key);
}
