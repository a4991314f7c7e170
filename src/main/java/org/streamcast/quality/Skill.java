package org.streamcast.quality;

/** Skill against the naive forecast: {@code 1 − MAE_model / MAE_naive} (1 perfect, 0 as good as naive, < 0 worse). */
public final class Skill {
  private Skill() {}

  /** The skill, or NaN when either error is unknown or the naive error is 0. */
  public static double of(double mae, double naiveMae) {
    if (Double.isNaN(mae) || Double.isNaN(naiveMae) || naiveMae == 0) {
      return Double.NaN;
    }
    return 1 - mae / naiveMae;
  }
}
