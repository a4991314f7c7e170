package org.streamcast.bench;

/**
 * The sizes of one benchmark run, validated once. Error messages name the command-line option and the value.
 *
 * @param events        events of the throughput workload (rounded down to whole steps of {@code keys} events)
 * @param keys          series keys of the throughput and latency workloads
 * @param rate          events per second of the latency phase
 * @param passes        measured passes per figure (the median and the spread are over these)
 * @param warmupPasses  passes run before them and reported separately
 * @param latencySteps  steps per latency pass ({@code keys} events each)
 * @param restoreKeys   keys of the state-scale phase
 * @param restoreSteps  steps per key in the state-scale phase
 * @param partitions    partitions of the input topics
 * @param eventsPerStep events per key per step of the throughput workload (the latency and state phases send one)
 */
public record BenchPlan(long events, int keys, double rate, int passes, int warmupPasses, int latencySteps,
    int restoreKeys, int restoreSteps, int partitions, int eventsPerStep) {

  /** The most events per key per step (one a second of an hourly step). */
  public static final int MAX_EVENTS_PER_STEP = 3600;

  /** The plan of the issue: 1,000,000 events over 10,000 keys, 5,000 events/s, 100,000 keys restored. */
  public static final BenchPlan DEFAULT = new BenchPlan(1_000_000, 10_000, 5_000, 3, 1, 5, 100_000,
      BenchSpec.WARMUP_STEPS + 2, 4, 1);

  public BenchPlan {
    require(keys >= 1, "--keys", keys, "is not a positive number of keys");
    require(partitions >= 1 && partitions <= 1000, "--partitions", partitions, "is not between 1 and 1000");
    require(keys >= partitions, "--keys", keys, "is fewer than the " + partitions + " partitions");
    require(eventsPerStep >= 1 && eventsPerStep <= MAX_EVENTS_PER_STEP, "--events-per-step", eventsPerStep,
        "is not between 1 and " + MAX_EVENTS_PER_STEP);
    long steps = events / keys / eventsPerStep;
    require(steps >= minSteps(), "--events", events, "over " + keys + " keys" + (eventsPerStep > 1 ? " at "
        + eventsPerStep + " events per step" : "") + " is " + steps
        + " steps per key; the model forecasts after a " + BenchSpec.WARMUP_STEPS + "-step warm-up, so at least "
        + minSteps() + " steps (" + minSteps() * (long) keys * eventsPerStep + " events) are needed");
    require(steps * keys * eventsPerStep <= Integer.MAX_VALUE, "--events", events, "is more than "
        + Integer.MAX_VALUE);
    require(rate > 0 && Double.isFinite(rate), "--rate", rate, "is not a positive number of events per second");
    require(passes >= 1 && passes <= 100, "--passes", passes, "is not between 1 and 100");
    require(warmupPasses >= 1 && warmupPasses <= 10, "--warmup-passes", warmupPasses, "is not between 1 and 10");
    require(latencySteps >= 1, "--latency-steps", latencySteps, "is not a positive number of steps");
    require(restoreKeys >= partitions, "--restore-keys", restoreKeys, "is fewer than the " + partitions
        + " partitions");
    require(restoreSteps >= 2, "--restore-steps", restoreSteps,
        "is fewer than 2 (a key's first window closes when its second step arrives)");
    require((long) restoreKeys * restoreSteps <= Integer.MAX_VALUE, "--restore-keys", restoreKeys,
        "times --restore-steps " + restoreSteps + " is more than " + Integer.MAX_VALUE + " events");
  }

  /** Fewest steps per key that give forecasts: the warm-up, a forecast, and the step that closes its window. */
  public static int minSteps() {
    return BenchSpec.WARMUP_STEPS + 2;
  }

  /** Steps per key of the throughput workload. */
  public int steps() {
    return (int) (events / keys / eventsPerStep);
  }

  /** Events the throughput workload really sends: whole steps. */
  public int throughputEvents() {
    return steps() * keys * eventsPerStep;
  }

  /** Steps sent at full speed before the latency phase is paced: every key is then past its warm-up. */
  public int latencyPrefeedSteps() {
    return BenchSpec.WARMUP_STEPS + 1;
  }

  /** Steps of one latency run: the pre-feed, then the warm-up passes and the measured passes. */
  public int latencyRunSteps() {
    return latencyPrefeedSteps() + (warmupPasses + passes) * latencySteps;
  }

  private static void require(boolean ok, String option, Object value, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(option + ": " + format(value) + " " + problem);
    }
  }

  private static String format(Object value) {
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }
}
