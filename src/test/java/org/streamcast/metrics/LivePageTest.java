package org.streamcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.ModelHolder;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;

class LivePageTest {

  @Test
  void shouldMarkTheAnomalousActualsOfAWatchedKeyWhenItHadOne() {
    PipelineSpec spec = SpecLoader.parse("p.yaml", "watch: [a]\nmodel: {horizon: 2}");
    WatchedKeys watched = new WatchedKeys("p", spec.watch(), spec.intervals());
    watched.watched(new PipelineObserver.Watched("a", 1_000, 10, 10, new double[] {9, 8}, new double[] {11, 12},
        null));
    watched.watched(new PipelineObserver.Watched("a", 2_000, 40, 10, new double[] {9, 8}, new double[] {11, 12},
        null, 2_000));
    LivePage page = new LivePage(List.of(new LivePage.Source(spec,
        new ModelHolder(SeasonalNaiveForecaster.baseline(List.of(), 2)),
        new PipelineScores(ScoredHorizons.of(2), spec.intervals()), watched)),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    JsonNode points = page.json().get("pipelines").get(0).get("keys").get(0).get("points");
    assertEquals(2, points.size());
    assertFalse(points.get(0).has("anomaly"), "a normal step carries no mark");
    assertTrue(points.get(1).get("anomaly").asBoolean());
    String html = new String(page.page().body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("p.anomaly && p.actual !== null"), "the page draws the marks");
  }

  @Test
  void shouldMarkTheSpikeStepWhenTheNextStepFlagsIt() {
    PipelineSpec spec = SpecLoader.parse("p.yaml", "watch: [a]\nmodel: {horizon: 2}");
    WatchedKeys watched = new WatchedKeys("p", spec.watch(), spec.intervals());
    double[] lower = {9, 8};
    double[] upper = {11, 12};
    watched.watched(new PipelineObserver.Watched("a", 1_000, 10, 10, lower, upper, null));
    watched.watched(new PipelineObserver.Watched("a", 2_000, 10.8, 10, lower, upper, null));
    watched.watched(new PipelineObserver.Watched("a", 3_000, 10, 10, lower, upper, null, 2_000));
    List<Boolean> marks = watched.views().get(0).points().stream().map(WatchedKeys.Point::anomaly).toList();
    assertEquals(List.of(false, true, false), marks, "the spike's step, found when the next came back");
    assertEquals(10.0, watched.views().get(0).points().get(2).actual(), 0, "the newest step stays the newest");
  }
}
