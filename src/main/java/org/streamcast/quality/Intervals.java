package org.streamcast.quality;

import java.util.Arrays;

/**
 * Adaptive conformal interval half-widths for one forecast, h = 1..H at every level: at each scored horizon the key's
 * own band once its window holds {@value KeyScores#MIN_OWN} residuals, otherwise the pipeline's split-conformal one
 * (young keys), over all keys' errors in units of each key's naive error and taken back to the young key's units, so
 * that no key's scale sets another's band (before a key has a scale of its own, its first step or a run of equal
 * readings, the pipeline's band in absolute units); in between scored horizons, linear interpolation. NaN where
 * neither exists yet. The interval at level
 * ℓ is {@code forecast ± halfWidth}. Holds scratch space: one instance per thread.
 *
 * <p><b>Method: conformal PID control's quantile tracking on top of a rolling conformal quantile</b> (Angelopoulos,
 * Candès and Tibshirani 2023, a successor of adaptive conformal inference, Gibbs and Candès 2021). Per key, scored
 * horizon and level the band is {@code W·e^c}: W is the split-conformal quantile at ℓ of the key's last
 * {@value KeyScores#WINDOW} absolute errors (the "scorecaster", which follows the key's scale within a window), and c
 * a correction tracked online on the log scale: after each error e scored at horizon h,
 * {@code c ← c + (γ/h)·(1{|e| > B} − α)}, {@code α = 1 − ℓ}, B the band issued with that forecast: the error of a
 * forecast h steps ahead arrives h steps late and misses come in runs, so the window's band when it arrives would
 * call the run covered, and a correction moving at γ per error would overshoot by the h misses still on their way.
 * Why this and not ACI's {@code α_{t+1} = α_t + γ(α − err_t)} on the same window: ACI moves the level of a
 * quantile of 50 residuals, so above 50/51 it has no finite band at all and it cannot widen a band beyond
 * the largest residual the window holds; tracking a multiplicative correction has no such ceiling, keeps the
 * long-run guarantee of quantile tracking (the miss rate converges to α for any sequence of errors, as c stays
 * bounded) and costs one float per horizon and level. On the log scale γ has no units. On synthetic errors whose
 * spread grows, the window alone covers 77.4% at 80% and the tracked bands 79.9%; on a random walk whose volatility
 * changes, at h = 12, 76.9% and 80.2% (QualityStepTest). With
 * {@code γ = 0} the bands are the split-conformal quantile of the key's window (the former bands).
 */
public final class Intervals {
  /** The tracking rate γ (chosen on the development sets, see topologies/README.md). */
  public static final double DEFAULT_RATE = 0.1;

  private final ScoredHorizons horizons;
  private final double[] levels;
  private final PipelineScores pipeline;
  private final double[][] perScored;
  private final double[] own;
  private final double[] pooled;
  private final double[] scaled;
  private final double[] absolute;
  private final double rate;

  /** Intervals at {@link #DEFAULT_RATE}. */
  public Intervals(PipelineScores pipeline) {
    this(pipeline, DEFAULT_RATE);
  }

  /**
   * @param pipeline the pipeline's scores (levels, scored horizons, the young keys' bands)
   * @param rate     the tracking rate γ, at least 0 (0: split-conformal bands)
   */
  public Intervals(PipelineScores pipeline, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("interval rate must be in [0, 1], was " + rate);
    }
    this.rate = rate;
    this.pipeline = pipeline;
    this.horizons = pipeline.horizons();
    this.levels = pipeline.levels();
    this.perScored = new double[levels.length][horizons.count()];
    this.own = new double[levels.length];
    this.pooled = new double[levels.length];
    this.scaled = new double[levels.length];
    this.absolute = new double[levels.length];
  }

  /** The tracking rate γ. */
  public double rate() {
    return rate;
  }

  /** The interval levels. */
  public double[] levels() {
    return levels;
  }

  /** A {@code [levels][H]} array to pass to {@link #halfWidths}. */
  public double[][] newOutput() {
    return new double[levels.length][horizons.horizon()];
  }

  /** The half-widths of {@code key}'s next forecast into {@code out[level][h − 1]}. */
  public void halfWidths(KeyScores key, double[][] out) {
    double scale = Double.NaN; // the key's naive MAE at h = 1, read once and only for a young key
    for (int j = 0; j < horizons.count(); j++) {
      key.ownHalfWidths(j, levels, rate, own);
      boolean needPooled = false;
      for (double v : own) {
        needPooled |= Double.isNaN(v);
      }
      if (needPooled) {
        // in the key's own units once it has a scale (the other keys' units say nothing about it); before that
        // (its first step, or readings that have not moved yet) the pipeline's band as it is
        if (Double.isNaN(scale)) {
          scale = key.naiveMae(0);
        }
        boolean missing = true;
        if (scale > 0) {
          pipeline.scaledHalfWidths(j, scaled);
          missing = false;
          for (int l = 0; l < levels.length; l++) {
            pooled[l] = scaled[l] * scale;
            missing |= Double.isNaN(scaled[l]);
          }
        }
        if (missing) { // the absolute band only where needed: each pool's quantiles are recomputed when read
          pipeline.halfWidths(j, absolute);
          for (int l = 0; l < levels.length; l++) {
            pooled[l] = scale > 0 && !Double.isNaN(scaled[l]) ? pooled[l] : absolute[l];
          }
        }
      }
      for (int l = 0; l < levels.length; l++) {
        double q = Double.isNaN(own[l]) ? pooled[l] : own[l];
        // a higher level never gets a narrower interval (possible when the sources differ)
        perScored[l][j] = l > 0 && q < perScored[l - 1][j] ? perScored[l - 1][j] : q;
      }
    }
    for (int l = 0; l < levels.length; l++) {
      for (int h = 1; h <= horizons.horizon(); h++) {
        // float precision, as the residuals and the pending half-widths are kept
        out[l][h - 1] = (float) horizons.interpolate(perScored[l], h);
      }
    }
  }

  /** Clears {@code out} to "no interval". */
  public static void none(double[][] out) {
    for (double[] row : out) {
      Arrays.fill(row, Double.NaN);
    }
  }
}
