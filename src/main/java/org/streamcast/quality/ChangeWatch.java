package org.streamcast.quality;

import java.nio.ByteBuffer;

/**
 * One key's watch for the anomalies a band check misses (a band flags the steps its forecast did not expect, a lasting
 * change soon stops being unexpected, and a forecast that follows the readings closely has a band as wide as their
 * changes):
 * <ul>
 *   <li><b>Flatline</b>: a run of identical actuals that the key's own history makes unlikely. With {@code p} the
 *       share of the key's steps that repeated the one before (counted from its first step, starting from one
 *       repeat in two steps, so a young key needs a long run), a run of {@code r} repeats is flagged once, at the
 *       step where {@code p^r} falls below {@code 1 − level} and {@code r} exceeds the longest run the key has shown
 *       without being flagged (a rain gauge's dry weeks are its normal, a thermometer's second repeat is not). A
 *       stuck sensor sends plausible values that any forecast soon expects; only their sameness gives it away.</li>
 *   <li><b>Level shift</b>: a two-sided CUSUM of the key's one-step errors in units of its own band (σ taken as the
 *       band's half-width over the normal quantile of its level; their innovations when the errors are correlated,
 *       see {@link #innovation}; each capped at the band's edge), with drift ½σ (the textbook choice for shifts of
 *       about one σ), flagged at every step either sum is above {@link WatchThresholds#cusumThreshold}; a sum in
 *       alarm is held at most {@value #CAP} thresholds, so it stays in alarm while the errors keep to their side
 *       and clears a few steps after they stop (flagging the steps of a shift, not only the one its sum first
 *       crossed: chosen over a restart after each flag on the development seed of the anomaly backtest). The band
 *       check flags a shift's first step; the sum flags the steps after it that the model, adapting, misses by less
 *       than a band each time but always on one side.</li>
 *   <li><b>Spike</b>: a reading that jumped away from the one before and came straight back at the next step, both
 *       changes further than {@link WatchThresholds#spikeThreshold} σ of the key's own step-to-step changes in the
 *       same direction (σ from their exponentially weighted mean square, each change capped at 4σ so that spikes
 *       do not widen it).
 *       Flagged one step late, for the step it happened, unless that step was flagged already. Two changes of white
 *       noise with the same middle reading are correlated ½, so the threshold is the one a pair of such changes
 *       passes together once in {@code 1 / (1 − level)} steps. A forecast of a persistent series (daily weather)
 *       follows it, and its band is as wide as the changes; a reading that returns is what gives a spike away.</li>
 * </ul>
 * Kept in the key's {@link KeyScores} and persisted with them; a skipped step breaks a run, a key reset restarts
 * the sums. Mutable, owned by one thread at a time.
 */
public final class ChangeWatch {
  /** Drift of the CUSUM, in σ of the key's one-step errors. */
  static final double DRIFT = 0.5;
  /** A sum in alarm is held at most this many thresholds, so that it clears within a few steps of the change. */
  static final double CAP = 1.5;
  /** Counts are halved past this many steps, so that the repeat share follows a key whose readings change. */
  static final int MAX_STEPS = 1 << 20;
  /** The largest sum kept or read back (a guard against corrupt bytes). */
  static final float MAX_SUM = 1e6f;
  /** Weight of the newest pair in the errors' lag-one correlation (about the last 100 pairs). */
  static final double CORRELATION_RATE = 0.01;
  /** Pairs of errors before their correlation is used. */
  static final int MIN_PAIRS = 30;
  /** The largest correlation used either way. */
  static final double MAX_CORRELATION = 0.95;
  /** Step-to-step changes counted before the spike watch starts, and the weight of the newest after (1 / 100). */
  static final int MIN_CHANGES = 30;
  static final int CHANGES = 100;
  /** A change counts for at most this many σ in the changes' mean square. */
  static final double CHANGE_CAP = 4;
  /** The largest mean square of changes kept (finite as a float whatever the readings). */
  static final double MAX_CHANGES = 1e30;

  /** What {@link #observe} found. */
  public enum Found { NOTHING, FLATLINE, SHIFT, SPIKE }

