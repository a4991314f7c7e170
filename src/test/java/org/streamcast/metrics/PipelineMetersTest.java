package org.streamcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.quality.PipelineScores;
import org.streamcast.topology.PipelineTopology;

/** The pipeline's meters: names, tags (bounded: the key only on the watch list's gauges) and the values events set. */
class PipelineMetersTest {
  private static final PipelineSpec SPEC = SpecLoader.parse("p.yaml", String.join("\n",
      "name: p",
      "window: {step: 1h}",
      "model: {horizon: 3, seasonalLags: [2], calendar: []}",
      "intervals: [0.8, 0.95]",
      "watch: [a, b]",
      ""));

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final PipelineScores scores = PipelineTopology.quality(SPEC);
  private final PipelineMeters meters = new PipelineMeters(SPEC, scores);

  PipelineMetersTest() {
    meters.bindTo(registry);
  }

  /** Meter name → the set of tag-key sets its meters carry. */
  private Map<String, Set<String>> tagKeys() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Meter m : registry.getMeters()) {
      if (m.getId().getName().endsWith(".histogram")) {
        continue; // the simple registry's view of a timer's buckets (Prometheus shows them as <name>_bucket{le})
      }
      out.computeIfAbsent(m.getId().getName(), k -> new TreeSet<>())
          .add(m.getId().getTags().stream().map(Tag::getKey).sorted().collect(Collectors.joining(",")));
    }
    return out;
  }

  @Test
  void shouldRegisterEveryComponentMeterWithBoundedTagsWhenBound() {
    Map<String, Set<String>> expected = new TreeMap<>();
    for (String name : List.of("streamcast.records.in", "streamcast.late.events", "streamcast.windows.closed",
        "streamcast.forecasts.out", "streamcast.steps.imputed", "streamcast.rewarms", "streamcast.key.resets",
        "streamcast.forecasts.withheld", "streamcast.state.entries.reset", "streamcast.fallbacks",
        "streamcast.keys.tracked", "streamcast.keys.warming", "streamcast.keys.expired", "streamcast.inference",
        "streamcast.forecast.lag")) {
      expected.put(name, Set.of("pipeline"));
    }
    expected.put("streamcast.dead.letters", Set.of("pipeline,reason"));
    expected.put("streamcast.anomalies", Set.of("kind,pipeline"));
    expected.put("streamcast.anomalies.suppressed", Set.of("kind,pipeline"));
    for (String name : List.of("streamcast.forecast.mae", "streamcast.forecast.rmse", "streamcast.forecast.skill")) {
      expected.put(name, Set.of("horizon,pipeline"));
    }
    expected.put("streamcast.interval.coverage", Set.of("level,pipeline"));
    expected.put("streamcast.interval.group.coverage", Set.of("horizons,level,pipeline"));
    expected.put("streamcast.watch.actual", Set.of("key,pipeline"));
    expected.put("streamcast.watch.forecast", Set.of("key,pipeline"));
    expected.put("streamcast.watch.lower", Set.of("key,level,pipeline"));
    expected.put("streamcast.watch.upper", Set.of("key,level,pipeline"));
    assertEquals(expected, tagKeys());

    assertEquals(Set.of("1", "2", "3"), tagValues("streamcast.forecast.skill", "horizon"));
    assertEquals(Set.of("0.8", "0.95"), tagValues("streamcast.interval.coverage", "level"));
    assertEquals(Set.of("1", "2-3"), tagValues("streamcast.interval.group.coverage", "horizons"),
        "h = 1 and the far half of horizon 3 (its near half holds no horizon but 1)");
    assertEquals(Set.of("a", "b"), tagValues("streamcast.watch.upper", "key"), "only the watch list's keys");
    assertEquals(DeadLetterReason.values().length, registry.find("streamcast.dead.letters").counters().size());
    assertEquals(Set.of("p"), tagValues("streamcast.records.in", "pipeline"));
    assertEquals(Set.of("band", "flatline", "shift", "spike"), tagValues("streamcast.anomalies", "kind"));
  }

  private Set<String> tagValues(String name, String tag) {
    return registry.find(name).meters().stream().map(m -> m.getId().getTag(tag)).collect(Collectors.toSet());
  }

  @Test
  void shouldCountAndTimeTheTopologysEventsWhenObserved() {
    PipelineObserver o = meters;
    o.accepted();
    o.accepted();
    o.deadLettered(DeadLetterReason.LATE);
    o.windowClosed();
    o.keys(3, 3);
    o.keys(0, -1);
    o.stepped(2_000, true);
    o.stepped(40_000, false);
    o.published(1_500);
    o.imputed(4);
    o.reset();
    o.rewarmed();
    o.withheld();
    o.stateEntryReset();
    o.stateEntryReset();
    o.expired(5);
    o.anomaly("band", true);
    o.anomaly("flatline", true);
    o.anomaly("flatline", false);
    assertEquals(2, registry.get("streamcast.records.in").counter().count());
    assertEquals(1, registry.get("streamcast.dead.letters").tag("reason", "late").counter().count());
    assertEquals(1, registry.get("streamcast.late.events").counter().count());
    assertEquals(1, registry.get("streamcast.windows.closed").counter().count());
    assertEquals(3, registry.get("streamcast.keys.tracked").gauge().value());
    assertEquals(2, registry.get("streamcast.keys.warming").gauge().value());
    Timer inference = registry.get("streamcast.inference").timer();
    assertEquals(2, inference.count());
    assertEquals(42_000, inference.totalTime(TimeUnit.NANOSECONDS), 1);
    assertEquals(1, registry.get("streamcast.forecasts.out").counter().count());
    assertEquals(1.5, registry.get("streamcast.forecast.lag").timer().totalTime(TimeUnit.SECONDS), 1e-9);
    assertEquals(4, registry.get("streamcast.steps.imputed").counter().count());
    assertEquals(1, registry.get("streamcast.key.resets").counter().count());
    assertEquals(1, registry.get("streamcast.rewarms").counter().count());
    assertEquals(1, registry.get("streamcast.forecasts.withheld").counter().count());
    assertEquals(2, registry.get("streamcast.state.entries.reset").counter().count());
    assertEquals(5, registry.get("streamcast.keys.expired").counter().count());
    assertEquals(1, registry.get("streamcast.anomalies").tag("kind", "band").counter().count());
    assertEquals(1, registry.get("streamcast.anomalies").tag("kind", "flatline").counter().count());
    assertEquals(0, registry.get("streamcast.anomalies").tag("kind", "shift").counter().count());
    assertEquals(1, registry.get("streamcast.anomalies.suppressed").tag("kind", "flatline").counter().count());
  }

  @Test
  void shouldExportRollingQualityAndCoverageWhenScoresArrive() {
    assertTrue(Double.isNaN(registry.get("streamcast.forecast.mae").tag("horizon", "1").gauge().value()));
    scores.record(0, 2, 4, new double[] {3, 5});
    scores.record(0, -4, 4, new double[] {3, 5});
    assertEquals(3, registry.get("streamcast.forecast.mae").tag("horizon", "1").gauge().value(), 1e-12);
    assertEquals(Math.sqrt(10), registry.get("streamcast.forecast.rmse").tag("horizon", "1").gauge().value(), 1e-12);
    assertEquals(0.25, registry.get("streamcast.forecast.skill").tag("horizon", "1").gauge().value(), 1e-12);
    assertEquals(0.5, registry.get("streamcast.interval.coverage").tag("level", "0.8").gauge().value(), 1e-12);
    assertEquals(1, registry.get("streamcast.interval.coverage").tag("level", "0.95").gauge().value(), 1e-12);
    assertTrue(Double.isNaN(registry.get("streamcast.forecast.mae").tag("horizon", "2").gauge().value()));
    // nominal against achieved by horizon group: h = 1 as above, h = 2..3 missed its 80% band and kept its 95%
    scores.record(1, 4, 4, new double[] {3, 5});
    assertEquals(0.5, groupCoverage("0.8", "1"), 1e-12);
    assertEquals(0, groupCoverage("0.8", "2-3"), 1e-12);
    assertEquals(1, groupCoverage("0.95", "2-3"), 1e-12);
    assertEquals(1 / 3.0, registry.get("streamcast.interval.coverage").tag("level", "0.8").gauge().value(), 1e-12);
  }

  private double groupCoverage(String level, String horizons) {
    return registry.get("streamcast.interval.group.coverage").tag("level", level).tag("horizons", horizons).gauge()
        .value();
  }

  @Test
  void shouldSetTheWatchedKeysGaugesAndKeepTheirStepsWhenWatchedStepsArrive() {
    assertTrue(Double.isNaN(registry.get("streamcast.watch.actual").tag("key", "a").gauge().value()));
    Forecast latest = new Forecast("a", "p", Instant.parse("2024-01-01T05:00:00Z"), "baseline", 0,
        List.of(new Forecast.Point(1, Instant.parse("2024-01-01T06:00:00Z"), 12)));
    meters.watched(new PipelineObserver.Watched("a", 1_000, 11, 10, new double[] {9, 8}, new double[] {11, 12},
        latest));
    meters.watched(new PipelineObserver.Watched("not-watched", 1_000, 1, 1, new double[] {0, 0},
        new double[] {2, 2}, null));
    assertEquals(11, registry.get("streamcast.watch.actual").tag("key", "a").gauge().value());
    assertEquals(10, registry.get("streamcast.watch.forecast").tag("key", "a").gauge().value());
    assertEquals(8, registry.get("streamcast.watch.lower").tag("key", "a").tag("level", "0.95").gauge().value());
    assertEquals(11, registry.get("streamcast.watch.upper").tag("key", "a").tag("level", "0.8").gauge().value());
    assertTrue(Double.isNaN(registry.get("streamcast.watch.actual").tag("key", "b").gauge().value()));
    assertTrue(registry.find("streamcast.watch.actual").tag("key", "not-watched").gauges().isEmpty());
    WatchedKeys.View a = meters.watchedKeys().views().get(0);
    assertEquals(1, a.points().size());
    assertEquals(latest, a.latest());
    for (int i = 0; i < WatchedKeys.RECENT + 5; i++) {
      meters.watched(new PipelineObserver.Watched("a", 2_000 + i, i, Double.NaN, new double[] {0, 0},
          new double[] {0, 0}, null));
    }
    a = meters.watchedKeys().views().get(0);
    assertEquals(WatchedKeys.RECENT, a.points().size(), "bounded");
    assertEquals(2_000 + WatchedKeys.RECENT + 4, a.points().get(a.points().size() - 1).start());
    assertEquals(latest, a.latest(), "the latest forecast stays until a newer one");
  }

  @Test
  void shouldBucketLatencyAndLagInTheirHistogramsWhenRecorded() {
    meters.stepped(3_000, true);
    meters.published(Duration.ofMinutes(2).toMillis());
    var inference = registry.get("streamcast.inference").timer().takeSnapshot().histogramCounts();
    assertEquals(ForecastMeters.INFERENCE_BUCKETS.length, inference.length);
    var lag = registry.get("streamcast.forecast.lag").timer().takeSnapshot().histogramCounts();
    assertEquals(ForecastMeters.LAG_BUCKETS.length, lag.length);
    // 3 µs falls in the 5 µs bucket and above; 2 min in the 5 min bucket and above
    assertEquals(0, inference[0].count());
    assertEquals(1, inference[1].count());
    assertEquals(0, lag[10].count());
    assertEquals(1, lag[11].count());
  }
}
