package org.streamcast.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pipeline's live forecast quality on this instance: per scored horizon, a sliding window of the last
 * {@value #WINDOW} scored forecasts over all its keys (error, naive error, and whether each level's interval was
 * issued and covered the actual). From it come the rolling MAE, RMSE and skill against naive per horizon, the interval
 * coverage per level, and the pipeline's conformal half-widths, which keys use until they have enough residuals of
 * their own. Kept in memory (it refills from live scores after a restart). Thread-safe: the stream threads record,
 * the metrics scrape and the page read.
 */
public final class PipelineScores implements ScoreSink {
  /** Scored forecasts kept per horizon. */
  public static final int WINDOW = 1000;

  private final ScoredHorizons horizons;
  private final double[] levels;
  private final Window[] windows;

  /** Rolling quality of one horizon and what was asked of it. */
  public record HorizonQuality(int h, int n, double mae, double rmse, double naiveMae, double skill) {}

  /**
   * A consistent-enough view for a page: quality per scored horizon, coverage per level, and per horizon group
   * ({@link #groups}) the coverage per level ({@code groupCoverage[group][level]}).
   */
  public record Summary(List<HorizonQuality> horizons, double[] levels, double[] coverage, List<Group> groups,
      double[][] groupCoverage) {}

  /**
   * A group of scored horizons whose coverage is reported together, so the tags of a coverage gauge stay bounded
   * whatever the horizon: {@code h = 1}, the near half and the far half of the horizon.
   *
   * @param label    {@code 1}, or the range of horizons such as {@code 2-6}
   * @param fromJ    first scored-horizon index in the group
   * @param toJ      one past the last
   */
  public record Group(String label, int fromJ, int toJ) {}

  private static final class Window {
    final float[] errors = new float[WINDOW];
    final float[] naiveErrors = new float[WINDOW];
    final byte[] issued = new byte[WINDOW];
    final byte[] covered = new byte[WINDOW];
    int count;
    int next;
    final Quantiles half;
    final float[] scratch = new float[WINDOW];
    // absolute errors in units of their key's scale (the young keys' bands), apart: not every error has a scale
    final float[] scaled = new float[WINDOW];
    int scaledCount;
    int scaledNext;
    final Quantiles scaledHalf;

    Window(int levels) {
      half = new Quantiles(levels);
      scaledHalf = new Quantiles(levels);
    }
  }

  /** A pool's conformal half-widths per level, recomputed when read after every 5% of the pool has changed. */
  private static final class Quantiles {
    final double[] half;
    int sinceRefresh;
    boolean stale = true;

    Quantiles(int levels) {
      half = new double[levels];
      Arrays.fill(half, Double.NaN);
    }

    void changed(int count) {
      if (++sinceRefresh >= Math.max(1, count / 20)) {
        stale = true;
      }
    }

    void read(float[] values, int count, double[] levels, float[] scratch, double[] out) {
      if (stale) {
        if (count == 0) {
          Arrays.fill(half, Double.NaN);
        } else {
          Conformal.halfWidths(values, 0, count, levels, scratch, half);
        }
        stale = false;
        sinceRefresh = 0;
      }
      System.arraycopy(half, 0, out, 0, levels.length);
    }
  }

  /**
   * @param horizons the pipeline's scored horizons
   * @param levels   interval levels, ascending, each in (0, 1); at most 8
   */
  public PipelineScores(ScoredHorizons horizons, List<Double> levels) {
    if (levels.size() > 8) {
      throw new IllegalArgumentException("at most 8 interval levels, got " + levels.size());
    }
    this.horizons = horizons;
    this.levels = levels.stream().mapToDouble(Double::doubleValue).toArray();
    this.windows = new Window[horizons.count()];
    for (int j = 0; j < windows.length; j++) {
      windows[j] = new Window(this.levels.length);
    }
  }

  /** The scored horizons. */
  public ScoredHorizons horizons() {
    return horizons;
  }

  /** The interval levels (a copy). */
  public double[] levels() {
    return levels.clone();
  }

  @Override
  public void scored(int j, double forecast, double error, double naiveError, double[] halfWidths) {
    record(j, error, naiveError, halfWidths);
  }

  @Override
  public void scored(int j, double forecast, double error, double naiveError, double keyScale,
      double[] halfWidths) {
    record(j, error, naiveError, halfWidths);
    double ratio = Math.abs(error) / keyScale;
    if (keyScale > 0 && Float.isFinite((float) ratio)) {
      Window w = windows[j];
      synchronized (w) {
        w.scaled[w.scaledNext] = (float) ratio;
        w.scaledNext = (w.scaledNext + 1) % WINDOW;
        w.scaledCount = Math.min(w.scaledCount + 1, WINDOW);
        w.scaledHalf.changed(w.scaledCount);
      }
    }
  }

  /**
   * The pipeline's conformal half-widths at scored horizon {@code j} in units of a key's scale (its naive mean
   * absolute error at h = 1), per level, into {@code out}: multiplied by a young key's own scale they are its band, so
   * that a key of another scale (a hostile one sending 1e14 among readings near 1,000) cannot widen or narrow it. NaN
   * where too few scaled errors are held. Recomputed after every 5% of the window has changed.
   */
  public void scaledHalfWidths(int j, double[] out) {
    Window w = windows[j];
    synchronized (w) {
      w.scaledHalf.read(w.scaled, w.scaledCount, levels, w.scratch, out);
    }
  }