  /**
   * What a pipeline watches: built once from its spec ({@link #of}).
   *
   * @param level     the anomaly level: a run is flagged when its chance falls below {@code 1 − level}
   * @param flatline  whether runs are watched
   * @param threshold the CUSUM threshold in σ ({@link WatchThresholds#cusumThreshold}); 0: level shifts are not watched
   * @param limit     the band's half-width in σ ({@link WatchThresholds#normalQuantile} of {@code (1 + level) / 2}):
   *                  no error counts for more in the sums, so a single spike, flagged by the band, never alarms them
   * @param spike     the spike threshold in σ of the key's step-to-step changes
   *                  ({@link WatchThresholds#spikeThreshold}); 0: spikes are not watched
   */
  public record Settings(double level, boolean flatline, double threshold, double limit, double spike) {
    /** The settings of an anomaly check at {@code level} with each watch on or off. */
    public static Settings of(double level, boolean flatline, boolean shift, boolean spike) {
      return new Settings(level, flatline, shift ? WatchThresholds.cusumThreshold(level) : 0,
          WatchThresholds.normalQuantile((1 + level) / 2), spike ? WatchThresholds.spikeThreshold(level) : 0);
    }
  }

  private boolean started;
  private double last;
  private int steps;
  private int repeats;
  private int run;
  private int longestRun;
  private boolean runFlagged;
  private float up;
  private float down;
  /** The previous step's error in σ (NaN: none, or not of the key's own band). */
  private float previous = Float.NaN;
  /** Exponentially weighted sums of {@code z[t]·z[t−1]} and {@code z[t−1]²}: the errors' lag-one correlation. */
  private float lagged;
  private float squared;
  /** Pairs seen, up to {@link #MIN_PAIRS}. */
  private int pairs;
  /** The actual before {@link #last} (NaN: none, or a step was skipped between them). */
  private double before = Double.NaN;
  /** The exponentially weighted mean square of the step-to-step changes, and how many were counted (to 100). */
  private float changes;
  private int changeCount;
  /** Whether the previous step was flagged already (a spike there is not flagged again). */
  private boolean lastFlagged;
  /** The previous step's check: its forecast (NaN: it had no band), band half-width and horizon. */
  private double lastForecast = Double.NaN;
  private double lastHalf;
  private int lastH;
  /** The spike {@link #observe} found at the previous step: its actual, forecast, half-width and horizon. */
  private double spikeActual;
  private double spikeForecast;
  private double spikeHalf;
  private int spikeH;

  /** A skipped step (imputed or missing): a run of identical actuals ends there, and the errors' chain. */
  public void breakRun() {
    endRun();
    started = false;
    previous = Float.NaN;
    before = Double.NaN;
    lastForecast = Double.NaN;
  }

  /**
   * A key reset: the error sums start again (the errors were the old model's); their correlation so far stays the
   * best guess for the new model's (estimated afresh, it would be taken from the first steps after the reset, and a
   * shift among them looks like correlation).
   */
  public void restartSums() {
    up = 0;
    down = 0;
    previous = Float.NaN;
  }

  /**
   * The error's innovation in σ: {@code (z[t] − ρ·z[t−1]) / √(1 − ρ²)}, with ρ the errors' lag-one correlation so
   * far (0 until {@value #MIN_PAIRS} pairs, kept within ±{@value #MAX_CORRELATION}). A forecast whose errors run in
   * long waves (a seasonal naive forecast of the weather) would keep a plain CUSUM in alarm; its innovations carry a
   * shift of δ as {@code δ·√((1 − ρ)/(1 + ρ))} and its waves not at all.
   */
  private double innovation(double z, boolean outside) {
    double rho = 0;
    if (!Float.isNaN(previous)) {
      lagged = (float) ((1 - CORRELATION_RATE) * lagged + CORRELATION_RATE * z * previous);
      squared = (float) ((1 - CORRELATION_RATE) * squared + CORRELATION_RATE * previous * previous);
      pairs = Math.min(MIN_PAIRS, pairs + 1);
      if (pairs >= MIN_PAIRS && squared > 0) {
        rho = Math.max(-MAX_CORRELATION, Math.min(MAX_CORRELATION, lagged / squared));
      }
    }
    double u = Float.isNaN(previous) ? z : (z - rho * previous) / Math.sqrt(1 - rho * rho);
    // an error outside the band predicts nothing of the next (a spike would echo as a shift the other way)
    previous = outside ? Float.NaN : (float) z;
    return u;
  }

