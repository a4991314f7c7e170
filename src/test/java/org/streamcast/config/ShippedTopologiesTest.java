package org.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.config.PipelineSpec.CalendarFeature;
import org.streamcast.domain.GapPolicy;
import org.streamcast.config.PipelineSpec.ModelType;
import org.streamcast.config.PipelineSpec.TargetTransform;
import org.streamcast.config.PipelineSpec.TimeFormat;

class ShippedTopologiesTest {

  @Test
  void shouldLoadElectricityWhenShipped() {
    PipelineSpec spec = SpecLoader.load(Path.of("topologies/electricity.yaml"));
    assertEquals("electricity", spec.name());
    assertEquals("electricity.events", spec.input().topic());
    assertEquals("key", spec.input().keyField());
    assertEquals("ts", spec.input().timeField());
    assertEquals(TimeFormat.AUTO, spec.input().timeFormat());
    assertEquals(List.of("value"), spec.input().valueFields());
    assertEquals(Duration.ofMinutes(30), spec.window().step());
    assertEquals(Aggregation.MEAN, spec.window().aggregation());
    assertEquals(Duration.ofMinutes(1), spec.window().grace());
    assertEquals(ModelType.GRU, spec.model().type());
    assertEquals(48, spec.model().horizon());
    assertEquals(List.of(48, 336), spec.model().seasonalLags());
    assertTrue(spec.model().context() >= 336, "context covers the weekly lag");
    assertEquals(List.of(CalendarFeature.TIME_OF_DAY, CalendarFeature.DAY_OF_WEEK), spec.model().calendar());
    assertEquals(TargetTransform.LEVEL, spec.model().target());
    assertEquals(GapPolicy.IMPUTE, spec.model().gaps().policy());
    assertEquals(Duration.ofDays(56), spec.training().history());
    assertEquals(Duration.ofDays(1), spec.training().schedule());
    assertEquals(42L, spec.training().seed());
    assertEquals("electricity.forecasts", spec.output().forecasts());
    assertEquals("electricity.series", spec.output().series());
    assertEquals("electricity.dlq", spec.output().deadLetters());
    assertEquals(List.of(0.8, 0.95), spec.intervals());
    assertEquals(List.of("taylor"), spec.watch());
    assertEquals(PipelineSpec.Runtime.NONE, spec.runtime());
  }

  @Test
  void shouldLoadPricesWhenShipped() {
    PipelineSpec spec = SpecLoader.load(Path.of("topologies/prices.yaml"));
    assertEquals("prices", spec.name());
    assertEquals("prices.events", spec.input().topic());
    assertEquals(Duration.ofDays(1), spec.window().step());
    assertEquals(Aggregation.LAST, spec.window().aggregation());
    assertEquals(TargetTransform.RETURN, spec.model().target());
    assertEquals(GapPolicy.SKIP, spec.model().gaps().policy(), "markets close at weekends");
    assertEquals(12, spec.model().horizon());
    assertEquals(List.of(), spec.model().seasonalLags());
    assertEquals(List.of(), spec.model().calendar());
    assertEquals(Duration.ofDays(7), spec.training().schedule());
    assertEquals(0.1, spec.training().dropout());
    assertEquals(List.of("CAC", "DAX", "FTSE", "SMI"), spec.watch());
    assertEquals("prices.dlq", spec.output().deadLetters());
  }

  @Test
  void shouldLoadBothWhenRunTogether() {
    List<PipelineSpec> specs = SpecLoader.loadAll(
        List.of(Path.of("topologies/electricity.yaml"), Path.of("topologies/prices.yaml")));
    assertEquals(List.of("electricity", "prices"), specs.stream().map(PipelineSpec::name).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"topologies/electricity.yaml", "topologies/prices.yaml"})
  void shouldCommentEveryFieldWhenShipped(String file) throws IOException {
    List<String> uncommented = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#") && !t.contains(" # ")) {
        uncommented.add(t);
      }
    }
    assertEquals(List.of(), uncommented);
  }
}
