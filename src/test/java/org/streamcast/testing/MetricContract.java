package org.streamcast.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The metrics the app promises to Prometheus (and so to the Grafana dashboards), by their exposed names, with the
 * labels each carries. The one list that {@link DashboardQueries}, the dashboard static checks and the live
 * {@code /metrics} check all compare against.
 *
 * <p>Names are as Prometheus sees them: counters with {@code _total}; histograms and summaries by their base name
 * (their samples are {@code _count}, {@code _sum}, and for histograms {@code _bucket}).
 */
public final class MetricContract {

  /** How a metric appears in the exposition format. */
  public enum Kind {
    /** One sample named like the metric (ends in {@code _total}). */
    COUNTER,
    /** One sample named like the metric. */
    GAUGE,
    /** Samples {@code <name>_bucket}, {@code <name>_count}, {@code <name>_sum}. */
    HISTOGRAM,
    /** Samples {@code <name>_count}, {@code <name>_sum} (a Micrometer timer without buckets). */
    SUMMARY
  }

  /** One promised metric: exposed name, kind and the labels its series carry. */
  public record Metric(String name, Kind kind, Set<String> labels) {}

  /** Labels Prometheus adds to every scraped series. */
  public static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  private static final String P = "pipeline";

  /**
   * Every metric the dashboards may use: streamcast's own, then those of the Kafka Streams, JVM and process binders.
   */
  public static final List<Metric> METRICS = List.of(
      new Metric("streamcast_records_in_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_dead_letters_total", Kind.COUNTER, Set.of(P, "reason")),
      new Metric("streamcast_late_events_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_windows_closed_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_steps_imputed_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_forecasts_out_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_rewarms_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_key_resets_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_forecasts_withheld_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_state_entries_reset_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_fallbacks_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_keys_expired_total", Kind.COUNTER, Set.of(P)),
      new Metric("streamcast_anomalies_total", Kind.COUNTER, Set.of(P, "kind")),
      new Metric("streamcast_anomalies_suppressed_total", Kind.COUNTER, Set.of(P, "kind")),
      new Metric("streamcast_training_runs_total", Kind.COUNTER, Set.of(P, "outcome")),
      new Metric("streamcast_models_rejected_total", Kind.COUNTER, Set.of(P, "reason")),
      new Metric("streamcast_keys_tracked", Kind.GAUGE, Set.of(P)),
      new Metric("streamcast_keys_warming", Kind.GAUGE, Set.of(P)),
      new Metric("streamcast_model_version", Kind.GAUGE, Set.of(P)),
      new Metric("streamcast_model_age_seconds", Kind.GAUGE, Set.of(P)),
      new Metric("streamcast_training_loss", Kind.GAUGE, Set.of(P, "split")),
      new Metric("streamcast_training_duration_seconds", Kind.GAUGE, Set.of(P)),
      new Metric("streamcast_forecast_mae", Kind.GAUGE, Set.of(P, "horizon")),
      new Metric("streamcast_forecast_rmse", Kind.GAUGE, Set.of(P, "horizon")),
      new Metric("streamcast_forecast_skill", Kind.GAUGE, Set.of(P, "horizon")),
      new Metric("streamcast_interval_coverage", Kind.GAUGE, Set.of(P, "level")),
      new Metric("streamcast_interval_group_coverage", Kind.GAUGE, Set.of(P, "level", "horizons")),
      new Metric("streamcast_watch_actual", Kind.GAUGE, Set.of(P, "key")),
      new Metric("streamcast_watch_forecast", Kind.GAUGE, Set.of(P, "key")),
      new Metric("streamcast_watch_lower", Kind.GAUGE, Set.of(P, "key", "level")),
      new Metric("streamcast_watch_upper", Kind.GAUGE, Set.of(P, "key", "level")),
      new Metric("streamcast_inference_seconds", Kind.HISTOGRAM, Set.of(P, "le")),
      new Metric("streamcast_forecast_lag_seconds", Kind.HISTOGRAM, Set.of(P, "le")),
      // KafkaStreamsMetrics (micrometer 1.17.2): "kafka." + group without "-metrics" + "." + name, dashes to dots.
      new Metric("kafka_stream_thread_process_rate", Kind.GAUGE, Set.of(P, "kafka_version", "thread_id")),
      new Metric("kafka_consumer_fetch_manager_records_lag_max", Kind.GAUGE,
          Set.of(P, "kafka_version", "client_id", "topic", "partition")),
      // JvmMemoryMetrics, JvmGcMetrics, ProcessorMetrics: process-wide, no pipeline tag.
      new Metric("jvm_memory_used_bytes", Kind.GAUGE, Set.of("area", "id")),
      new Metric("jvm_gc_pause_seconds", Kind.SUMMARY, Set.of("action", "cause", "gc")),
      new Metric("process_cpu_usage", Kind.GAUGE, Set.of()));

