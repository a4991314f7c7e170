package org.streamcast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricContractTest {
  private static final String SCRAPE = String.join("\n",
      "# HELP streamcast_records_in_total Input records accepted",
      "# TYPE streamcast_records_in_total counter",
      "streamcast_records_in_total{pipeline=\"electricity\"} 42.0",
      "streamcast_inference_seconds_bucket{pipeline=\"electricity\",le=\"0.001\"} 3",
      "streamcast_inference_seconds_count{pipeline=\"electricity\"} 3",
      "streamcast_inference_seconds_sum{pipeline=\"electricity\"} 0.002",
      "streamcast_forecast_lag_seconds_count{pipeline=\"electricity\"} 3",
      "jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"Allocation Failure\",gc=\"PS Scavenge\"} 1",
      "process_cpu_usage 0.25",
      "");

  @Test
  void shouldReadSampleNamesWhenParsingTheExposition() {
    assertEquals(Set.of("streamcast_records_in_total", "streamcast_inference_seconds_bucket",
        "streamcast_inference_seconds_count", "streamcast_inference_seconds_sum",
        "streamcast_forecast_lag_seconds_count", "jvm_gc_pause_seconds_count", "process_cpu_usage"),
        MetricContract.sampleNames(SCRAPE));
  }

  @Test
  void shouldReportMissingMetricsWhenSamplesAreAbsent() {
    assertEquals(Set.of("streamcast_forecast_lag_seconds", "streamcast_keys_tracked"),
        MetricContract.missingFrom(SCRAPE, List.of("streamcast_records_in_total", "streamcast_inference_seconds",
            "streamcast_forecast_lag_seconds", "jvm_gc_pause_seconds", "process_cpu_usage",
            "streamcast_keys_tracked")));
    assertThrows(IllegalArgumentException.class, () -> MetricContract.missingFrom(SCRAPE, List.of("nope")));
  }

  @Test
  void shouldCollectLabelNamesPerContractMetricWhenParsingTheExposition() {
    assertEquals(java.util.Map.of(
        "streamcast_records_in_total", Set.of("pipeline"),
        "streamcast_inference_seconds", Set.of("pipeline", "le"),
        "streamcast_forecast_lag_seconds", Set.of("pipeline"),
        "jvm_gc_pause_seconds", Set.of("action", "cause", "gc"),
        "process_cpu_usage", Set.of()), MetricContract.labelNames(SCRAPE));
    assertEquals(Set.of("key", "level"),
        MetricContract.labelsOf("m{key=\"a,\\\"b}\",level=\"0.8\"} 1.0"));
  }

  @Test
  void shouldResolveSuffixesOnlyWhenTheBaseIsAHistogramOrSummary() {
    assertEquals("streamcast_inference_seconds",
        MetricContract.resolve("streamcast_inference_seconds_bucket").orElseThrow().name());
    assertEquals("jvm_gc_pause_seconds", MetricContract.resolve("jvm_gc_pause_seconds_sum").orElseThrow().name());
    assertEquals(Optional.empty(), MetricContract.resolve("jvm_gc_pause_seconds_bucket"));
    assertEquals(Optional.empty(), MetricContract.resolve("streamcast_keys_tracked_count"));
  }

  @Test
  void shouldTagEveryStreamcastMetricWithThePipelineWhenDeclared() {
    for (MetricContract.Metric m : MetricContract.METRICS) {
      if (m.name().startsWith("streamcast_") || m.name().startsWith("kafka_")) {
        assertTrue(m.labels().contains("pipeline"), m.name());
      }
      if (m.kind() == MetricContract.Kind.COUNTER) {
        assertTrue(m.name().endsWith("_total"), m.name());
      }
    }
    assertEquals(MetricContract.METRICS.size(), MetricContract.BY_NAME.size(), "duplicate names");
  }
}
