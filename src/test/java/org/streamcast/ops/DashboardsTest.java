package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.DashboardQueries;
import org.streamcast.testing.MetricContract;

/** grafana/dashboards/*.json: valid dashboards whose every panel queries contract metrics of {@code $pipeline}. */
class DashboardsTest {
  static final String DATASOURCE_UID = "streamcast-prometheus";

  private final List<Path> files = DashboardQueries.dashboardFiles(OpsFiles.DASHBOARDS);

  @Test
  void shouldShipTheFourDashboardsWhenProvisioned() {
    Set<String> uids = new TreeSet<>();
    for (Path f : files) {
      JsonNode d = OpsFiles.json(f);
      assertTrue(uids.add(d.path("uid").asText()), f + ": duplicate uid");
      assertFalse(d.path("title").asText().isEmpty(), f + ": title");
      assertEquals(39, d.path("schemaVersion").asInt(), f + ": schemaVersion");
      assertTrue(d.path("id").isNull(), f + ": provisioned dashboards carry no id");
      JsonNode pipeline = d.at("/templating/list/0");
      assertEquals("pipeline", pipeline.path("name").asText(), f + ": first variable");
      assertEquals("query", pipeline.path("type").asText(), f + ": pipeline variable type");
    }
    assertEquals(Set.of("streamcast-overview", "streamcast-quality", "streamcast-watch", "streamcast-training"),
        uids);
  }

  @Test
  void shouldGiveEveryPanelAUniqueIdWhenLoaded() {
    for (Path f : files) {
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : allPanels(OpsFiles.json(f))) {
        assertTrue(p.path("id").isInt(), f + ": panel " + p.path("title") + " has no id");
        assertTrue(ids.add(p.path("id").asInt()), f + ": duplicate panel id " + p.path("id"));
      }
    }
  }

  @Test
  void shouldQueryThePipelineInEveryPanelWhenDrawn() {
    for (Path f : files) {
      for (JsonNode p : allPanels(OpsFiles.json(f))) {
        if (p.path("type").asText().equals("row")) {
          continue;
        }
        String where = f.getFileName() + " / " + p.path("title").asText();
        assertTrue(p.path("targets").size() > 0, where + ": no query");
        assertEquals(DATASOURCE_UID, p.at("/datasource/uid").asText(), where + ": datasource");
        for (JsonNode t : p.path("targets")) {
          String expr = t.path("expr").asText("");
          assertFalse(expr.isBlank(), where + " / " + t.path("refId").asText() + ": empty expr");
          assertTrue(expr.contains("$pipeline"), where + ": `" + expr + "` does not select $pipeline");
        }
      }
    }
  }

  @Test
  void shouldLayPanelsOnTheGridWithoutOverlapWhenRendered() {
    for (Path f : files) {
      List<int[]> boxes = new ArrayList<>();
      for (JsonNode p : OpsFiles.json(f).path("panels")) {
        JsonNode g = p.path("gridPos");
        int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
        assertTrue(box[2] > 0 && box[3] > 0 && box[0] + box[2] <= 24, f + ": " + p.path("title") + " " + g);
        for (int[] o : boxes) {
          boolean overlap = box[0] < o[0] + o[2] && o[0] < box[0] + box[2] && box[1] < o[1] + o[3]
              && o[1] < box[1] + box[3];
          assertFalse(overlap, f + ": " + p.path("title") + " overlaps another panel");
        }
        boxes.add(box);
      }
    }
  }

  @Test
  void shouldUseOnlyContractMetricsAndLabelsWhenQuerying() {
    DashboardQueries q = DashboardQueries.load("electricity");
    Set<String> unknown = new TreeSet<>(q.metricNames());
    unknown.removeAll(MetricContract.BY_NAME.keySet());
    assertEquals(Set.of(), unknown, "metrics missing from MetricContract.METRICS");
    Set<String> unknownLabels = new TreeSet<>(q.labelNames());
    unknownLabels.removeAll(MetricContract.allLabels());
    assertEquals(Set.of(), unknownLabels, "labels no contract metric carries");
    assertTrue(q.metricNames().containsAll(List.of("streamcast_records_in_total", "streamcast_inference_seconds",
        "streamcast_forecast_skill", "streamcast_interval_coverage", "streamcast_watch_upper",
        "streamcast_training_runs_total", "kafka_consumer_fetch_manager_records_lag_max")), q.metricNames().toString());
  }

  @Test
  void shouldParseEveryExpressionWithPromtoolWhenInstalled(@TempDir Path dir) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    List<String> expressions = DashboardQueries.load("electricity").expressions();
    for (int i = 0; i < expressions.size(); i++) {
      rules.append("      - record: dashboard_expr_").append(i).append("\n        expr: '")
          .append(expressions.get(i).replace("'", "''")).append("'\n");
    }
    Path file = Files.writeString(dir.resolve("dashboards.rules.yml"), rules);
    OpsFiles.Run run = OpsFiles.promtool("check", "rules", file.toString());
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("SUCCESS: " + expressions.size() + " rules found"), run.output());
  }

  private static List<JsonNode> allPanels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }
}
