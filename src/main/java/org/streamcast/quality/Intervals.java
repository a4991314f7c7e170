package org.streamcast.quality;

import java.util.Arrays;

/**
 * Split-conformal interval half-widths for one forecast, h = 1..H at every level: at each scored horizon the key's
 * own residual window once it holds {@value KeyScores#MIN_OWN} residuals (and enough for the level), otherwise the
 * pipeline's; in between scored horizons, linear interpolation. NaN where neither has enough residuals yet. The
 * interval at level ℓ is {@code forecast ± halfWidth}. Holds scratch space: one instance per thread.
 */
public final class Intervals {
  private final ScoredHorizons horizons;
  private final double[] levels;
  private final PipelineScores pipeline;
  private final double[][] perScored;
  private final double[] own;
  private final double[] pooled;

  public Intervals(PipelineScores pipeline) {
    this.pipeline = pipeline;
    this.horizons = pipeline.horizons();
    this.levels = pipeline.levels();
    this.perScored = new double[levels.length][horizons.count()];
    this.own = new double[levels.length];
    this.pooled = new double[levels.length];
  }

  /** A {@code [levels][H]} array to pass to {@link #halfWidths}. */
  public double[][] newOutput() {
    return new double[levels.length][horizons.horizon()];
  }

  /** The half-widths of {@code key}'s next forecast into {@code out[level][h − 1]}. */
  public void halfWidths(KeyScores key, double[][] out) {
    for (int j = 0; j < horizons.count(); j++) {
      key.ownHalfWidths(j, levels, own);
      boolean needPooled = false;
      for (double v : own) {
        needPooled |= Double.isNaN(v);
      }
      if (needPooled) {
        pipeline.halfWidths(j, pooled);
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
