package org.streamcast.model;

/**
 * An affine scaling {@code z = (v − center) / scale}.
 *
 * @param center subtracted before dividing (0 for differences and returns)
 * @param scale  positive spread
 */
public record Scaler(double center, double scale) {

  /** The identity scaling. */
  public static final Scaler IDENTITY = new Scaler(0, 1);

  public Scaler {
    if (!Double.isFinite(center) || !(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("bad scaler: center=" + center + ", scale=" + scale);
    }
  }

  /**
   * Fits a scaler to the finite values in {@code values[from .. to)}: with {@code centered}, the mean and the
   * (population) standard deviation; without, center 0 and the root mean square. A spread below
   * {@code 1e-9·max(1, |center|)} (a constant series) becomes 1; no values give {@link #IDENTITY}.
   */
  public static Scaler fit(double[] values, int from, int to, boolean centered) {
    double sum = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      if (Double.isFinite(values[i])) {
        sum += values[i];
        n++;
      }
    }
    if (n == 0) {
      return IDENTITY;
    }
    double center = centered ? sum / n : 0;
    double ss = 0;
    for (int i = from; i < to; i++) {
      if (Double.isFinite(values[i])) {
        double d = values[i] - center;
        ss += d * d;
      }
    }
    double spread = Math.sqrt(ss / n);
    if (!(spread > 1e-9 * Math.max(1, Math.abs(center)))) {
      spread = 1;
    }
    return new Scaler(center, spread);
  }

  public double scale(double v) {
    return (v - center) / scale;
  }

  public double unscale(double z) {
    return center + z * scale;
  }
}
