package org.streamcast.quality;

import java.nio.BufferUnderflowException;
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

  private ScoredHorizons horizons;
  private int levels;
  private int window;
  private int[] offsets = new int[0];
  private int pendingSize;
  private long ordinal;
  private float[] pending = new float[0];
  private float[] pendingHalf = new float[0];
  private double[] origins = new double[0];
  private float[] sortedErrors = new float[0];
  private byte[] arrivalSlots = new byte[0];
  private float[] naiveErrors = new float[0];
  private int[] count = new int[0];
  private int[] next = new int[0];
  private float[] latestHalf = new float[0];
  private double[] issuedHalf = new double[0];
  /**
   * Per scored horizon and level ({@code j·levels + l}), the tracked log-scale correction of the window's quantile;
   * NaN until the key has its own errors.
   */
  private float[] tracked = new float[0];
  private final AnomalyBudget budget = new AnomalyBudget();
  private final ChangeWatch change = new ChangeWatch();

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

  private void allocate(ScoredHorizons scored, int levelCount, int windowSize) {
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
   * widens the bands step by step). The sink gets the raw error. {@code capLevel} −1: no cap.
   */
  public void observe(double actual, ScoreSink sink, double[] levelValues, double rate, int capLevel) {
    requireShaped();
    ordinal++;
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
      track(j, (float) Math.abs(error), levelValues, rate);
      // only a band of the key's own caps its window (a pooled band depends on the other keys' order); h steps ago,
      // when this forecast was issued, the window held up to h errors fewer
      float cap = capLevel < 0 || count[j] < MIN_OWN + h ? Float.NaN : pendingHalf[capLevel * pendingSize + slot];
      addError(j, cap < Math.abs(error) ? cap : (float) Math.abs(error));
      naiveErrors[j * window + next[j]] = (float) naiveError;
      next[j] = (next[j] + 1) % window;
      count[j] = Math.min(count[j] + 1, window);
      for (int l = 0; l < levels; l++) {
        issuedHalf[l] = pendingHalf[l * pendingSize + slot];
      }
      clearSlot(slot);
      sink.scored(j, forecast, error, naiveError, issuedHalf);
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
   * Moves the tracked log-scale corrections of scored horizon {@code j} by one scored absolute error {@code abs}
   * (called before it enters the window): {@code c ← c + γ·(1{abs > W·e^c} − (1 − ℓ))}, where W is the window's
   * split-conformal quantile at ℓ. Corrections start at 0 once the window holds {@value #MIN_OWN} errors.
   */
  private void track(int j, float abs, double[] levelValues, double rate) {
    int n = count[j];
    if (n < MIN_OWN || rate <= 0) {
      return;
    }
    for (int l = 0; l < levels; l++) {
      int at = j * levels + l;
      float c = Float.isNaN(tracked[at]) ? 0 : tracked[at];
      double miss = abs > windowQuantile(j, n, levelValues[l]) * Math.exp(c) ? 1 : 0;
      // bounded, so that a long run of one kind cannot push a band to zero or infinity
      double moved = c + rate * (miss - (1 - levelValues[l]));
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

  // ---- persistence, layouts 2 and 3 (this class's own format) ----

  /** The version of the layout {@link #write} writes: 3 adds the anomaly budget to 2, 4 the change watch to 3. */
  public static final byte FORMAT = 4;

  /** Bytes {@link #write} takes. */
  public int serializedSize() {
    if (horizons == null) {
      return 1 + 4;
    }
    int s = horizons.count();
    int size = 1 + 4 + 1 + (isDefaultShape() ? 0 : 4 + 4 * s) + 1 + 1 + 8;
    size += (pendingSize + 7) / 8;
    for (int slot = 0; slot < pendingSize; slot++) {
      size += Float.isNaN(pending[slot]) ? 0 : 4 * (1 + levels);
    }
    size += (origins.length + 7) / 8;
    for (double o : origins) {
      size += Double.isNaN(o) ? 0 : 8;
    }
    size += 1 + (hasLatest() ? 4 * latestHalf.length : 0);
    for (int j = 0; j < s; j++) {
      size += 2 + 8 * count[j];
    }
    size += 1 + (hasTracked() ? 4 * tracked.length : 0);
    return size + budget.serializedSize() + change.serializedSize();
  }

  private boolean isDefaultShape() {
    return horizons.equals(ScoredHorizons.of(horizons.horizon()));
  }

  private boolean hasLatest() {
    for (float f : latestHalf) {
      if (!Float.isNaN(f)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasTracked() {
    for (float f : tracked) {
      if (!Float.isNaN(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes only what a key holds, so a young key is small: {@code byte FORMAT; int H} (0: unshaped, nothing follows),
   * {@code byte shape} (0: the default scored horizons of H; 1: {@code int S; int[S]} follow), {@code byte levels;
   * byte window; long ordinal}; the pending forecasts as a presence bitmap over their Σh slots, then per present slot
   * {@code float forecast; float[levels] half-widths}; the origin actuals as a presence bitmap over H, then the
   * present doubles; {@code byte} 1 and {@code float[levels·H]} latest half-widths (or 0); per scored horizon
   * {@code byte count; byte next; float[count] absolute errors in arrival (ring) order; float[count] naive errors};
   * {@code byte} 1 and {@code float[S·levels]} tracked band corrections (or 0); the anomaly budget
   * ({@link AnomalyBudget#write}; not in format 2, which reads with a full bucket); the change watch
   * ({@link ChangeWatch#write}; not in formats 2 and 3, which read with an empty one). Floats are the precision the
   * state is kept in, so a restored key scores exactly as one that was never stored.
   */
  public void write(ByteBuffer b) {
    b.put(FORMAT);
    if (horizons == null) {
      b.putInt(0);
      return;
    }
    int s = horizons.count();
    b.putInt(horizons.horizon());
    if (isDefaultShape()) {
      b.put((byte) 0);
    } else {
      b.put((byte) 1).putInt(s);
      for (int j = 0; j < s; j++) {
        b.putInt(horizons.get(j));
      }
    }
    b.put((byte) levels).put((byte) window).putLong(ordinal);
    putPresence(b, pendingSize, slot -> !Float.isNaN(pending[slot]));
    for (int slot = 0; slot < pendingSize; slot++) {
      if (!Float.isNaN(pending[slot])) {
        b.putFloat(pending[slot]);
        for (int l = 0; l < levels; l++) {
          b.putFloat(pendingHalf[l * pendingSize + slot]);
        }
      }
    }
    putPresence(b, origins.length, i -> !Double.isNaN(origins[i]));
    for (double o : origins) {
      if (!Double.isNaN(o)) {
        b.putDouble(o);
      }
    }
    if (hasLatest()) {
      b.put((byte) 1);
      putFloats(b, latestHalf);
    } else {
      b.put((byte) 0);
    }
    float[] ring = new float[window];
    for (int j = 0; j < s; j++) {
      int base = j * window;
      b.put((byte) count[j]).put((byte) next[j]);
      for (int i = 0; i < count[j]; i++) {
        ring[arrivalSlots[base + i]] = sortedErrors[base + i];
      }
      for (int p = 0; p < count[j]; p++) {
        b.putFloat(ring[p]);
      }
      for (int p = 0; p < count[j]; p++) {
        b.putFloat(naiveErrors[base + p]);
      }
    }
    if (hasTracked()) {
      b.put((byte) 1);
      putFloats(b, tracked);
    } else {
      b.put((byte) 0);
    }
    budget.write(b);
    change.write(b);
  }

  /**
   * Reads what {@link #write} wrote. Every length is checked against the bytes that remain before anything is
   * allocated, so corrupt bytes give an {@link IllegalArgumentException}, never an oversized allocation.
   */
  public static KeyScores read(ByteBuffer b) {
    KeyScores k = new KeyScores();
    try {
      byte version = b.get();
      if (version < 2 || version > FORMAT) {
        throw new IllegalArgumentException("key scores have unknown format version " + version);
      }
      int horizon = b.getInt();
      if (horizon == 0) {
        return k;
      }
      if (horizon < 0 || horizon > MAX_HORIZON) {
        throw new IllegalArgumentException("bad key scores shape: H=" + horizon);
      }
      byte shape = b.get();
      ScoredHorizons h;
      if (shape == 0) {
        h = ScoredHorizons.of(horizon);
      } else if (shape == 1) {
        int s = b.getInt();
        if (s < 1 || s > horizon || b.remaining() < 4L * s) {
          throw new IllegalArgumentException("bad key scores shape: H=" + horizon + ", S=" + s);
        }
        int[] scored = new int[s];
        for (int j = 0; j < s; j++) {
          scored[j] = b.getInt();
        }
        h = ScoredHorizons.of(horizon, scored);
      } else {
        throw new IllegalArgumentException("bad key scores shape marker " + shape);
      }
      int levelCount = b.get();
      int windowSize = b.get();
      if (levelCount < 0 || levelCount > 8) {
        throw new IllegalArgumentException("bad key scores shape: " + levelCount + " levels");
      }
      if (windowSize < 1) {
        throw new IllegalArgumentException("bad key scores shape: error window " + windowSize);
      }
      long sum = 0;
      for (int j = 0; j < h.count(); j++) {
        sum += h.get(j);
      }
      // the fixed parts must fit before the arrays are allocated
      if (b.remaining() < 8 + (sum + 7) / 8 + (horizon + 7) / 8 + 2L + 2L * h.count()) {
        throw new IllegalArgumentException("key scores block is truncated");
      }
      k.allocate(h, levelCount, windowSize);
      k.ordinal = b.getLong();
      boolean[] present = getPresence(b, k.pendingSize);
      for (int slot = 0; slot < k.pendingSize; slot++) {
        if (present[slot]) {
          k.pending[slot] = b.getFloat();
          for (int l = 0; l < levelCount; l++) {
            k.pendingHalf[l * k.pendingSize + slot] = b.getFloat();
          }
        }
      }
      present = getPresence(b, horizon);
      for (int i = 0; i < horizon; i++) {
        if (present[i]) {
          k.origins[i] = b.getDouble();
        }
      }
      if (b.get() == 1) {
        getFloats(b, k.latestHalf);
      }
      float[] ring = new float[windowSize];
      Integer[] order = new Integer[windowSize];
      for (int j = 0; j < h.count(); j++) {
        int n = b.get() & 0xff;
        int nx = b.get() & 0xff;
        if (n > windowSize || nx >= windowSize || (n < windowSize && nx != n)) {
          throw new IllegalArgumentException("bad error window of horizon " + h.get(j) + ": count " + n + ", next "
              + nx);
        }
        k.count[j] = n;
        k.next[j] = nx;
        int base = j * windowSize;
        for (int p = 0; p < n; p++) {
          ring[p] = b.getFloat();
          order[p] = p;
        }
        for (int p = 0; p < n; p++) {
          k.naiveErrors[base + p] = b.getFloat();
        }
        Arrays.sort(order, 0, n, (x, y) -> Float.compare(ring[x], ring[y]));
        for (int i = 0; i < n; i++) {
          k.sortedErrors[base + i] = ring[order[i]];
          k.arrivalSlots[base + i] = (byte) (int) order[i];
        }
      }
      if (b.get() == 1) {
        getFloats(b, k.tracked);
      }
      if (version >= 3) {
        k.budget.read(b);
      }
      if (version >= 4) {
        k.change.read(b);
      }
      return k;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("key scores block is truncated", e);
    }
  }

  private static void putPresence(ByteBuffer b, int n, java.util.function.IntPredicate present) {
    for (int i = 0; i < n; i += 8) {
      int bits = 0;
      for (int j = 0; j < 8 && i + j < n; j++) {
        if (present.test(i + j)) {
          bits |= 1 << j;
        }
      }
      b.put((byte) bits);
    }
  }

  private static boolean[] getPresence(ByteBuffer b, int n) {
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i += 8) {
      int bits = b.get();
      for (int j = 0; j < 8 && i + j < n; j++) {
        out[i + j] = (bits & (1 << j)) != 0;
      }
    }
    return out;
  }

  // ---- persistence, layout 1: the block inside key-state formats 2 and 3 (read for old states) ----

  /** Bytes {@link #writeLegacy} takes. */
  public int legacySize() {
    if (horizons == null) {
      return 4;
    }
    int s = horizons.count();
    return 4 + 4 + 4 * s + 4 + 4 + 8 + 4 * pendingSize * (1 + levels) + 8 * origins.length + 8 * s
        + 9 * s * window + 4 * latestHalf.length;
  }

  /**
   * Writes {@code int H} (0: unshaped, nothing follows), {@code int S; int[S] scored horizons; int levels; int window;
   * long ordinal; float[Σh] pending; float[levels·Σh] pending half-widths; double[H] origin actuals;
   * S × (int count, int next); float[S·window] absolute errors, sorted per horizon; byte[S·window] the ring slot
   * each arrived in; float[S·window] naive errors (a ring per horizon); float[levels·H] latest half-widths}.
   */
  public void writeLegacy(ByteBuffer b) {
    if (horizons == null) {
      b.putInt(0);
      return;
    }
    int s = horizons.count();
    b.putInt(horizons.horizon()).putInt(s);
    for (int j = 0; j < s; j++) {
      b.putInt(horizons.get(j));
    }
    b.putInt(levels).putInt(window).putLong(ordinal);
    putFloats(b, pending);
    putFloats(b, pendingHalf);
    b.asDoubleBuffer().put(origins);
    b.position(b.position() + 8 * origins.length);
    for (int j = 0; j < s; j++) {
      b.putInt(count[j]).putInt(next[j]);
    }
    putFloats(b, sortedErrors);
    b.put(arrivalSlots);
    putFloats(b, naiveErrors);
    putFloats(b, latestHalf);
  }

  /**
   * Reads what {@link #writeLegacy} wrote (the key's band corrections then start again at 0). Every length is
   * checked against the bytes that remain before anything is allocated, and the window bookkeeping is checked for
   * consistency, so corrupt bytes give an {@link IllegalArgumentException}, never an oversized allocation or a state
   * that fails later.
   */
  public static KeyScores readLegacy(ByteBuffer b) {
    KeyScores k = new KeyScores();
    try {
      int horizon = b.getInt();
      if (horizon == 0) {
        return k;
      }
      int s = b.getInt();
      if (horizon < 0 || horizon > MAX_HORIZON || s < 1 || s > horizon) {
        throw new IllegalArgumentException("bad key scores shape: H=" + horizon + ", S=" + s);
      }
      if (b.remaining() < 4L * s) {
        throw new BufferUnderflowException();
      }
      int[] scored = new int[s];
      long pendingSize = 0;
      for (int j = 0; j < s; j++) {
        scored[j] = b.getInt();
        pendingSize += scored[j];
      }
      ScoredHorizons h = ScoredHorizons.of(horizon, scored);
      int levelCount = b.getInt();
      int windowSize = b.getInt();
      if (levelCount < 0 || levelCount > 8) {
        throw new IllegalArgumentException("bad key scores shape: " + levelCount + " levels");
      }
      if (windowSize < 1 || windowSize > 127) {
        throw new IllegalArgumentException("bad key scores shape: error window " + windowSize);
      }
      long needed = 8 + 4 * pendingSize * (1 + levelCount) + 8L * horizon + 8L * s + 9L * s * windowSize
          + 4L * levelCount * horizon;
      if (b.remaining() < needed) {
        throw new IllegalArgumentException("key scores block needs " + needed + " bytes, " + b.remaining()
            + " remain");
      }
      k.allocate(h, levelCount, windowSize);
      k.ordinal = b.getLong();
      getFloats(b, k.pending);
      getFloats(b, k.pendingHalf);
      b.asDoubleBuffer().get(k.origins);
      b.position(b.position() + 8 * k.origins.length);
      for (int j = 0; j < s; j++) {
        k.count[j] = b.getInt();
        k.next[j] = b.getInt();
        if (k.count[j] < 0 || k.count[j] > windowSize || k.next[j] < 0 || k.next[j] >= windowSize) {
          throw new IllegalArgumentException("bad error window of horizon " + scored[j] + ": count " + k.count[j]
              + ", next " + k.next[j]);
        }
      }
      getFloats(b, k.sortedErrors);
      b.get(k.arrivalSlots);
      getFloats(b, k.naiveErrors);
      getFloats(b, k.latestHalf);
      k.checkArrivals();
      return k;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("key scores block is truncated", e);
    }
  }

  /** Each window's first {@code count} arrival slots are distinct ring slots (else a step would lose track). */
  private void checkArrivals() {
    boolean[] seen = new boolean[window];
    for (int j = 0; j < count.length; j++) {
      Arrays.fill(seen, false);
      for (int i = 0; i < count[j]; i++) {
        int slot = arrivalSlots[j * window + i];
        if (slot < 0 || slot >= window || seen[slot]) {
          throw new IllegalArgumentException("bad error window of horizon " + horizons.get(j) + ": arrival slot "
              + slot + " repeated or out of range");
        }
        seen[slot] = true;
      }
    }
  }

  private static void putFloats(ByteBuffer b, float[] values) {
    b.asFloatBuffer().put(values);
    b.position(b.position() + 4 * values.length);
  }

  private static void getFloats(ByteBuffer b, float[] into) {
    b.asFloatBuffer().get(into);
    b.position(b.position() + 4 * into.length);
  }
}
