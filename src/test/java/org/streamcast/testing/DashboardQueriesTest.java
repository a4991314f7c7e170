package org.streamcast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardQueriesTest {
  private static final String DASHBOARD = """
      {"title": "t", "templating": {"list": [
         {"name": "pipeline", "type": "query", "query": {"query": "label_values(up_total, pipeline)"}},
         {"name": "key", "type": "query", "allValue": ".+",
          "query": "label_values(watch_g{pipeline=\\"$pipeline\\"}, key)"}]},
       "panels": [
         {"id": 1, "title": "rate", "targets": [
           {"refId": "A", "expr": "sum by (reason) (rate(dl_total{pipeline=\\"$pipeline\\"}[$__rate_interval]))"},
           {"refId": "B", "expr": "histogram_quantile(0.5, rate(streamcast_inference_seconds_bucket{pipeline=\\"${pipeline}\\"}[$__interval]))"}]},
         {"id": 2, "type": "row", "title": "r", "panels": [
           {"id": 3, "title": "watch", "targets": [
             {"refId": "A", "expr": "avg(watch_g{pipeline=\\"$pipeline\\", key=~\\"$key\\"})"},
             {"refId": "B", "expr": "x_sum{pipeline=\\"$pipeline\\"}"}]}]}]}
      """;

  @Test
  void shouldSubstituteVariablesWhenListingExpressions(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), DASHBOARD);
    Files.writeString(dir.resolve("notes.txt"), "not a dashboard");
    DashboardQueries q = DashboardQueries.load(dir, "electricity", "2m");
    assertEquals(List.of(
        "sum by (reason) (rate(dl_total{pipeline=\"electricity\"}[2m]))",
        "histogram_quantile(0.5, rate(streamcast_inference_seconds_bucket{pipeline=\"electricity\"}[2m]))",
        "avg(watch_g{pipeline=\"electricity\", key=~\".+\"})",
        "x_sum{pipeline=\"electricity\"}"), q.expressions());
    assertEquals("t / watch / A: avg(watch_g{pipeline=\"electricity\", key=~\".+\"})", q.queries().get(2).toString());
  }

  @Test
  void shouldStripHistogramSuffixesOnlyForDeclaredBasesWhenNamingMetrics(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), DASHBOARD);
    DashboardQueries q = DashboardQueries.load(dir, "p", "1m");
    assertEquals(Set.of("dl_total", "streamcast_inference_seconds", "watch_g", "x_sum", "up_total"),
        q.metricNames());
    assertEquals(Set.of("reason", "pipeline", "key"), q.labelNames());
  }

  @Test
  void shouldFailWhenAVariableHasNoValue(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), DASHBOARD.replace("\"allValue\": \".+\",", ""));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DashboardQueries.load(dir, "p", "1m"));
    assertTrue(e.getMessage().contains("$key"), e.getMessage());
  }

  @Test
  void shouldLeaveNoVariableWhenLoadingTheProjectDashboards() {
    DashboardQueries q = DashboardQueries.load("electricity");
    assertTrue(q.expressions().size() >= 40, "expressions: " + q.expressions().size());
    for (String e : q.expressions()) {
      assertFalse(e.contains("$"), e);
      assertTrue(e.contains("pipeline=\"electricity\""), e);
    }
  }
}
