package org.streamcast.domain;

/**
 * Receives the pipeline's countable events (dead letters, closed windows, forecasts, ...) and the steps of the spec's
 * watched keys. The metrics layer implements it with meters; processors call it on their hot path, so
 * implementations must be cheap and thread-safe.
 */
public interface PipelineObserver {

  /** Ignores everything. */
  PipelineObserver NONE = new PipelineObserver() {};

  /** An input record was accepted into its window (parsed, valid, in time and not overflowing it). */
  default void accepted() {}

  /** A record went to the dead-letter topic. */
  default void deadLettered(DeadLetterReason reason) {}

  /** A window closed and its step was emitted. */
  default void windowClosed() {}

  /**
   * The keys this instance holds changed: {@code tracked} more keys in its stores (negative when a task left), of
   * which {@code warming} more have not forecast yet (negative when keys warmed up).
   */
  default void keys(long tracked, long warming) {}

  /**
   * A step was processed by the model in {@code nanos} (for keys stepped together, an equal share of the batch's
   * time); {@code forecast} says whether it produced a forecast.
   */
  default void stepped(long nanos, boolean forecast) {}

  /**
   * A forecast was published, {@code lagMillis} of wall-clock time after the end of its origin step (event time):
   * the event-time-to-forecast lag.
   */
  default void published(long lagMillis) {}

  /** {@code steps} missing steps were imputed with the model's own forecasts. */
  default void imputed(int steps) {}

  /** A key's state was reset (a gap longer than the policy allows, or a non-finite model output). */
  default void reset() {}

  /** A key's forecast was withheld because the model gave a non-finite value (the key was reset). */
  default void withheld() {}

  /** A key's entry in a state store could not be decoded (corrupt, or a newer format): the key starts over. */
  default void stateEntryReset() {}

  /**
   * {@code keys} keys idle longer than the spec's {@code state.keyIdleTimeout} had their state deleted (they also
   * leave the {@link #keys} counts, reported there).
   */
  default void expired(int keys) {}

  /** A key's hidden state was rebuilt for a new model version. */
  default void rewarmed() {}

  /** Live protection switched {@code horizons} of a key from the learned output to its baseline. */
  default void fellBack(int horizons) {}

  /**
   * A step was an anomaly of {@code kind} ({@link Anomaly#BAND}: its actual fell outside the band forecast for it at
   * {@code anomalies.level}; {@link Anomaly#FLATLINE} or {@link Anomaly#SHIFT}: a watch flagged it inside):
   * {@code published} when it went to the anomalies topic, false when the key's rate limit suppressed it.
   */
  default void anomaly(String kind, boolean published) {}

  /** A step of a key on the spec's {@code watch} list (never called for other keys). */
  default void watched(Watched step) {}

  /**
   * One step of a watched key.
   *
   * @param key      the key
   * @param start    start of the step (epoch ms)
   * @param actual   the step's value
   * @param forecast the one-step-ahead forecast made for this step at the step before (NaN when none was)
   * @param lower    that forecast's lower bound per interval level (NaN: no interval)
   * @param upper    that forecast's upper bound per interval level (NaN: no interval)
   * @param latest   the forecast published at this step, or null while the key warms up
   * @param anomalyStart the start of the step an anomaly flagged at this step is about (published or suppressed):
   *                     this step's, or an earlier one for a spike found when the next step came back; {@link #NONE}
   *                     when none was flagged
   */
  record Watched(String key, long start, double actual, double forecast, double[] lower, double[] upper,
      Forecast latest, long anomalyStart) {
    /** {@link #anomalyStart} when no anomaly was flagged at the step. */
    public static final long NONE = Long.MIN_VALUE;

    /** A step that flagged no anomaly. */
    public Watched(String key, long start, double actual, double forecast, double[] lower, double[] upper,
        Forecast latest) {
      this(key, start, actual, forecast, lower, upper, latest, NONE);
    }
  }
}
