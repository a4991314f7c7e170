package org.streamcast.model;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model a pipeline serves now. Swapping is one atomic reference write, so a record is processed entirely with
 * the model it read at its start: never with a half-loaded one.
 */
public final class ModelHolder {
  private final AtomicReference<Forecaster> current;

  /** Serves {@code initial} (usually the seasonal-naive baseline) until {@link #swap} is called. */
  public ModelHolder(Forecaster initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /** The model to use for the next record. */
  public Forecaster current() {
    return current.get();
  }

  /** Serves {@code next} from the next record on; returns the model it replaces. */
  public Forecaster swap(Forecaster next) {
    return current.getAndSet(Objects.requireNonNull(next, "next"));
  }
}
