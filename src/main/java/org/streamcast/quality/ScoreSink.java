package org.streamcast.quality;

/** Receives each forecast a new actual scores (see {@link KeyScores#observe}). */
@FunctionalInterface
public interface ScoreSink {
  /** Ignores every score. */
  ScoreSink NONE = (j, forecast, error, naiveError, halfWidths) -> { };

  /**
   * One scored forecast.
   *
   * @param j          index of the scored horizon ({@link ScoredHorizons#get(int)} is h)
   * @param forecast   the forecast made h steps before for this step
   * @param error      actual − forecast
   * @param naiveError |actual − the actual at the forecast's origin| (the naive forecast's absolute error)
   * @param halfWidths the interval half-widths issued with the forecast, per level (NaN: no interval at that level);
   *                   only valid during the call
   */
  void scored(int j, double forecast, double error, double naiveError, double[] halfWidths);

  /**
   * {@link #scored(int, double, double, double, double[])} with the scoring key's scale: its rolling naive mean
   * absolute error at h = 1 before this step (NaN or 0: none yet), for what pools errors over keys of different units.
   */
  default void scored(int j, double forecast, double error, double naiveError, double keyScale,
      double[] halfWidths) {
    scored(j, forecast, error, naiveError, halfWidths);
  }
}