  /**
   * Takes one observed step.
   *
   * @param actual    the step's actual
   * @param sigmaErr  the step's one-step error in σ of the key's own band, or NaN when the key has none (the sums
   *                  then stay as they are)
   * @param outside   whether the actual fell outside its band
   * @param settings  what is watched
   * @return what it found at this step (a flatline wins over a shift)
   */
  public Found observe(double actual, double sigmaErr, boolean outside, Settings settings) {
    return observe(actual, sigmaErr, outside, Double.NaN, 0, 0, settings);
  }

  /**
   * {@link #observe(double, double, boolean, Settings)} with this step's band check, which a spike found at the next
   * step reports ({@link #spikeForecast()} ...).
   *
   * @param forecast the forecast this step's actual was checked against (NaN: the step had no band)
   * @param half     its band's half-width
   * @param h        steps ahead it was made
   * @return what it found: a flatline at this step, else a {@link Found#SPIKE} at the step before, else a shift here
   */
  public Found observe(double actual, double sigmaErr, boolean outside, double forecast, double half, int h,
      Settings settings) {
    double threshold = settings.threshold();
    Found found = Found.NOTHING;
    if (!Double.isFinite(sigmaErr)) {
      previous = Float.NaN;
    }
    if (threshold > 0 && Double.isFinite(sigmaErr)) {
      double limit = settings.limit();
      double u = Math.max(-limit, Math.min(limit, innovation(Math.max(-limit, Math.min(limit, sigmaErr)), outside)));
      up = (float) Math.min(MAX_SUM, Math.max(0, up + u - DRIFT));
      down = (float) Math.min(MAX_SUM, Math.max(0, down - u - DRIFT));
      if (up > threshold || down > threshold) {
        found = Found.SHIFT;
        up = (float) Math.min(up, CAP * threshold);
        down = (float) Math.min(down, CAP * threshold);
      }
    }
    boolean spike = settings.spike() > 0 && isSpike(actual, settings.spike());
    boolean flagged = outside || found != Found.NOTHING;
    if (spike) {
      found = Found.SPIKE;
      spikeActual = last;
      spikeForecast = lastForecast;
      spikeHalf = lastHalf;
      spikeH = lastH;
    }
    countChange(actual);
    before = started ? last : Double.NaN;
    lastFlagged = flagged;
    lastForecast = Double.isFinite(forecast) && half >= 0 ? forecast : Double.NaN;
    lastHalf = half;
    lastH = h;
    boolean repeat = started && actual == last;
    if (started) {
      steps++;
      repeats += repeat ? 1 : 0;
      if (steps >= MAX_STEPS) {
        steps /= 2;
        repeats /= 2;
      }
    }
    if (repeat) {
      run++;
      double share = (repeats + 1.0) / (steps + 2.0);
      if (settings.flatline() && !runFlagged && run > longestRun && Math.pow(share, run) < 1 - settings.level()) {
        runFlagged = true;
        found = Found.FLATLINE;
      }
    } else {
      endRun();
    }
    last = actual;
    started = true;
    return found;
  }

  /** Whether {@link #last} jumped away from {@link #before} and {@code actual} came back, both past the threshold. */
  private boolean isSpike(double actual, double k) {
    if (!started || Double.isNaN(before) || lastFlagged || Double.isNaN(lastForecast) || changeCount < MIN_CHANGES
        || !(changes > 0)) {
      return false;
    }
    double away = last - before;
    double back = last - actual;
    double bar = k * Math.sqrt(changes);
    return away != 0 && Math.signum(away) == Math.signum(back) && Math.min(Math.abs(away), Math.abs(back)) > bar;
  }

