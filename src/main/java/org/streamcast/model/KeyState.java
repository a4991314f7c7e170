package org.streamcast.model;

import java.util.Arrays;
import org.streamcast.quality.KeyScores;

/**
 * Everything one key carries between steps: the hidden state of the model that produced it (with that model's
 * version), the recent history, the step counters, the key's own scale when the model has none for it, the
 * latest forecast, its live scores (pending forecasts and recent errors, see {@link KeyScores}) and which source
 * serves each horizon ({@link LiveProtection}). Mutable and owned by one thread at a time (a Kafka Streams task, or
 * a backtest cursor); persisted by the topology's versioned serde.
 */
public final class KeyState {
  /** Marks "no step yet". */
  public static final long NO_STEP = Long.MIN_VALUE;

  private final History history;
  private long modelVersion = -1;
  private float[] hidden = new float[0];
  private long lastStep = NO_STEP;
  private long observedSteps;
  private int imputedRun;
  private double scaleMean = Double.NaN;
  private double scaleSpread = Double.NaN;
  private long forecastOrigin = NO_STEP;
  private double[] forecast = new double[0];
  private KeyScores scores = new KeyScores();
  private String corruption;
  private LiveProtection protection = new LiveProtection();

  /**
   * Values of history a key keeps under {@code model}: its context (for re-warming a new model) plus the longest
   * seasonal lag (so every replayed step has its lag inputs).
   */
  public static int historyCapacity(org.streamcast.config.PipelineSpec.Model model) {
    int maxLag = model.seasonalLags().stream().mapToInt(Integer::intValue).max().orElse(1);
    return Math.max(model.context(), 1) + maxLag;
  }

  /** A new key with room for {@code historyCapacity} values. */
  public KeyState(int historyCapacity) {
    this.history = new History(historyCapacity);
  }

  /**
   * A marker for a stored entry that could not be decoded (corrupt bytes, or a format newer than this version reads):
   * the store's reader returns it instead of failing, and the stream processor starts the key over.
   *
   * @param why one line saying what is wrong with the entry
   */
  public static KeyState corrupt(String why) {
    KeyState s = new KeyState(1);
    s.corruption = java.util.Objects.requireNonNull(why, "why");
    return s;
  }

  /** Why this is a {@link #corrupt} marker, or null for a real state. */
  public String corruption() {
    return corruption;
  }

  /** The recent values. */
  public History history() {
    return history;
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

  /** The key's live scores: pending forecasts and recent errors (unshaped until the stream processor shapes it). */
  public KeyScores scores() {
    return scores;
  }

  /** Replaces the live scores (for deserialization). */
  public void scores(KeyScores restored) {
    this.scores = java.util.Objects.requireNonNull(restored, "restored");
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
   * Forgets everything but the history's capacity, the recent errors and the live protection's evidence: the key
   * warms up again from its next observation, and its pending forecasts are dropped.
   */
  public void reset() {
    history.clear();
    modelVersion = -1;
    hidden = new float[0];
    lastStep = NO_STEP;
    observedSteps = 0;
    imputedRun = 0;
    scaleMean = Double.NaN;
    scaleSpread = Double.NaN;
    forecastOrigin = NO_STEP;
    forecast = new double[0];
    scores.clearPending();
    protection.clearPending();
  }

  /** Restores the counters (for deserialization). */
  public void restoreCounters(long observed, int imputedInARow) {
    this.observedSteps = observed;
    this.imputedRun = imputedInARow;
  }

  @Override
  public String toString() {
    return "KeyState[model v" + modelVersion + ", steps " + observedSteps + ", history " + history.size()
        + ", hidden " + hidden.length + ", forecast " + Arrays.toString(forecast) + "]";
  }
}
