package org.streamcast.config;

/**
 * A pipeline spec (or option) that cannot be used. The message is one line a user can act on, naming the file, the
 * field and the bad value, e.g. {@code topologies/x.yaml: window.step: "5 minuts" is not a duration (try 30s, 5m,
 * 1h)}. The CLI prints it and exits with code 2.
 */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message, null, false, false);
  }

  /** {@code source: field: reason}, the house format. */
  public static SpecException of(String source, String field, String reason) {
    return new SpecException(source + ": " + field + ": " + reason);
  }
}
