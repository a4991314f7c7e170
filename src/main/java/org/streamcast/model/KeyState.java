package org.streamcast.model;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The model part of what one key carries between steps: the hidden state of the model that produced it (with that
 * model's version), the recent history (for lags and re-warming), the step counters, the key's own scale when the
 * model has none for it, the latest forecast and which source serves each horizon ({@link LiveProtection}). It
 * changes with every model step; the key's live scores (the quality part) are kept apart, by the serving step.
 * Mutable and owned by one thread at a time (a Kafka Streams task, or a backtest cursor). Its persisted layout is
 * owned here ({@link #write}, {@link #read}).
 */
public final class KeyState {
  /** Marks "no step yet". */
  public static final long NO_STEP = Long.MIN_VALUE;

  private final History history;
  private final Covariates covariates;
  private long modelVersion = -1;
  private float[] hidden = new float[0];
  private long lastStep = NO_STEP;
  private long observedSteps;
  private int imputedRun;
  private double scaleMean = Double.NaN;
  private double scaleSpread = Double.NaN;
  private long forecastOrigin = NO_STEP;
  private double[] forecast = new double[0];
  private LiveProtection protection = new LiveProtection();
  private double[] ownBaseline = NO_BASELINE;

  private static final double[] NO_BASELINE = new double[0];

  /** A new key with room for {@code historyCapacity} values. */
  public KeyState(int historyCapacity) {
    this.history = new History(historyCapacity);
    this.covariates = new Covariates(historyCapacity);
  }

  /** The recent values. */
  public History history() {
    return history;
  }

  /** The recent covariates, one row per step of {@link #history()} (pushed with it). */
  public Covariates covariates() {
    return covariates;
  }

  /** Version of the model that produced {@link #hidden()}; -1 when none has. */
  public long modelVersion() {
    return modelVersion;
  }

  /** The hidden state (all layers' h and c), owned by the model of {@link #modelVersion()}. */
  public float[] hidden() {
    return hidden;
  }

  /** Replaces the hidden state and the version of the model it belongs to. */
  public void hidden(float[] newHidden, long version) {
    this.hidden = newHidden;
    this.modelVersion = version;
  }

  /** Start of the last step (observed or imputed), or {@link #NO_STEP}. */
  public long lastStep() {
    return lastStep;
  }

  public void lastStep(long start) {
    this.lastStep = start;
  }

  /** Observed (not imputed) steps since the key was new or last reset. */
  public long observedSteps() {
    return observedSteps;
  }

  /** Imputed steps in a row just before now. */
  public int imputedRun() {
    return imputedRun;
  }

  /** Counts a step: observed steps reset the imputed run, imputed ones extend it. */
  public void countStep(boolean imputed) {
    if (imputed) {
      imputedRun++;
    } else {
      imputedRun = 0;
      observedSteps++;
    }
  }

  /** The key's own scale mean (NaN when the model's scale for the key is used). */
  public double scaleMean() {
    return scaleMean;
  }

  /** The key's own scale spread (NaN when the model's scale for the key is used). */
  public double scaleSpread() {
    return scaleSpread;
  }

  public void scale(double mean, double spread) {
    this.scaleMean = mean;
    this.scaleSpread = spread;
  }

  /** Origin of the latest forecast, or {@link #NO_STEP}. */
  public long forecastOrigin() {
    return forecastOrigin;
  }

  /** The latest forecast, h = 1..H (empty before the first). */
  public double[] forecast() {
    return forecast;
  }

  /** Stores the latest forecast (copied). */
  public void forecast(long origin, double[] values) {
    this.forecastOrigin = origin;
    if (forecast.length != values.length) {
      forecast = new double[values.length];
    }
    System.arraycopy(values, 0, forecast, 0, values.length);
  }

  /**
   * The state of the key's own baseline ({@link KeyBaseline}: smoothing or autoregression), empty when it has none or
   * has not started; owned by the model of {@link #modelVersion()}.
   */
  public double[] ownBaseline() {
    return ownBaseline;
  }

  /** Replaces the own baseline's state (empty: none). */
  public void ownBaseline(double[] state) {
    this.ownBaseline = state.length == 0 ? NO_BASELINE : state;
  }

  /** Which source serves each horizon, with the evidence for it ({@link LiveProtection}). */
  public LiveProtection protection() {
    return protection;
  }

  /** Replaces the live protection (for deserialization). */
  public void protection(LiveProtection restored) {
    this.protection = java.util.Objects.requireNonNull(restored, "restored");
  }

  /**
   * Forgets everything but the history's capacity and the live protection's evidence: the key warms up again from
   * its next observation, and its pending forecasts are dropped (the serving step drops the quality part's).
   */
  public void reset() {
    history.clear();
    covariates.clear();
    modelVersion = -1;
    hidden = new float[0];
    lastStep = NO_STEP;
    observedSteps = 0;
    imputedRun = 0;
    scaleMean = Double.NaN;
    scaleSpread = Double.NaN;
    forecastOrigin = NO_STEP;
    forecast = new double[0];
    ownBaseline = NO_BASELINE;
    protection.clearPending();
  }

  /**
   * Forgets what the model made of this key (its hidden state set to zeros, its latest forecast and the pending
   * comparisons of its protection) and keeps what the key gave (history, covariates, counters, its own baseline): a
   * model whose output went non-finite must not cost the key its data, and the next model re-warms from it.
   */
  public void resetModel() {
    hidden = new float[hidden.length];
    forecastOrigin = NO_STEP;
    forecast = new double[0];
    protection.clearPending();
  }

  /** Restores the counters (for deserialization). */
  public void restoreCounters(long observed, int imputedInARow) {
    this.observedSteps = observed;
    this.imputedRun = imputedInARow;
  }

  // ---- persistence: the model part's own format ----

  /**
   * The version of the layout {@link #write} writes: 3 adds the covariates, 2 the own baseline's state; 1 and 2 stay
   * readable (without covariates: the older steps' covariates read as missing).
   */
  public static final byte FORMAT = 3;


  /** Bytes {@link #write} takes. */
  public int serializedSize() {
    return 1 + fieldsSize() + 1 + 8 * ownBaseline.length + covariates.serializedSize()
        + protection.serializedSize();
  }

  /**
   * The most bytes {@link #write} can take for a key with {@code historyCapacity} values of history, a recurrent
   * state of {@code stateFloats} floats, {@code horizon} steps ahead and {@code covariateFields} covariates: the bound
   * a pipeline checks against the largest record Kafka takes before it starts (a key's state is one changelog
   * record, and one too large to send stops the pipeline at every restart).
   */
  public static long maxSerializedSize(int historyCapacity, int stateFloats, int horizon, int covariateFields) {
    long fields = 8 * 3 + 4 + 8 * 2 + 4 + 4L * stateFloats + 4 + 8L * historyCapacity + (historyCapacity + 7) / 8
        + 8 + 4 + 8L * horizon;
    // the own baseline's length is written as one byte
    return 1 + fields + 1 + 8L * 255 + Covariates.maxSerializedSize(historyCapacity, covariateFields)
        + LiveProtection.maxSerializedSize(horizon);
  }

  /** Bytes {@link #writeFields} takes. */
  public int fieldsSize() {
    int size = history.size();
    return 8 * 3 + 4 + 8 * 2 + 4 + 4 * hidden.length + 4 + 8 * size + (size + 7) / 8 + 8 + 4 + 8 * forecast.length;
  }

  /**
   * Writes {@code byte FORMAT; long modelVersion; long lastStep; long observedSteps; int imputedRun; double scaleMean;
   * double scaleSpread; int n; float[n] hidden; int size; double[size] history (oldest first); bytes[ceil(size/8)]
   * imputed bits; long forecastOrigin; int h; double[h] forecast; byte k; double[k] own baseline}, the covariates
   * ({@link Covariates#write}), then the live protection ({@link LiveProtection#write}). Values stay in the
   * precision they are computed in, so a restored key steps exactly as one that was never stored.
   */
  public void write(ByteBuffer b) {
    b.put(FORMAT);
    writeFields(b);
    b.put((byte) ownBaseline.length);
    for (double v : ownBaseline) {
      b.putDouble(v);
    }
    covariates.write(b);
    protection.write(b);
  }

  /** The fields of {@link #write} between the version byte and the live protection (the layout of key state v1). */
  public void writeFields(ByteBuffer b) {
    b.putLong(modelVersion).putLong(lastStep).putLong(observedSteps).putInt(imputedRun).putDouble(scaleMean)
        .putDouble(scaleSpread);
    b.putInt(hidden.length);
    for (float f : hidden) {
      b.putFloat(f);
    }
    int size = history.size();
    b.putInt(size);
    for (double v : history.valuesOldestFirst()) {
      b.putDouble(v);
    }
    boolean[] imputed = history.imputedOldestFirst();
    for (int i = 0; i < size; i += 8) {
      int bits = 0;
      for (int j = 0; j < 8 && i + j < size; j++) {
        if (imputed[i + j]) {
          bits |= 1 << j;
        }
      }
      b.put((byte) bits);
    }
    b.putLong(forecastOrigin).putInt(forecast.length);
    for (double v : forecast) {
      b.putDouble(v);
    }
  }

  /**
   * Reads what {@link #write} wrote, into a state with room for {@code historyCapacity} values (a history written
   * with another capacity keeps its newest values). Every length is checked against the bytes that remain before
   * anything is allocated.
   *
   * @throws IllegalArgumentException for bytes that are not such a state (truncated, inconsistent, unknown version)
   */
  public static KeyState read(ByteBuffer b, int historyCapacity) {
    try {
      byte version = b.get();
      if (version < 1 || version > FORMAT) {
        throw new IllegalArgumentException("model state has unknown format version " + version);
      }
      KeyState s = readFields(b, historyCapacity);
      if (version >= 2) {
        int k = b.get() & 0xff;
        if (k > KeyBaseline.MAX_STATE || 8L * k > b.remaining()) {
          throw new IllegalArgumentException("own baseline state length " + k + " with " + b.remaining()
              + " bytes left");
        }
        double[] own = new double[k];
        for (int i = 0; i < k; i++) {
          own[i] = b.getDouble();
        }
        s.ownBaseline(own);
      }
      if (version >= 3) {
        s.covariates().read(b);
      }
      s.protection(LiveProtection.read(b));
      return s;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("model state is truncated", e);
    }
  }

  /** Reads the fields {@link #writeFields} wrote. */
  public static KeyState readFields(ByteBuffer b, int historyCapacity) {
    KeyState s = new KeyState(historyCapacity);
    long version = b.getLong();
    s.lastStep(b.getLong());
    long observed = b.getLong();
    int imputedRun = b.getInt();
    s.restoreCounters(observed, imputedRun);
    s.scale(b.getDouble(), b.getDouble());
    float[] hidden = new float[length(b, 4, "hidden state")];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = b.getFloat();
    }
    s.hidden(hidden, version);
    int size = b.getInt();
    if (size < 0 || 8L * size + (size + 7L) / 8 > b.remaining()) {
      throw new IllegalArgumentException("history length " + size + " with " + b.remaining() + " bytes left");
    }
    double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      values[i] = b.getDouble();
    }
    byte[] bits = new byte[(size + 7) / 8];
    b.get(bits);
    for (int i = Math.max(0, size - historyCapacity); i < size; i++) {
      s.history().push(values[i], (bits[i / 8] & (1 << (i % 8))) != 0);
    }
    long origin = b.getLong();
    double[] forecast = new double[length(b, 8, "forecast")];
    for (int i = 0; i < forecast.length; i++) {
      forecast[i] = b.getDouble();
    }
    if (origin != NO_STEP) {
      s.forecast(origin, forecast);
    }
    return s;
  }

  /** A length read from {@code b}, checked: at least 0 and {@code unit} bytes each no more than what remains. */
  private static int length(ByteBuffer b, int unit, String what) {
    int n = b.getInt();
    if (n < 0 || (long) n * unit > b.remaining()) {
      throw new IllegalArgumentException(what + " length " + n + " with " + b.remaining() + " bytes left");
    }
    return n;
  }

  @Override
  public String toString() {
    return "KeyState[model v" + modelVersion + ", steps " + observedSteps + ", history " + history.size()
        + ", hidden " + hidden.length + ", forecast " + Arrays.toString(forecast) + "]";
  }
}
