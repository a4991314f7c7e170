package org.streamcast.quality;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One key's live scoring state, kept in its key state: the forecasts it published that still wait for their actual
 * (one per scored horizon and step ahead, with the interval half-widths issued with them), the actuals at their
 * origins (the naive forecasts), and per scored horizon a sliding window of its last {@value #WINDOW} absolute errors
 * and naive errors. From the window come the key's own rolling MAE, RMSE and skill, and, once it holds at least
 * {@value #MIN_OWN} residuals, the key's own conformal intervals. The absolute errors are kept sorted (each with the
 * ring slot it arrived in, to find the one that leaves), so a quantile costs a lookup and a step costs two small
 * array moves per horizon.
 *
 * <p>Steps are counted by an ordinal that advances once per step the model takes (observed or imputed), so the
 * forecast made at ordinal o for horizon h is waiting in slot {@code (o + h) mod h} of that horizon's ring until the
 * actual of ordinal o + h arrives. Forecasts for imputed steps are never scored; a reset drops every pending
 * forecast but keeps the error windows. Mutable, owned by one thread at a time like its key state; unshaped (empty)
 * until {@link #shape} is called.
 */
public final class KeyScores {
  /** Errors kept per key and scored horizon. */
  public static final int WINDOW = 50;
  /** Residuals a key needs at a horizon before its intervals there come from its own residuals. */
  public static final int MIN_OWN = 30;
  /** The largest tracked log-scale correction either way (a band at most e^3 ≈ 20 times its window's). */
  static final float MAX_CORRECTION = 3;
  /** The longest horizon a persisted state may claim (a guard against corrupt bytes). */
  static final int MAX_HORIZON = 100_000;

  // package-private: KeyScoresFormat writes and reads them
  ScoredHorizons horizons;
  int levels;
  int window;
  int[] offsets = new int[0];
  int pendingSize;
  long ordinal;
  float[] pending = new float[0];
  float[] pendingHalf = new float[0];
  double[] origins = new double[0];
  float[] sortedErrors = new float[0];
  byte[] arrivalSlots = new byte[0];
  float[] naiveErrors = new float[0];
  int[] count = new int[0];
  int[] next = new int[0];
  float[] latestHalf = new float[0];
  double[] issuedHalf = new double[0];
  /**
   * Per scored horizon and level ({@code j·levels + l}), the tracked log-scale correction of the window's quantile;
   * NaN until the key has its own errors.
   */
  float[] tracked = new float[0];
  /**
   * Per scored horizon, the ordinal of the first step whose band there was the key's own (issued once the window
   * held {@value #MIN_OWN} errors; {@link Long#MAX_VALUE}: none yet). A forecast issued before it carried the
   * pipeline's band, which the correction must not learn from (it depends on the other keys' order).
   */
  long[] ownFrom = new long[0];
  final AnomalyBudget budget = new AnomalyBudget();
  final ChangeWatch change = new ChangeWatch();

  /** An empty (unshaped) state. */
  public KeyScores() {}

  /** Whether {@link #shape} was called. */
  public boolean isShaped() {
    return horizons != null;
  }

  /** The scored horizons, or null when unshaped. */
  public ScoredHorizons horizons() {
    return horizons;
  }

  /** Interval levels kept per pending forecast. */
  public int levels() {
    return levels;
  }

  /**
   * Makes this state fit {@code scored} horizons and {@code levelCount} interval levels; a state of another shape
   * (the spec's horizon or levels changed) is cleared. Does nothing when the shape already fits.
   */
  public void shape(ScoredHorizons scored, int levelCount) {
    if (scored.equals(horizons) && levelCount == levels && window == WINDOW) {
      return;
    }
    allocate(scored, levelCount, WINDOW);
  }

  void allocate(ScoredHorizons scored, int levelCount, int windowSize) {
    horizons = scored;
    levels = levelCount;
    window = windowSize;
    int s = scored.count();
    offsets = new int[s];
    int off = 0;
    for (int j = 0; j < s; j++) {
      offsets[j] = off;
      off += scored.get(j);
    }
    pendingSize = off;
    ordinal = 0;
    pending = new float[pendingSize];
    pendingHalf = new float[levels * pendingSize];
    origins = new double[scored.horizon()];
    if (windowSize < 1 || windowSize > 127) {
      throw new IllegalArgumentException("error window must be 1..127, was " + windowSize);
    }
    sortedErrors = new float[s * window];
    arrivalSlots = new byte[s * window];
    naiveErrors = new float[s * window];
    count = new int[s];
    next = new int[s];
    latestHalf = new float[levels * scored.horizon()];
    issuedHalf = new double[levels];
    tracked = new float[s * levels];
    ownFrom = new long[s];
    Arrays.fill(ownFrom, Long.MAX_VALUE);
    clearPending();
    Arrays.fill(latestHalf, Float.NaN);
    Arrays.fill(tracked, Float.NaN);
  }

  /** Forgets the pending forecasts (a reset of the key); the error windows stay. */
  public void clearPending() {
    Arrays.fill(pending, Float.NaN);
    Arrays.fill(pendingHalf, Float.NaN);
    Arrays.fill(origins, Double.NaN);
    Arrays.fill(latestHalf, Float.NaN);
  }

  /** {@code steps} imputed steps passed: their pending forecasts cannot be scored and they issued none. */
  public void skip(int steps) {
    requireShaped();
    for (int i = 0; i < steps; i++) {
      ordinal++;
      for (int j = 0; j < offsets.length; j++) {
        clearSlot(slot(j));
      }
      origins[Math.floorMod(ordinal, origins.length)] = Double.NaN;
    }
  }

  /**
   * The actual of the next step arrived: scores every pending forecast made for it (one per scored horizon at most),
   * adds the errors to the windows, moves the key's tracked band corrections ({@link #ownHalfWidths}) and hands
   * each to {@code sink}. An error that is not finite in float precision is dropped, not scored.
   *
   * @param levelValues the interval levels, ascending (as many as {@link #levels()})
   * @param rate        the tracking rate γ of {@link #ownHalfWidths}; 0 keeps the split-conformal bands
   */
  public void observe(double actual, ScoreSink sink, double[] levelValues, double rate) {
    observe(actual, sink, levelValues, rate, -1);
  }

  /**
   * {@link #observe(double, ScoreSink, double[], double)}, with an error beyond the half-width issued at level index
   * {@code capLevel} entering the window as that half-width ({@code anomalies.clip}: an anomaly neither widens the
   * key's bands at once nor is forgotten; it still counts as a miss for the tracked correction, so a lasting change
   * widens the bands step by step). A half-width of 0 caps nothing. The sink gets the raw error. {@code capLevel}
   * −1: no cap.
   */
  public void observe(double actual, ScoreSink sink, double[] levelValues, double rate, int capLevel) {
    requireShaped();
    ordinal++;
    double scale = naiveMae(0);
    for (int j = 0; j < offsets.length; j++) {
      int slot = slot(j);
      float forecast = pending[slot];
      if (Float.isNaN(forecast)) {
        continue;
      }
      int h = horizons.get(j);
      double naive = origins[(int) Math.floorMod(ordinal - h, (long) origins.length)];
      double error = actual - forecast;
      double naiveError = Math.abs(actual - naive);
      if (!Float.isFinite((float) error) || !Float.isFinite((float) naiveError)) {
        // a forecast or actual too large for the windows' floats is not scored: one such value would widen every
        // interval and turn the rolling errors infinite
        clearSlot(slot);
        continue;
      }
      boolean issuedOwn = ordinal - h >= ownFrom[j];
      track(j, slot, issuedOwn, (float) Math.abs(error), levelValues, rate);
      // only a band of the key's own caps its window (a pooled band depends on the other keys' order)
      float cap = capLevel < 0 || !issuedOwn ? Float.NaN : pendingHalf[capLevel * pendingSize + slot];
      // a band of width 0 caps nothing: capped at 0, the errors after a constant run would keep it at 0 for good
      addError(j, cap > 0 && cap < Math.abs(error) ? cap : (float) Math.abs(error));
      naiveErrors[j * window + next[j]] = (float) naiveError;
      next[j] = (next[j] + 1) % window;
      count[j] = Math.min(count[j] + 1, window);
      if (count[j] >= MIN_OWN && ownFrom[j] == Long.MAX_VALUE) {
        ownFrom[j] = ordinal; // the band issued at this step is the key's own
      }
      for (int l = 0; l < levels; l++) {
        issuedHalf[l] = pendingHalf[l * pendingSize + slot];
      }
      clearSlot(slot);
      sink.scored(j, forecast, error, naiveError, scale, issuedHalf);
    }
  }

  /**
   * Records what this step issued: {@code actual} is the naive forecast from here; {@code forecast} (h = 1..H or
   * more; null when the key did not forecast) with {@code halfWidths[level][h − 1]} (NaN: no interval) waits for its
   * actuals. Call after {@link #observe} for the same step.
   */
  public void issue(double actual, double[] forecast, double[][] halfWidths) {
    requireShaped();
    origins[(int) Math.floorMod(ordinal, (long) origins.length)] = actual;
    for (int j = 0; j < offsets.length; j++) {
      int slot = slot(j);
      int h = horizons.get(j);
      pending[slot] = forecast == null ? Float.NaN : (float) forecast[h - 1];
      for (int l = 0; l < levels; l++) {
        pendingHalf[l * pendingSize + slot] = forecast == null ? Float.NaN : (float) halfWidths[l][h - 1];
      }
    }
    int hz = horizons.horizon();
    for (int l = 0; l < levels; l++) {
      for (int h = 1; h <= hz; h++) {
        latestHalf[l * hz + h - 1] = forecast == null ? Float.NaN : (float) halfWidths[l][h - 1];
      }
    }
  }

  /**
   * Moves the tracked log-scale corrections of scored horizon {@code j} (h steps ahead) by one scored absolute error
   * {@code abs} (called before it enters the window): {@code c ← c + (γ/h)·(1{abs > B} − (1 − ℓ))}, where B is the
   * band issued with the forecast h steps ago when it was the key's own ({@code issuedOwn}) and this level's,
   * otherwise (the pipeline's band, or the level below's where that was wider) the window's split-conformal quantile
   * at ℓ times e^c. Corrections start at 0 once the window holds {@value #MIN_OWN} errors.
   *
   * <p>Why the issued band and γ/h: a forecast h steps ahead is scored h steps late and its misses come in runs
   * (the window's band by then calls the run covered; a correction at γ per error overshoots by the h misses still on
   * their way). See {@link Intervals} and topologies/README.md.
   */
  private void track(int j, int slot, boolean issuedOwn, float abs, double[] levelValues, double rate) {
    int n = count[j];
    if (n < MIN_OWN || rate <= 0) {
      return;
    }
    double perStep = rate / horizons.get(j);
    for (int l = 0; l < levels; l++) {
      int at = j * levels + l;
      float c = Float.isNaN(tracked[at]) ? 0 : tracked[at];
      float issued = pendingHalf[l * pendingSize + slot];
      // a band raised to the level below's (Intervals keeps the levels nested) was not this correction's doing
      boolean own = issuedOwn && !(l > 0 && issued == pendingHalf[(l - 1) * pendingSize + slot]);
      double band = own ? issued : windowQuantile(j, n, levelValues[l]) * Math.exp(c);
      double miss = abs > band ? 1 : 0;
      // bounded, so that a long run of one kind cannot push a band to zero or infinity
      double moved = c + perStep * (miss - (1 - levelValues[l]));
      tracked[at] = (float) Math.max(-MAX_CORRECTION, Math.min(MAX_CORRECTION, moved));
    }
  }

  /** The split-conformal quantile at {@code level} of horizon j's n errors (the largest when the level needs more). */
  private float windowQuantile(int j, int n, double level) {
    return sortedErrors[j * window + Math.min(Conformal.rank(n, level), n) - 1];
  }

  /**
   * Inserts an absolute error into horizon j's sorted window, first removing the one that arrived in the ring slot
   * about to be reused when the window is full. Call before advancing {@code next[j]} and {@code count[j]}.
   */
  private void addError(int j, float abs) {
    int base = j * window;
    int n = count[j];
    if (n == window) {
      int leaving = base;
      while (leaving < base + n && arrivalSlots[leaving] != next[j]) {
        leaving++;
      }
      if (leaving == base + n) {
        throw new IllegalStateException("error window of horizon " + horizons.get(j) + " lost track of slot "
            + next[j]);
      }
      System.arraycopy(sortedErrors, leaving + 1, sortedErrors, leaving, base + n - leaving - 1);
      System.arraycopy(arrivalSlots, leaving + 1, arrivalSlots, leaving, base + n - leaving - 1);
      n--;
    }
    int at = base;
    int end = base + n;
    while (at < end && sortedErrors[at] <= abs) {
      at++;
    }
    System.arraycopy(sortedErrors, at, sortedErrors, at + 1, end - at);
    System.arraycopy(arrivalSlots, at, arrivalSlots, at + 1, end - at);
    sortedErrors[at] = abs;
    arrivalSlots[at] = (byte) next[j];
  }

  private int slot(int j) {
    return offsets[j] + (int) Math.floorMod(ordinal, (long) horizons.get(j));
  }

  private void clearSlot(int slot) {
    pending[slot] = Float.NaN;
    for (int l = 0; l < levels; l++) {
      pendingHalf[l * pendingSize + slot] = Float.NaN;
    }
  }

  private void requireShaped() {
    if (horizons == null) {
      throw new IllegalStateException("key scores are not shaped yet");
    }
  }

  /** The key's anomaly rate limit (kept across resets and reshapes). */
  public AnomalyBudget budget() {
    return budget;
  }

  /** The key's flatline and level-shift watch (kept across resets and reshapes, like the budget). */
  public ChangeWatch change() {
    return change;
  }

  /** The forecast pending for the next step at h = 1 (NaN: none): the one its actual is checked against first. */
  public double nextForecast() {
    return horizons == null ? Double.NaN : pending[offsets[0]];
  }

  /** The half-width at level index {@code l} issued with {@link #nextForecast} (NaN: none). */
  public double nextHalfWidth(int l) {
    return horizons == null || l < 0 || l >= levels ? Double.NaN : pendingHalf[l * pendingSize + offsets[0]];
  }

  /** Errors in the window of scored horizon {@code j}. */
  public int count(int j) {
    return count.length == 0 ? 0 : count[j];
  }

  /**
   * The key's own interval half-widths at scored horizon {@code j}, per level, into {@code out}; NaN for every level
   * while the window holds fewer than {@value #MIN_OWN} residuals. With a positive {@code rate}, the window's
   * quantile times the tracked correction (see {@link Intervals}); with rate 0 the split-conformal quantile of the
   * window (NaN for a level that needs more residuals than it holds).
   */
  public void ownHalfWidths(int j, double[] levelValues, double rate, double[] out) {
    int n = count(j);
    for (int l = 0; l < levelValues.length; l++) {
      if (n < MIN_OWN) {
        out[l] = Double.NaN;
      } else if (rate > 0) {
        float c = tracked[j * levels + l];
        out[l] = windowQuantile(j, n, levelValues[l]) * (Float.isNaN(c) ? 1 : Math.exp(c));
      } else {
        int k = Conformal.rank(n, levelValues[l]);
        out[l] = k > n ? Double.NaN : sortedErrors[j * window + k - 1];
      }
    }
  }

  /** The key's rolling mean absolute error at scored horizon {@code j} (NaN before any). */
  public double mae(int j) {
    int n = count(j);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += sortedErrors[j * window + i];
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** The key's rolling root mean squared error at scored horizon {@code j} (NaN before any). */
  public double rmse(int j) {
    int n = count(j);
    double s = 0;
    for (int i = 0; i < n; i++) {
      double e = sortedErrors[j * window + i];
      s += e * e;
    }
    return n == 0 ? Double.NaN : Math.sqrt(s / n);
  }

  /** The key's rolling naive mean absolute error at scored horizon {@code j} (NaN before any). */
  public double naiveMae(int j) {
    int n = count(j);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += naiveErrors[j * window + i];
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** The key's rolling skill against naive at scored horizon {@code j}: 1 − MAE / naive MAE. */
  public double skill(int j) {
    return Skill.of(mae(j), naiveMae(j));
  }

  /** The half-width issued at level index {@code l} with the latest forecast at horizon {@code h} (NaN: none). */
  public double latestHalfWidth(int l, int h) {
    if (horizons == null || h > horizons.horizon()) {
      return Double.NaN;
    }
    return latestHalf[l * horizons.horizon() + h - 1];
  }

  /** Steps the key has taken since its scores were shaped. */
  public long ordinal() {
    return ordinal;
  }

  // ---- persistence (KeyScoresFormat) ----

  /**
   * The version of the layout {@link #write} writes: 3 adds the anomaly budget to 2, 4 the change watch to 3, 5 when
   * the key's own bands began ({@link #ownFrom}) to 4, 6 writes the change watch's last checked horizon in two bytes
   * instead of one (horizons of 128 and more did not read back).
   */
  public static final byte FORMAT = 6;

  /** The most bytes {@link #write} takes for a key shaped to {@code scored} and {@code levelCount} levels. */
  public static long maxSerializedSize(ScoredHorizons scored, int levelCount) {
    return KeyScoresFormat.maxSize(scored, levelCount);
  }

  /** Bytes {@link #write} takes. */
  public int serializedSize() {
    return KeyScoresFormat.size(this);
  }

  /**
   * Writes only what the key holds, so a young key is small (layout: {@link KeyScoresFormat#write}). Floats are the
   * precision the state is kept in, so a restored key scores exactly as one that was never stored.
   */
  public void write(ByteBuffer b) {
    KeyScoresFormat.write(this, b);
  }

  /** Reads what {@link #write} wrote (formats 2 to {@value #FORMAT}); corrupt bytes: IllegalArgumentException. */
  public static KeyScores read(ByteBuffer b) {
    return KeyScoresFormat.read(b);
  }

  /** Bytes {@link #writeLegacy} takes. */
  public int legacySize() {
    return KeyScoresLegacyFormat.legacySize(this);
  }

  /** Writes layout 1, the block inside key-state formats 2 and 3. */
  public void writeLegacy(ByteBuffer b) {
    KeyScoresLegacyFormat.writeLegacy(this, b);
  }

  /** Reads layout 1 (the key's band corrections then start again at 0). */
  public static KeyScores readLegacy(ByteBuffer b) {
    return KeyScoresLegacyFormat.readLegacy(b);
  }
}
