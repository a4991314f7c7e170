package org.streamcast.topology;

import org.streamcast.domain.DeadLetterReason;

/**
 * Receives the pipeline's countable events (dead letters, closed windows, ...). The metrics layer implements it with
 * meters; processors call it on their hot path, so implementations must be cheap and thread-safe.
 */
public interface PipelineObserver {

  /** Ignores everything. */
  PipelineObserver NONE = new PipelineObserver() {};

  /** An input record was accepted (parsed and validated). */
  default void accepted() {}

  /** A record went to the dead-letter topic. */
  default void deadLettered(DeadLetterReason reason) {}

  /** A window closed and its step was emitted. */
  default void windowClosed() {}

  /** A key was seen for the first time (or again after a reset): it starts warming up. */
  default void keyStarted() {}

  /** A key made its first forecast: it is no longer warming up. */
  default void keyWarm() {}

  /** A step was processed by the model in {@code nanos}; {@code forecast} says whether it produced a forecast. */
  default void stepped(long nanos, boolean forecast) {}

  /** {@code steps} missing steps were imputed with the model's own forecasts. */
  default void imputed(int steps) {}

  /** A key's state was reset (a gap longer than the policy allows). */
  default void reset() {}

  /** A key's hidden state was rebuilt for a new model version. */
  default void rewarmed() {}
}
