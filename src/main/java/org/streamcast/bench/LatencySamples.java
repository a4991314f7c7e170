package org.streamcast.bench;

import java.util.Arrays;

/**
 * Latency samples of one run, split into passes of equal length; each pass gives its percentiles. One collector
 * thread adds while the benchmark thread watches the counts: the methods are synchronized.
 */
final class LatencySamples {
  private final long[][] nanos;
  private final int[] counts;

  /**
   * @param passes  passes of the run
   * @param perPass samples expected per pass
   */
  LatencySamples(int passes, int perPass) {
    nanos = new long[passes][perPass];
    counts = new int[passes];
  }

  /** Adds a sample to {@code pass}; samples beyond the expected count of a pass are an error. */
  synchronized void add(int pass, long latencyNanos) {
    if (counts[pass] == nanos[pass].length) {
      throw new IllegalStateException("pass " + pass + " got more than the expected " + nanos[pass].length
          + " samples: an output arrived twice");
    }
    nanos[pass][counts[pass]++] = latencyNanos;
  }

  /** Passes of the run. */
  int passes() {
    return nanos.length;
  }

  /** Samples of pass {@code pass} so far. */
  synchronized int count(int pass) {
    return counts[pass];
  }

  /** Samples expected in pass {@code pass}. */
  int expected(int pass) {
    return nanos[pass].length;
  }

  /** The percentiles of pass {@code pass}. */
  synchronized Percentiles percentiles(int pass) {
    long[] sorted = Arrays.copyOf(nanos[pass], counts[pass]);
    Arrays.sort(sorted);
    return new Percentiles(rank(sorted, 0.5), rank(sorted, 0.99), rank(sorted, 0.999), sorted.length);
  }

  /** Nearest-rank percentile in milliseconds. */
  static double rank(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /**
   * Latency percentiles of one pass, in milliseconds.
   *
   * @param p50  median
   * @param p99  99th percentile
   * @param p999 99.9th percentile
   * @param n    samples
   */
  record Percentiles(double p50, double p99, double p999, int n) {}
}
