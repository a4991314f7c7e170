package org.streamcast.bench;

import java.time.Duration;
import java.time.Instant;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;

/**
 * The pipeline the benchmark runs: hourly steps, a one-layer GRU with 64 hidden units, 12 steps ahead, a daily
 * seasonal lag, time-of-day and day-of-week inputs, two days of context. Every other field has the spec's default,
 * so it is the pipeline a user gets from a short spec. Events carry their key in a JSON field ({@code keyField: key},
 * the default), so the pipeline repartitions them by key, as the shipped pipelines do; or, as a variant, the pipeline
 * takes the key from the record key (the events' record keys are their series keys) and skips the repartition.
 */
public final class BenchSpec {
  /** The step of the workload and the pipeline. */
  public static final Duration STEP = Duration.ofHours(1);
  /** The event time of step 0. */
  public static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  /** Hidden units of the GRU. */
  public static final int HIDDEN = 64;
  /** Steps forecast at once. */
  public static final int HORIZON = 12;
  /** The one seasonal lag (a day of hourly steps). */
  public static final int SEASONAL_LAG = 24;
  /**
   * Observed steps a key needs before it forecasts: the served model's warm-up, its longest seasonal lag plus one
   * (the head's change-over-the-lag input needs {@code y[t − m]}).
   */
  public static final int WARMUP_STEPS = SEASONAL_LAG + 1;

  private BenchSpec() {}

  /**
   * The YAML of the pipeline named {@code name} reading {@code inputTopic}; with {@code recordKey} it takes the series
   * key from the record key ({@code keyField: null}) and needs no repartition.
   */
  public static String yaml(String name, String inputTopic, boolean recordKey) {
    return String.join("\n",
        "name: " + name,
        "input: {topic: " + inputTopic + ", keyField: " + (recordKey ? "null" : "key")
            + ", timeField: ts, valueFields: [value]}",
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model:",
        "  type: gru",
        "  layers: 1",
        "  hiddenSize: " + HIDDEN,
        "  horizon: " + HORIZON,
        "  seasonalLags: [" + SEASONAL_LAG + "]",
        "  calendar: [time_of_day, day_of_week]",
        "  context: 48",
        "  gaps: {policy: impute, maxImputed: 6}",
        "");
  }

  /** The pipeline named {@code name} reading {@code inputTopic} (key from the JSON field). */
  public static PipelineSpec of(String name, String inputTopic) {
    return of(name, inputTopic, false);
  }

  /** The pipeline named {@code name} reading {@code inputTopic}; see {@link #yaml}. */
  public static PipelineSpec of(String name, String inputTopic, boolean recordKey) {
    return SpecLoader.parse(name + ".yaml", yaml(name, inputTopic, recordKey));
  }

  /** One line describing the pipeline, for reports. */
  public static String describe(boolean recordKey) {
    return "hourly steps, mean of each step, grace 0; GRU 1 x " + HIDDEN + ", horizon " + HORIZON
        + ", seasonal lag " + SEASONAL_LAG + ", time of day and day of week, context 48 steps (72 values of history "
        + "per key); " + (recordKey ? "key from the record key (keyField: null), so no repartition"
            : "key from the JSON field (keyField: key, the default), so events are repartitioned by key");
  }
}