  private void countChange(double actual) {
    if (!started) {
      return;
    }
    double d = actual - last;
    double sq = d * d;
    if (changeCount >= MIN_CHANGES) {
      sq = Math.min(sq, CHANGE_CAP * CHANGE_CAP * changes);
    }
    changeCount = Math.min(CHANGES, changeCount + 1);
    double rate = 1.0 / changeCount;
    changes = (float) Math.min(MAX_CHANGES, changes + rate * (sq - changes));
  }

  /** The actual of the spike the latest {@link #observe} found (the previous step's). */
  public double spikeActual() {
    return spikeActual;
  }

  /** The forecast the spike's actual was checked against. */
  public double spikeForecast() {
    return spikeForecast;
  }

  /** Its band's half-width. */
  public double spikeHalf() {
    return spikeHalf;
  }

  /** Steps ahead its forecast was made. */
  public int spikeH() {
    return spikeH;
  }

  private void endRun() {
    if (!runFlagged) {
      longestRun = Math.max(longestRun, run);
    }
    run = 0;
    runFlagged = false;
  }

  /** The level-shift watch's upward sum, in σ of the key's band (in alarm above the threshold). */
  public double upSum() {
    return up;
  }

  /** The level-shift watch's downward sum, in σ of the key's band. */
  public double downSum() {
    return down;
  }

  /** Identical actuals in a row so far, after the first (0: the latest actual differs from the one before). */
  public int run() {
    return run;
  }

  private static final int STARTED = 1;
  private static final int RUN_FLAGGED = 2;
  private static final int COUNTS = 4;
  private static final int SUMS = 8;
  private static final int CORRELATION = 16;
  private static final int CHANGE_STATS = 32;
  private static final int LAST_CHECK = 64;
  private static final int LAST_FLAGGED = 128;

  /** Which blocks {@link #write} writes: a key's first step writes only its actual. */
  private int blocks() {
    return (started ? STARTED : 0) | (runFlagged ? RUN_FLAGGED : 0)
        | (steps != 0 || run != 0 || longestRun != 0 ? COUNTS : 0) | (up != 0 || down != 0 ? SUMS : 0)
        | (pairs != 0 || !Float.isNaN(previous) ? CORRELATION : 0)
        | (changeCount != 0 || !Double.isNaN(before) ? CHANGE_STATS : 0)
        | (!Double.isNaN(lastForecast) ? LAST_CHECK : 0) | (lastFlagged ? LAST_FLAGGED : 0);
  }

  /** The most bytes {@link #write} takes (every block). */
  static final int MAX_SERIALIZED = 1 + 8 + 16 + 8 + 13 + 13 + 18;

  /** Bytes {@link #write} takes. */
  int serializedSize() {
    int blocks = blocks();
    return 1 + ((blocks & STARTED) != 0 ? 8 : 0) + ((blocks & COUNTS) != 0 ? 16 : 0) + ((blocks & SUMS) != 0 ? 8 : 0)
        + ((blocks & CORRELATION) != 0 ? 13 : 0) + ((blocks & CHANGE_STATS) != 0 ? 13 : 0)
        + ((blocks & LAST_CHECK) != 0 ? 18 : 0);
  }

  /**
   * {@code byte blocks} (0: nothing observed), then the blocks it names, each only when the watch holds it: 1
   * {@code double last} (the previous actual); 2 no bytes (the current run was flagged); 4 {@code int steps; int
   * repeats; int run; int longestRun}; 8 {@code float up; float down}; 16 {@code float previous (NaN: none); float
   * lagged; float squared; byte pairs}; 32 {@code double before (NaN: none); float changes; byte changeCount}; 64
   * {@code double lastForecast; double lastHalf; short lastH} (the previous step's band check; a byte before
   * format 6); 128 no bytes (the
   * previous step was flagged). 9 bytes after a key's first step, 77 once it has all. Blocks 32 to 128 came with the
   * spike watch; bytes written before it hold none of them and read as a watch that has not seen a change yet.
   */
  void write(ByteBuffer b) {
    int blocks = blocks();
    b.put((byte) blocks);
    if ((blocks & STARTED) != 0) {
      b.putDouble(last);
    }
    if ((blocks & COUNTS) != 0) {
      b.putInt(steps).putInt(repeats).putInt(run).putInt(longestRun);
    }
    if ((blocks & SUMS) != 0) {
      b.putFloat(up).putFloat(down);
    }
    if ((blocks & CORRELATION) != 0) {
      b.putFloat(previous).putFloat(lagged).putFloat(squared).put((byte) pairs);
    }
    if ((blocks & CHANGE_STATS) != 0) {
      b.putDouble(before).putFloat(changes).put((byte) changeCount);
    }
    if ((blocks & LAST_CHECK) != 0) {
      b.putDouble(lastForecast).putDouble(lastHalf).putShort((short) lastH);
    }
  }

