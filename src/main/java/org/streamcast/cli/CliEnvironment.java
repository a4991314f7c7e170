package org.streamcast.cli;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * What commands take from the process: environment variables, standard input, and whether standard error is a
 * terminal (progress bars) or not (periodic log lines). Tests pass their own.
 *
 * @param variables environment variables
 * @param stdin     standard input
 * @param terminal  whether the user watches a terminal
 */
public record CliEnvironment(Map<String, String> variables, InputStream stdin, boolean terminal) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(stdin, "stdin");
  }

  /** The real process environment. */
  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), System.in, System.console() != null);
  }
}
