package org.streamcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.ModelHolder;
import org.streamcast.testing.DashboardQueries;
import org.streamcast.testing.MetricContract;
import org.streamcast.topology.PipelineTopology;

/**
 * The Prometheus text of streamcast's own binders (the pipeline's components, the model and training meters) against
 * the metric contract the dashboards use: every streamcast metric a dashboard queries is exposed, with exactly the
 * contract's labels. The Kafka Streams and JVM metrics need a running client and process; the Prometheus
 * integration test checks those against a live pipeline.
 */
class ExpositionContractTest {
  private static final PipelineSpec SPEC = SpecLoader.parse("electricity.yaml", String.join("\n",
      "name: electricity",
      "window: {step: 30m}",
      "model: {horizon: 4, seasonalLags: [48]}",
      "watch: [taylor]",
      ""));

  private static String scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ModelHolder models = new ModelHolder(PipelineTopology.baseline(SPEC));
    new PipelineMeters(SPEC, PipelineTopology.quality(SPEC)).bindTo(registry);
    new ModelMeters(SPEC.name(), models, Clock.systemUTC()).bindTo(registry);
    new TrainingMeters(SPEC.name()).bindTo(registry);
    new ModelRejections(registry).register(SPEC.name());
    return registry.scrape();
  }

  @Test
  void shouldExposeEveryStreamcastMetricTheDashboardsQueryWhenBound() {
    String scrape = scrape();
    Set<String> needed = DashboardQueries.load(SPEC.name()).metricNames().stream()
        .filter(n -> n.startsWith("streamcast_")).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(needed.size() >= 20, needed.toString());
    assertEquals(Set.of(), MetricContract.missingFrom(scrape, needed), scrape);
  }

  @Test
  void shouldCarryExactlyTheContractLabelsWhenExposed() {
    Map<String, Set<String>> seen = MetricContract.labelNames(scrape());
    Map<String, Set<String>> expected = new TreeMap<>();
    for (MetricContract.Metric m : MetricContract.METRICS) {
      if (m.name().startsWith("streamcast_")) {
        expected.put(m.name(), m.labels());
      }
    }
    assertEquals(expected, seen);
  }
}