  /**
   * Adds one scored forecast at scored horizon {@code j}; {@code halfWidths} per level as issued (NaN: none). An error
   * that is not finite in float precision is ignored: it would make the rolling MAE and RMSE infinite for the next
   * {@value #WINDOW} forecasts.
   */
  public void record(int j, double error, double naiveError, double[] halfWidths) {
    if (!Float.isFinite((float) error) || !Float.isFinite((float) naiveError)) {
      return;
    }
    int issued = 0;
    int covered = 0;
    double abs = Math.abs(error);
    for (int l = 0; l < levels.length; l++) {
      if (!Double.isNaN(halfWidths[l])) {
        issued |= 1 << l;
        if (abs <= halfWidths[l]) {
          covered |= 1 << l;
        }
      }
    }
    Window w = windows[j];
    synchronized (w) {
      w.errors[w.next] = (float) error;
      w.naiveErrors[w.next] = (float) naiveError;
      w.issued[w.next] = (byte) issued;
      w.covered[w.next] = (byte) covered;
      w.next = (w.next + 1) % WINDOW;
      w.count = Math.min(w.count + 1, WINDOW);
      w.half.changed(w.count);
    }
  }

  /**
   * The pipeline's conformal half-widths at scored horizon {@code j}, per level, into {@code out} (NaN where the
   * window holds too few residuals for the level). Recomputed after every 5% of the window has changed.
   */
  public void halfWidths(int j, double[] out) {
    Window w = windows[j];
    synchronized (w) {
      w.half.read(w.errors, w.count, levels, w.scratch, out);
    }
  }

  /** Scored forecasts in the window of scored horizon {@code j}. */
  public int count(int j) {
    Window w = windows[j];
    synchronized (w) {
      return w.count;
    }
  }

  /** Rolling mean absolute error at scored horizon {@code j} (NaN before any score). */
  public double mae(int j) {
    return quality(j).mae();
  }

  /** Rolling root mean squared error at scored horizon {@code j} (NaN before any score). */
  public double rmse(int j) {
    return quality(j).rmse();
  }

  /** Rolling skill against naive at scored horizon {@code j}: 1 − MAE / naive MAE (NaN before any score). */
  public double skill(int j) {
    return quality(j).skill();
  }

  /** Everything of scored horizon {@code j} in one pass. */
  public HorizonQuality quality(int j) {
    Window w = windows[j];
    double abs = 0;
    double sq = 0;
    double naive = 0;
    int n;
    synchronized (w) {
      n = w.count;
      for (int i = 0; i < n; i++) {
        double e = w.errors[i];
        abs += Math.abs(e);
        sq += e * e;
        naive += w.naiveErrors[i];
      }
    }
    if (n == 0) {
      return new HorizonQuality(horizons.get(j), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new HorizonQuality(horizons.get(j), n, abs / n, Math.sqrt(sq / n), naive / n,
        Skill.of(abs / n, naive / n));
  }

  /**
   * Live coverage at level index {@code l}: of the scored forecasts in every horizon's window that were issued with
   * an interval at that level, the fraction whose actual fell inside it (NaN before any).
   */
  public double coverage(int l) {
    return coverage(l, 0, windows.length);
  }

  /** The horizon groups of the scored horizons: h = 1, then up to two halves of the rest (at most three). */
  public List<Group> groups() {
    List<Group> groups = new ArrayList<>(3);
    int s = horizons.count();
    int j = 0;
    if (horizons.get(0) == 1) {
      groups.add(new Group("1", 0, 1));
      j = 1;
    }
    if (j < s) {
      int half = horizons.horizon() / 2;
      int split = j;
      while (split < s && horizons.get(split) <= half) {
        split++;
      }
      if (split > j) {
        groups.add(new Group(range(j, split), j, split));
      }
      if (split < s) {
        groups.add(new Group(range(split, s), split, s));
      }
    }
    return groups;
  }

  private String range(int fromJ, int toJ) {
    int a = horizons.get(fromJ);
    int b = horizons.get(toJ - 1);
    return a == b ? Integer.toString(a) : a + "-" + b;
  }

  /**
   * Live coverage at level index {@code l} over the scored horizons {@code fromJ .. toJ − 1} (a {@link Group}); NaN
   * before any.
   */
  public double coverage(int l, int fromJ, int toJ) {
    long issued = 0;
    long covered = 0;
    int bit = 1 << l;
    for (int j = fromJ; j < toJ; j++) {
      Window w = windows[j];
      synchronized (w) {
        for (int i = 0; i < w.count; i++) {
          if ((w.issued[i] & bit) != 0) {
            issued++;
            if ((w.covered[i] & bit) != 0) {
              covered++;
            }
          }
        }
      }
    }
    return issued == 0 ? Double.NaN : covered / (double) issued;
  }

  /** Quality per scored horizon and coverage per level. */
  public Summary summary() {
    List<HorizonQuality> q = new ArrayList<>(windows.length);
    for (int j = 0; j < windows.length; j++) {
      q.add(quality(j));
    }
    double[] cov = new double[levels.length];
    for (int l = 0; l < levels.length; l++) {
      cov[l] = coverage(l);
    }
    List<Group> groups = groups();
    double[][] byGroup = new double[groups.size()][levels.length];
    for (int g = 0; g < groups.size(); g++) {
      for (int l = 0; l < levels.length; l++) {
        byGroup[g][l] = coverage(l, groups.get(g).fromJ(), groups.get(g).toJ());
      }
    }
    return new Summary(List.copyOf(q), levels.clone(), cov, groups, byGroup);
  }
}
