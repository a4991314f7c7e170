package org.streamcast.serving;

import org.streamcast.quality.Intervals;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoreSink;

/**
 * The quality part of a key's step, for any point forecast: live scores and the adaptive conformal intervals
 * ({@link Intervals}). The serving step runs it after each model step; the backtest runs it after the baselines'
 * steps, so their bands come from the same machinery driven on their own errors. Holds scratch space: one instance
 * per thread.
 */
public final class QualityStep {
  private final PipelineScores scores;
  private final Intervals intervals;
  private final double[] levels;
  private final double[][] halfWidths;

  /**
   * @param scores the pipeline's live scores (every scored forecast goes there; young keys' bands come from there)
   * @param rate   the tracking rate γ ({@link Intervals})
   */
  public QualityStep(PipelineScores scores, double rate) {
    this.scores = scores;
    this.intervals = new Intervals(scores, rate);
    this.levels = scores.levels();
    this.halfWidths = intervals.newOutput();
  }

  /**
   * Scores the key's pending forecasts against {@code actual} (into the pipeline's scores and {@code watch}), then
   * computes the intervals of {@code forecast} ({@link #halfWidths()}) and records it as pending.
   *
   * @param quality the key's quality part (shaped here)
   * @param reset   the key was reset at this step: its pending forecasts are dropped unscored
   * @param skipped steps passed without an actual since the last call (imputed or missing)
   * @param actual  this step's actual
   * @param forecast the forecast made at this step, h = 1..H, or null when none (then no interval either)
   * @param watch   also receives each scored forecast (null: none)
   */
  public void score(KeyScores quality, boolean reset, int skipped, double actual, double[] forecast,
      ScoreSink watch) {
    quality.shape(scores.horizons(), levels.length);
    if (reset) {
      // the key warms up again: its pending forecasts are not its model's any more
      quality.clearPending();
    }
    quality.skip(skipped);
    quality.observe(actual, watch == null ? scores : new Tee(scores, watch), levels, intervals.rate());
    if (forecast != null) {
      intervals.halfWidths(quality, halfWidths);
    } else {
      Intervals.none(halfWidths);
    }
    quality.issue(actual, forecast, halfWidths);
  }

  /**
   * The interval half-widths at a step without an actual ({@code skipped} steps passed since the last call): the
   * key's pending forecasts for them cannot be scored; the half-widths of its bands as they stand go to
   * {@link #halfWidths()}.
   */
  public void skip(KeyScores quality, int skipped) {
    quality.shape(scores.horizons(), levels.length);
    quality.skip(skipped);
    intervals.halfWidths(quality, halfWidths);
  }

  /** The half-widths the latest call computed, {@code [level][h − 1]} (NaN: none); valid until the next call. */
  public double[][] halfWidths() {
    return halfWidths;
  }

  /** Hands each score to two sinks. */
  private record Tee(ScoreSink first, ScoreSink second) implements ScoreSink {
    @Override
    public void scored(int j, double forecast, double error, double naiveError, double[] halfWidths) {
      first.scored(j, forecast, error, naiveError, halfWidths);
      second.scored(j, forecast, error, naiveError, halfWidths);
    }
  }
}