  /**
   * Reads what {@link #write} wrote into this watch, in quality part format {@code version}; bad bytes give an
   * {@link IllegalArgumentException}. Before format 6 the last check's horizon was one byte, written signed, so
   * horizons 128 to 255 are read back from it as unsigned (a key checked that far ahead was otherwise unreadable and
   * started over).
   */
  void read(ByteBuffer b, int version) {
    int blocks = b.get() & 0xFF;
    double l = (blocks & STARTED) != 0 ? b.getDouble() : 0;
    boolean counts = (blocks & COUNTS) != 0;
    int s = counts ? b.getInt() : 0;
    int r = counts ? b.getInt() : 0;
    int n = counts ? b.getInt() : 0;
    int longest = counts ? b.getInt() : 0;
    boolean sums = (blocks & SUMS) != 0;
    float u = sums ? b.getFloat() : 0;
    float d = sums ? b.getFloat() : 0;
    boolean correlation = (blocks & CORRELATION) != 0;
    float p = correlation ? b.getFloat() : Float.NaN;
    float lag = correlation ? b.getFloat() : 0;
    float sq = correlation ? b.getFloat() : 0;
    int n2 = correlation ? b.get() : 0;
    boolean changeStats = (blocks & CHANGE_STATS) != 0;
    double bf = changeStats ? b.getDouble() : Double.NaN;
    float ch = changeStats ? b.getFloat() : 0;
    int cc = changeStats ? b.get() : 0;
    boolean lastCheck = (blocks & LAST_CHECK) != 0;
    double lf = lastCheck ? b.getDouble() : Double.NaN;
    double lh = lastCheck ? b.getDouble() : 0;
    int lhh = !lastCheck ? 0 : version >= 6 ? b.getShort() : b.get() & 0xFF;
    if (!(Double.isNaN(bf) || Double.isFinite(bf)) || !(ch >= 0 && Float.isFinite(ch)) || cc < 0 || cc > CHANGES
        || lastCheck && !(Double.isFinite(lf) && Double.isFinite(lh) && lh >= 0 && lhh >= 1)) {
      throw new IllegalArgumentException("bad change watch: before " + bf + ", changes " + ch + " of " + cc
          + ", last check " + lf + " ± " + lh + " at h " + lhh);
    }
    if (s < 0 || s > MAX_STEPS || r < 0 || r > s || n < 0 || n > MAX_STEPS || longest < 0 || longest > MAX_STEPS
        || !Double.isFinite(l) || !(u >= 0 && u <= MAX_SUM) || !(d >= 0 && d <= MAX_SUM)
        || !(Float.isNaN(p) || Math.abs(p) <= MAX_SUM) || !(Math.abs(lag) <= MAX_SUM) || !(sq >= 0 && sq <= MAX_SUM)
        || n2 < 0 || n2 > MIN_PAIRS) {
      throw new IllegalArgumentException("bad change watch: steps " + s + ", repeats " + r + ", run " + n
          + ", longest run " + longest + ", sums " + u + ", " + d + ", previous " + p + ", moments " + lag + ", "
          + sq + ", pairs " + n2);
    }
    started = (blocks & STARTED) != 0;
    runFlagged = (blocks & RUN_FLAGGED) != 0;
    last = l;
    steps = s;
    repeats = r;
    run = n;
    longestRun = longest;
    up = u;
    down = d;
    previous = p;
    lagged = lag;
    squared = sq;
    pairs = n2;
    before = bf;
    changes = ch;
    changeCount = cc;
    lastForecast = lf;
    lastHalf = lh;
    lastH = lhh;
    lastFlagged = (blocks & LAST_FLAGGED) != 0;
  }
}
