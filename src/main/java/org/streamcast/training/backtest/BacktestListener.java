package org.streamcast.training.backtest;

/** Receives progress of a backtest: one unit per key and method run. Called from the backtest's thread. */
@FunctionalInterface
public interface BacktestListener {

  /** A listener that ignores progress. */
  BacktestListener NONE = (done, total, message) -> { };

  /**
   * @param done    units finished
   * @param total   units in the whole backtest
   * @param message what just finished, e.g. {@code naive DAX}
   */
  void progress(long done, long total, String message);
}