  /** {@link #METRICS} by name. */
  public static final Map<String, Metric> BY_NAME =
      METRICS.stream().collect(Collectors.toUnmodifiableMap(Metric::name, Function.identity()));

  private MetricContract() {}

  /** Every label of the contract plus {@link #TARGET_LABELS}. */
  public static Set<String> allLabels() {
    Set<String> all = new TreeSet<>(TARGET_LABELS);
    METRICS.forEach(m -> all.addAll(m.labels()));
    return all;
  }

  /**
   * The contract metric a sample or metric name belongs to: the name itself, or for {@code _bucket} (histograms),
   * {@code _count} and {@code _sum} (histograms and summaries) the declared base.
   */
  public static Optional<Metric> resolve(String name) {
    Metric direct = BY_NAME.get(name);
    if (direct != null) {
      return Optional.of(direct);
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)) {
        Metric base = BY_NAME.get(name.substring(0, name.length() - suffix.length()));
        if (base != null && (base.kind() == Kind.HISTOGRAM || (base.kind() == Kind.SUMMARY && !suffix.equals(
            "_bucket")))) {
          return Optional.of(base);
        }
      }
    }
    return Optional.empty();
  }

  /** The sample names in a Prometheus text exposition (comment lines skipped). */
  public static Set<String> sampleNames(String exposition) {
    return exposition.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> l.split("[{\\s]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The label names each contract metric carries in an exposition (union over its samples; a histogram's
   * {@code _bucket} samples add {@code le}). Samples that belong to no contract metric are left out.
   */
  public static Map<String, Set<String>> labelNames(String exposition) {
    Map<String, Set<String>> out = new java.util.TreeMap<>();
    exposition.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(line -> {
      String sample = line.split("[{\\s]", 2)[0];
      resolve(sample).ifPresent(m -> out.computeIfAbsent(m.name(), k -> new TreeSet<>()).addAll(labelsOf(line)));
    });
    return out;
  }

  /** The label names of one sample line, e.g. {@code a{x="1",y="2, \"3\""} 4} gives x and y. */
  static Set<String> labelsOf(String line) {
    Set<String> labels = new TreeSet<>();
    int open = line.indexOf('{');
    if (open < 0) {
      return labels;
    }
    int i = open + 1;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      labels.add(line.substring(i, eq).strip());
      i = eq + 2; // past ="
      while (line.charAt(i) != '"') {
        i += line.charAt(i) == '\\' ? 2 : 1;
      }
      i++; // past the closing quote
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return labels;
  }

  /**
   * Of {@code names} (contract names), those the exposition does not carry: a counter or gauge needs its sample, a
   * histogram its {@code _bucket} and {@code _count} samples, a summary its {@code _count} sample.
   *
   * @throws IllegalArgumentException for a name not in the contract
   */
  public static Set<String> missingFrom(String exposition, Collection<String> names) {
    Set<String> samples = sampleNames(exposition);
    Set<String> missing = new TreeSet<>();
    for (String name : names) {
      Metric m = BY_NAME.get(name);
      if (m == null) {
        throw new IllegalArgumentException(name + " is not in the metric contract");
      }
      boolean present = switch (m.kind()) {
        case COUNTER, GAUGE -> samples.contains(name);
        case HISTOGRAM -> Stream.of("_bucket", "_count").allMatch(s -> samples.contains(name + s));
        case SUMMARY -> samples.contains(name + "_count");
      };
      if (!present) {
        missing.add(name);
      }
    }
    return missing;
  }
}
