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
}
