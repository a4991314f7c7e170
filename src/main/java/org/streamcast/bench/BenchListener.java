package org.streamcast.bench;

/**
 * Hears how a benchmark run advances: countable tasks (for a progress bar or log lines) and one line per finished
 * pass. Never called concurrently (the restore progress comes from a stream thread while the benchmark waits).
 */
public interface BenchListener {
  /** Hears nothing. */
  BenchListener NONE = new BenchListener() {};

  /** A task of {@code total} {@code unit}s starts, e.g. {@code ("produce 1,000,000 events", 1000000, "ev")}. */
  default void started(String task, long total, String unit) {}

  /** {@code done} of the current task's total are done. */
  default void progressed(long done) {}

  /** The current task ended. */
  default void finished() {}

  /** A pass ended with this result, e.g. {@code pass-through throughput, pass 1/3: 181,234 rec/s}. */
  default void passDone(String line) {}
}
