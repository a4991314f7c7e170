package org.streamcast.model;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Live protection of one key: per horizon, which output serves it, the model's learned output or its baseline (the
 * simple forecast the output head started from, e.g. {@code naive}), switched by a one-sided sign test on the two
 * outputs' latest paired errors. Both outputs are scored at every horizon whichever serves, so a key falls back to
 * its baseline when the learned output gets significantly worse and switches back when it gets significantly better.
 * The stream processor and the backtest drive it through {@link KeyStepper}, so both serve the same source.
 *
 * <p>The test. At horizon {@code h} the window holds the signs of the latest (at most {@value #WINDOW}) paired
 * comparisons {@code |y − learned| > |y − baseline|} (ties are dropped, as the sign test does; the sign is the same
 * for absolute and squared errors, and a single huge error counts once, so one spike cannot trigger it). With
 * {@code n ≥} {@value #MIN_PAIRS} pairs of which {@code k} say "learned worse", the learned output serving falls back
 * when {@code P(K ≥ k) ≤} {@value #LEVEL} for {@code K ~ Binomial(n, 1/2)} (equal accuracy); the baseline serving
 * switches back when the same holds for the {@code n − k} pairs that say "learned better". The window is kept across a
 * switch, so switching back needs the evidence to turn, not just a few lucky steps. Only a fall-back switches back:
 * where the model's own per-key choice was the baseline (the learned output did not beat it on the key's validation
 * slice, or there was none), the baseline serves until the next model. A sliding window tested at every step finds a
 * "winner" by chance now and then, and a learned output that training could not vouch for is exactly the one that
 * made short price and monthly series worse than naive when a lucky run promoted it. Forecasts of one horizon made at
 * consecutive steps share {@code h − 1} future values and their errors are correlated, which would make the test fire
 * far more often than its level; so at horizon {@code h} only the forecasts made every {@code h} steps are compared
 * (their errors do not overlap), and a key needs about {@code h ·} {@value #MIN_PAIRS} steps before its first switch
 * at {@code h}. The level holds per test; as the test is repeated on a sliding window, under exactly equal accuracy a
 * key still switches now and then (simulated with independent Gaussian errors: about 3 switches per 1,000 pairs),
 * which costs nothing as both outputs are then equally good; with the learned error 20% smaller, a false fall-back
 * about once per 1,700 pairs; with it twice as large, the fall-back comes after a median of 26 pairs.
 *
 * <p>The state starts from the model's per-key choice ({@link #start}) and is kept for that model version only: a new
 * model starts again from its own choice. A key reset (a gap) drops the pending forecasts but keeps the windows.
 * Forecasts of imputed steps are neither compared nor issued. Compact: per horizon two pending float32 forecasts, the
 * window as 32 bits and a byte (pairs, source). Mutable and owned by one thread at a time, like its {@link KeyState}.
 */
public final class LiveProtection {
  /** Pairs kept per horizon. */
  public static final int WINDOW = 32;
  /** Pairs a horizon needs before its test can switch. */
  public static final int MIN_PAIRS = 10;
  /** One-sided significance level of each test. */
  public static final double LEVEL = 0.05;
  /** The longest horizon a persisted state may claim (a guard against corrupt bytes). */
  static final int MAX_HORIZON = 100_000;

  private static final long NOT_STARTED = Long.MIN_VALUE;
  /** In {@link #window}'s byte: set when the baseline serves; the low bits count the pairs. */
  private static final int BASELINE = 0x80;
  /** In {@link #window}'s byte: set where the model's own choice was the baseline, which then serves for good. */
  private static final int HELD = 0x40;
  private static final int PAIRS = 0x3f;
  /** Per pair count {@code n}, the fewest "worse" signs that reject equal accuracy at {@link #LEVEL}. */
  private static final int[] CRITICAL = critical(WINDOW, LEVEL);

  private long modelVersion = NOT_STARTED;
  private long ordinal;
  private float[] pendingLearned = new float[0];
  private float[] pendingBaseline = new float[0];
  /** Per horizon: bit i set when the i-th latest pair (0 = newest) had the larger learned error. */
  private int[] worse = new int[0];
  private byte[] window = new byte[0];
  private int fellBack;
  private int recovered;

  /** An unstarted state (a key never served by a model with a baseline). */
  public LiveProtection() {}

  /** Whether the state belongs to the model of version {@code version}. */
  public boolean startedFor(long version) {
    return modelVersion == version && modelVersion != NOT_STARTED;
  }

  /** Whether {@link #start} was called. */
  public boolean isStarted() {
    return modelVersion != NOT_STARTED;
  }

  /**
   * Starts again for model {@code version}: per horizon ({@code h − 1}) the learned output serves where
   * {@code learned} says so, else the baseline; no evidence, nothing pending.
   */
  public void start(long version, boolean[] learned) {
    int horizon = learned.length;
    if (horizon < 1 || horizon > MAX_HORIZON) {
      throw new IllegalArgumentException("horizon must be 1.." + MAX_HORIZON + ", was " + horizon);
    }
    modelVersion = version;
    ordinal = 0;
    allocate(horizon);
    for (int h = 0; h < horizon; h++) {
      window[h] = (byte) (learned[h] ? 0 : BASELINE | HELD);
    }
    fellBack = 0;
    recovered = 0;
  }

  private void allocate(int horizon) {
    pendingLearned = new float[horizon];
    pendingBaseline = new float[horizon];
    worse = new int[horizon];
    window = new byte[horizon];
    Arrays.fill(pendingLearned, Float.NaN);
    Arrays.fill(pendingBaseline, Float.NaN);
  }

  /** Version of the model the state belongs to. */
  public long modelVersion() {
    return modelVersion;
  }

  /** Horizons protected (0 before {@link #start}). */
  public int horizon() {
    return window.length;
  }

  /** Whether the learned output serves horizon {@code h} (1-based). */
  public boolean learned(int h) {
    return (window[h - 1] & BASELINE) == 0;
  }

  /** Horizons the baseline serves. */
  public int baselineHorizons() {
    int n = 0;
    for (byte b : window) {
      n += (b & BASELINE) != 0 ? 1 : 0;
    }
    return n;
  }

  /** Writes the served forecast: per horizon the learned or the baseline value. {@code out} may be {@code learned}. */
  public void serve(double[] learned, double[] baseline, double[] out) {
    for (int h = 0; h < window.length; h++) {
      out[h] = (window[h] & BASELINE) == 0 ? learned[h] : baseline[h];
    }
  }

  /** Forgets the pending forecasts (a reset of the key); the windows and the sources stay. */
  public void clearPending() {
    Arrays.fill(pendingLearned, Float.NaN);
    Arrays.fill(pendingBaseline, Float.NaN);
  }

  /** An imputed step passed: the forecasts made for it cannot be compared. */
  public void skip() {
    fellBack = 0;
    recovered = 0;
    ordinal++;
    for (int h = 1; h <= window.length; h++) {
      if (ordinal % h == 0) {
        pendingLearned[h - 1] = Float.NaN;
        pendingBaseline[h - 1] = Float.NaN;
      }
    }
  }

  /**
   * The actual of the next step arrived: compares the pending pairs made for it, updates the windows and switches
   * the horizons whose test rejects ({@link #fellBack()}, {@link #recovered()} count them).
   */
  public void observe(double actual) {
    fellBack = 0;
    recovered = 0;
    ordinal++;
    for (int h = 1; h <= window.length; h++) {
      if (ordinal % h != 0) {
        continue;
      }
      int i = h - 1;
      float l = pendingLearned[i];
      float b = pendingBaseline[i];
      pendingLearned[i] = Float.NaN;
      pendingBaseline[i] = Float.NaN;
      if (Float.isNaN(l) || Float.isNaN(b) || !Double.isFinite(actual)) {
        continue;
      }
      double el = Math.abs(actual - l);
      double eb = Math.abs(actual - b);
      if (el == eb) {
        continue;
      }
      worse[i] = (worse[i] << 1) | (el > eb ? 1 : 0);
      int n = Math.min((window[i] & PAIRS) + 1, WINDOW);
      window[i] = (byte) ((window[i] & (BASELINE | HELD)) | n);
      test(i, n);
    }
  }

  private void test(int i, int n) {
    if (n < MIN_PAIRS) {
      return;
    }
    int k = learnedWorse(i, n);
    if ((window[i] & BASELINE) == 0 && k >= CRITICAL[n]) {
      window[i] = (byte) (window[i] | BASELINE);
      fellBack++;
    } else if ((window[i] & (BASELINE | HELD)) == BASELINE && n - k >= CRITICAL[n]) {
      window[i] = (byte) (window[i] & PAIRS);
      recovered++;
    }
  }

  /**
   * Records this step's outputs (call after {@link #observe} of an observed step that forecast): at each horizon
   * {@code h} whose turn it is (every {@code h} steps) the pair waits for its actual.
   */
  public void issue(double[] learned, double[] baseline) {
    for (int h = 1; h <= window.length; h++) {
      if (ordinal % h == 0) {
        pendingLearned[h - 1] = (float) learned[h - 1];
        pendingBaseline[h - 1] = (float) baseline[h - 1];
      }
    }
  }

  /** Horizons that fell back to the baseline at the latest step. */
  public int fellBack() {
    return fellBack;
  }

  /** Horizons that switched back to the learned output at the latest step. */
  public int recovered() {
    return recovered;
  }

  /** Pairs in horizon {@code h}'s window. */
  public int pairs(int h) {
    return window[h - 1] & PAIRS;
  }

  /** Pairs in horizon {@code h}'s window where the learned output's error was the larger. */
  public int learnedWorse(int h) {
    return learnedWorse(h - 1, pairs(h));
  }

  private int learnedWorse(int i, int n) {
    return Integer.bitCount(n >= 32 ? worse[i] : worse[i] & ((1 << n) - 1));
  }

  /**
   * The one-sided p-value of the test that would switch horizon {@code h} now: with the learned output serving,
   * {@code P(K ≥ learnedWorse)}, else {@code P(K ≥ pairs − learnedWorse)}, for {@code K ~ Binomial(pairs, 1/2)}
   * (1 with no pairs).
   */
  public double pValue(int h) {
    int n = pairs(h);
    int k = learnedWorse(h);
    return upperTail(n, learned(h) ? k : n - k);
  }

  /** {@code P(K ≥ k)} for {@code K ~ Binomial(n, 1/2)}. */
  static double upperTail(int n, int k) {
    double p = 0;
    double c = 1;
    for (int i = 0; i <= n; i++) {
      if (i >= k) {
        p += c;
      }
      c = c * (n - i) / (i + 1);
    }
    return Math.min(1, p / Math.pow(2, n));
  }

  /** Per {@code n = 0..max}, the smallest {@code k} with {@code P(K ≥ k) ≤ level} ({@code n + 1} when none). */
  static int[] critical(int max, double level) {
    int[] out = new int[max + 1];
    for (int n = 0; n <= max; n++) {
      int k = n + 1;
      while (k > 0 && upperTail(n, k - 1) <= level) {
        k--;
      }
      out[n] = k;
    }
    return out;
  }

  /** The fewest "worse" signs out of {@code n} pairs that switch (for tests and documentation). */
  static int criticalCount(int n) {
    return CRITICAL[n];
  }

  // ---- persistence (a block of the key-state format, see the topology's KeyStateSerde) ----

  /** The most bytes {@link #write} takes at {@code horizon}. */
  static long maxSerializedSize(int horizon) {
    return 4 + 8 + 8 + 13L * horizon;
  }

  /** Bytes {@link #write} takes. */
  public int serializedSize() {
    return isStarted() ? 4 + 8 + 8 + 13 * window.length : 4;
  }

  /**
   * Writes {@code int H} (0: not started, nothing follows), {@code long modelVersion; long ordinal;
   * float[H] pending learned; float[H] pending baseline; int[H] windows of "learned worse" bits (bit 0 newest);
   * byte[H] pairs in the window, with bit 7 set where the baseline serves and bit 6 where it serves for good}.
   */
  public void write(ByteBuffer b) {
    if (!isStarted()) {
      b.putInt(0);
      return;
    }
    b.putInt(window.length).putLong(modelVersion).putLong(ordinal);
    b.asFloatBuffer().put(pendingLearned);
    b.position(b.position() + 4 * pendingLearned.length);
    b.asFloatBuffer().put(pendingBaseline);
    b.position(b.position() + 4 * pendingBaseline.length);
    b.asIntBuffer().put(worse);
    b.position(b.position() + 4 * worse.length);
    b.put(window);
  }

  /** Reads what {@link #write} wrote; lengths are checked against the bytes left before anything is allocated. */
  public static LiveProtection read(ByteBuffer b) {
    LiveProtection p = new LiveProtection();
    try {
      int horizon = b.getInt();
      if (horizon == 0) {
        return p;
      }
      if (horizon < 0 || horizon > MAX_HORIZON || b.remaining() < 16 + 13L * horizon) {
        throw new IllegalArgumentException("bad live protection block: horizon " + horizon + " with "
            + b.remaining() + " bytes left");
      }
      long version = b.getLong();
      if (version == NOT_STARTED) {
        throw new IllegalArgumentException("bad live protection block: no model version");
      }
      p.modelVersion = version;
      p.ordinal = b.getLong();
      p.allocate(horizon);
      b.asFloatBuffer().get(p.pendingLearned);
      b.position(b.position() + 4 * horizon);
      b.asFloatBuffer().get(p.pendingBaseline);
      b.position(b.position() + 4 * horizon);
      b.asIntBuffer().get(p.worse);
      b.position(b.position() + 4 * horizon);
      b.get(p.window);
      for (byte w : p.window) {
        if ((w & PAIRS) > WINDOW || (w & ~(PAIRS | BASELINE | HELD) & 0xff) != 0 || (w & (BASELINE | HELD)) == HELD) {
          throw new IllegalArgumentException("bad live protection block: window byte " + (w & 0xff));
        }
      }
      return p;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("live protection block is truncated", e);
    }
  }
}
