package org.streamcast.training;

import java.io.PrintStream;

/**
 * Silences a debugging print in ND4J 1.0.0-M2.1: {@code SameDiff.createGradFunction} writes
 * {@code "Added differentiated op <name>"} to {@code System.out} for every op of a graph (thousands of lines for a
 * GRU over a long window), which would bury the command's own output. {@link #install()} puts a filter in front of
 * {@code System.out} that drops exactly those lines and passes everything else through unchanged. Idempotent and
 * thread-safe.
 */
final class SameDiffChatter {

  private static final String PREFIX = "Added differentiated op ";

  private SameDiffChatter() {}

  static synchronized void install() {
    if (!(System.out instanceof Filter)) {
      System.setOut(new Filter(System.out));
    }
  }

  /** Drops ND4J's per-op lines. */
  static final class Filter extends PrintStream {
    Filter(PrintStream out) {
      super(out, true);
    }

    @Override
    public void println(String line) {
      if (line == null || !line.startsWith(PREFIX)) {
        super.println(line);
      }
    }
  }
}
