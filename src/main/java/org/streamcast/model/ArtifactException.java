package org.streamcast.model;

import java.util.Objects;

/** An artifact that failed verification: the message says what is wrong, {@link #reason()} the class of fault. */
public final class ArtifactException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final Rejection reason;

  public ArtifactException(Rejection reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The class of fault. */
  public Rejection reason() {
    return reason;
  }
}
