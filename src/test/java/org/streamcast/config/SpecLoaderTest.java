package org.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.config.PipelineSpec.CalendarFeature;
import org.streamcast.domain.Gaps;
import org.streamcast.config.PipelineSpec.ModelType;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;
import org.streamcast.config.PipelineSpec.TargetTransform;
import org.streamcast.config.PipelineSpec.TimeFormat;
import org.streamcast.domain.GapPolicy;

class SpecLoaderTest {

  private static PipelineSpec parse(String yaml) {
    return SpecLoader.parse("topologies/s-1.yaml", yaml);
  }

  @Test
  void shouldApplyEveryDefaultWhenSpecIsEmptyMapping() {
    PipelineSpec spec = parse("{}");
    assertEquals("s-1", spec.name());
    assertEquals(new PipelineSpec.Input("s-1.events", "key", "ts", TimeFormat.AUTO, List.of("value"), "value"),
        spec.input());
    assertEquals(new PipelineSpec.Window(Duration.ofHours(1), Aggregation.MEAN, Duration.ofMinutes(1)),
        spec.window());
    assertEquals(new PipelineSpec.Model(ModelType.GRU, 1, 32, 168, 12, TargetTransform.LEVEL,
        List.of(CalendarFeature.TIME_OF_DAY, CalendarFeature.DAY_OF_WEEK), List.of(24, 168), true, Gaps.DEFAULT),
        spec.model());
    assertEquals(new PipelineSpec.Training(Duration.ofHours(2000), null, 30, 5, 0.005, 1.0, 0.0, 0.0, 32, 0.1, 42L,
        0.02), spec.training());
    assertEquals(new PipelineSpec.Output("s-1.forecasts", "s-1.series", "s-1.dlq", "s-1.anomalies"), spec.output());
    assertEquals(List.of(0.8, 0.95), spec.intervals());
    assertEquals(List.of(), spec.watch());
    assertEquals(PipelineSpec.Runtime.NONE, spec.runtime());
  }

  @Test
  void shouldCheckTheWidestBandAtOnePerKeyAndHourWithoutClippingWhenAnomaliesAreLeftOut() {
    PipelineSpec spec = parse("{}");
    assertEquals(new PipelineSpec.Anomalies(0.95, 1, false), spec.anomalies());
    assertEquals("s-1.anomalies", spec.output().anomalies());
    assertEquals(0.9, parse("intervals: [0.5, 0.9]").anomalies().level(), "the widest of the spec's levels");
  }

  @Test
  void shouldReadTheAnomaliesSectionWhenGiven() {
    PipelineSpec spec = parse("intervals: [0.8, 0.95, 0.99]\nanomalies: {level: 0.99, maxPerKeyPerHour: 0.5, "
        + "clip: false}\noutput: {anomalies: alerts}");
    assertEquals(new PipelineSpec.Anomalies(0.99, 0.5, false), spec.anomalies());
    assertEquals("alerts", spec.output().anomalies());
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "none", "false", "null"})
  void shouldPublishNoAnomaliesWhenTheTopicIsOff(String off) {
    assertNull(parse("output: {anomalies: " + off + "}").output().anomalies());
    assertNull(parse("intervals: []").output().anomalies(), "no band, no anomaly");
  }

  @Test
  void shouldBoundInputAndTimeByDefaultWhenSpecLeavesLimitsOut() {
    PipelineSpec spec = parse("{}");
    assertEquals(1024, spec.input().maxKeyBytes());
    assertEquals(65_536, spec.input().maxRecordBytes());
    assertEquals(1e15, spec.input().maxAbsValue());
    assertEquals(Duration.ofHours(1), spec.window().maxFuture());
    assertEquals(Duration.ofDays(5), spec.window().maxSkew(), "hourly steps: five days");
    assertEquals(Duration.ofDays(5), parse("window: {step: 1d}").window().maxSkew(), "a market's longest closure");
    assertEquals(Duration.ofDays(120), parse("window: {step: 30d}").window().maxSkew(), "four monthly steps");
  }

  @Test
  void shouldReadLimitsWhenSpecSetsThem() {
    PipelineSpec spec = parse("input: {maxKeyBytes: 64, maxRecordBytes: 2048, maxAbsValue: 1e300}\n"
        + "window: {step: 1d, maxFuture: 0, maxSkew: 8d}");
    assertEquals(64, spec.input().maxKeyBytes());
    assertEquals(2048, spec.input().maxRecordBytes());
    assertEquals(1e300, spec.input().maxAbsValue());
    assertEquals(Duration.ZERO, spec.window().maxFuture());
    assertEquals(Duration.ofDays(8), spec.window().maxSkew());
  }

  @Test
  void shouldDeriveLagsContextGraceAndHistoryWhenStepIsHalfHourly() {
    PipelineSpec spec = parse("window: {step: 30m}");
    assertEquals(List.of(48, 336), spec.model().seasonalLags());
    assertEquals(336, spec.model().context());
    assertEquals(Duration.ofMinutes(1), spec.window().grace());
    assertEquals(Duration.ofHours(1000), spec.training().history());
  }

  @Test
  void shouldDeriveDailyDefaultsWhenStepIsOneDay() {
    PipelineSpec spec = parse("window: {step: 1d}\nmodel: {horizon: 30}");
    assertEquals(List.of(7), spec.model().seasonalLags());
    assertEquals(List.of(CalendarFeature.DAY_OF_WEEK, CalendarFeature.DAY_OF_YEAR), spec.model().calendar());
    assertEquals(60, spec.model().context(), "twice the horizon beats the weekly lag and the minimum of 48");
  }

  @Test
  void shouldHoldTwoTrainingWindowsByDefaultWhenTheContextIsLong() {
    PipelineSpec spec = parse("window: {step: 1m}\nmodel: {seasonalLags: [1440], horizon: 60}");
    assertEquals(Duration.ofMinutes(2 * (1440 + 60)), spec.training().history(),
        "2000 steps would not hold one window of context + horizon");
  }

  @Test
  void shouldLeaveOutLagsAboveTheBoundWhenStepIsShort() {
    PipelineSpec spec = parse("window: {step: 10s}");
    assertEquals(List.of(), spec.model().seasonalLags(), "a day of 10s steps is 8640 steps: too long a lag");
    assertEquals(48, spec.model().context());
    assertEquals(Duration.ofSeconds(10), spec.window().grace(), "grace defaults to one step when under a minute");
  }

  @Test
  void shouldUseRecordKeyWhenKeyFieldIsNull() {
    assertNull(parse("input: {keyField: null}").input().keyField());
    assertEquals("key", parse("input: {}").input().keyField());
  }

  @Test
  void shouldTakeFirstValueFieldAsTargetWhenTargetLeftOut() {
    PipelineSpec.Input input = parse("input: {valueFields: [temp, humidity]}").input();
    assertEquals(List.of("temp", "humidity"), input.valueFields());
    assertEquals("temp", input.target());
  }

  @Test
  void shouldAggregateEachFieldByItsOwnAggregationWhenListedElseTheWindowsOne() {
    PipelineSpec spec = parse("input: {valueFields: [temp, rain, wind], target: wind}\n"
        + "window: {aggregation: max, aggregations: {rain: sum, temp: mean}}");
    assertEquals(PipelineSpec.Aggregation.SUM, spec.window().aggregation("rain"));
    assertEquals(PipelineSpec.Aggregation.MEAN, spec.window().aggregation("temp"));
    assertEquals(PipelineSpec.Aggregation.MAX, spec.window().aggregation("wind"));
    assertEquals(List.of("temp", "rain"), spec.input().covariates());
    assertEquals(List.of("wind", "temp", "rain"), spec.input().fieldOrder());
  }

  @Test
  void shouldReadScalarAsOneElementListWhenListExpected() {
    PipelineSpec spec = parse("watch: taylor\nmodel: {seasonalLags: 48, calendar: day_of_week}\nintervals: 0.9");
    assertEquals(List.of("taylor"), spec.watch());
    assertEquals(List.of(48), spec.model().seasonalLags());
    assertEquals(List.of(CalendarFeature.DAY_OF_WEEK), spec.model().calendar());
    assertEquals(List.of(0.9), spec.intervals());
  }

  @Test
  void shouldSortSeasonalLagsWhenGivenOutOfOrder() {
    assertEquals(List.of(48, 336), parse("model: {seasonalLags: [336, 48]}").model().seasonalLags());
  }

  @Test
  void shouldAcceptAnyCaseAndDashesWhenEnumsGiven() {
    PipelineSpec spec = parse("input: {timeFormat: Epoch-Millis}\nwindow: {aggregation: MAX}\nmodel: {type: Lstm}");
    assertEquals(TimeFormat.EPOCH_MILLIS, spec.input().timeFormat());
    assertEquals(Aggregation.MAX, spec.window().aggregation());
    assertEquals(ModelType.LSTM, spec.model().type());
  }

  @Test
  void shouldReadNumbersWhenYamlKeepsThemAsText() {
    assertEquals(0.001, parse("training: {learningRate: \"1e-3\"}").training().learningRate());
    assertEquals(64, parse("model: {hiddenSize: \"64\"}").model().hiddenSize());
    assertEquals(-7L, parse("training: {seed: -7}").training().seed());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "none", "never", "off", "false", "null", "0s"})
  void shouldKeepKeysForeverWhenKeyIdleTimeoutIsOff(String timeout) {
    PipelineSpec.State state = parse("state: {keyIdleTimeout: " + timeout + "}").state();
    assertFalse(state.expires());
    assertEquals(Duration.ZERO, state.keyIdleTimeout());
  }

  @Test
  void shouldExpireIdleKeysAfterThirtyDaysUnlessTheSpecSaysOtherwiseWhenLoaded() {
    assertEquals(Duration.ofDays(30), parse("name: a").state().keyIdleTimeout());
    assertTrue(parse("name: a").state().expires());
    assertEquals(Duration.ofDays(7), parse("state: {keyIdleTimeout: 7d}").state().keyIdleTimeout());
    assertEquals(Duration.ofHours(3), parse("window: {step: 1h, grace: 1h}\nstate: {keyIdleTimeout: 3h}").state()
        .keyIdleTimeout(), "two steps plus the grace is the least");
  }

  @ParameterizedTest
  @ValueSource(strings = {"never", "off", "false", "null"})
  void shouldRetrainOnlyOnDemandWhenScheduleIsNever(String schedule) {
    assertNull(parse("training: {schedule: " + schedule + "}").training().schedule());
  }

  @Test
  void shouldReadDurationsInEveryFormWhenGiven() {
    PipelineSpec spec = parse("window: {step: PT30M, grace: 1m30s}\ntraining: {history: 2w, schedule: 12h}");
    assertEquals(Duration.ofMinutes(30), spec.window().step());
    assertEquals(Duration.ofSeconds(90), spec.window().grace());
    assertEquals(Duration.ofDays(14), spec.training().history());
    assertEquals(Duration.ofHours(12), spec.training().schedule());
  }

  @Test
  void shouldReadTbpttAndClipModeWhenGiven() {
    PipelineSpec.Training t = parse("training: {tbptt: 24, gradientClip: 0.5, gradientClipMode: Value}").training();
    assertEquals(24, t.tbptt());
    assertEquals(0.5, t.gradientClip());
    assertEquals(PipelineSpec.GradientClipMode.VALUE, t.gradientClipMode());
    assertEquals(0, parse("training: {tbptt: 0}").training().tbptt());
    assertEquals(PipelineSpec.Training.TBPTT_AUTO, parse("training: {tbptt: auto}").training().tbptt());
    PipelineSpec.Training defaults = parse("{}").training();
    assertEquals(PipelineSpec.Training.TBPTT_AUTO, defaults.tbptt());
    assertEquals(PipelineSpec.GradientClipMode.NORM, defaults.gradientClipMode());
    assertEquals(t, t.withEpochsAtMost(1000));
  }

  @Test
  void shouldResetWithoutImputingWhenGapPolicyIsReset() {
    assertEquals(new Gaps(GapPolicy.RESET, 0), parse("model: {gaps: {policy: reset}}").model().gaps());
  }

  @Test
  void shouldReadRuntimeSectionWhenPresent() {
    PipelineSpec.Runtime runtime = parse("""
        runtime:
          bootstrap: " broker1:9092, broker2:9093 "
          stateDir: /var/lib/streamcast
          httpPort: 0
          applicationIdPrefix: team-a
          processingGuarantee: at-least-once
          kafka: {linger.ms: 5, enable.idempotence: true, security.protocol: SASL_SSL}
        """).runtime();
    assertEquals(new PipelineSpec.Runtime("broker1:9092,broker2:9093", Path.of("/var/lib/streamcast"), 0, "team-a",
        ProcessingGuarantee.AT_LEAST_ONCE,
        Map.of("linger.ms", "5", "enable.idempotence", "true", "security.protocol", "SASL_SSL")), runtime);
  }

  @Test
  void shouldFailNamingFileWhenFileMissing() {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(Path.of("nowhere/x.yaml")));
    assertEquals("nowhere/x.yaml: no such file", e.getMessage());
  }

  @Test
  void shouldFailWhenPathIsDirectory(@TempDir Path dir) {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(dir));
    assertEquals(dir + ": is a directory, not a pipeline spec", e.getMessage());
  }

  @Test
  void shouldFailWhenFileIsNotUtf8(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(file));
    assertEquals(file + ": is not UTF-8 text", e.getMessage());
  }

  @Test
  void shouldNameFileAndFieldWhenLoadedFromDisk(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("load.yaml"), "window:\n  step: 5 minuts\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(file));
    assertEquals(file + ": window.step: \"5 minuts\" is not a duration (try 30s, 5m, 1h)", e.getMessage());
  }

  @Test
  void shouldTakeNameFromFileWhenNameLeftOut(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("grid_load.v2.yaml"), "window: {step: 15m}\n");
    assertEquals("grid_load.v2", SpecLoader.load(file).name());
  }

  @Test
  void shouldFailWhenNameLeftOutAndFileNameCannotServe() {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.parse("specs/my spec.yaml", "{}"));
    assertEquals("specs/my spec.yaml: name: missing, and the file name \"my spec\" cannot stand in for it (use 1 to "
        + "100 letters, digits, '.', '_' and '-': it prefixes topic names)", e.getMessage());
  }

  @Test
  void shouldRejectRepeatedNameWhenLoadingSeveral(@TempDir Path dir) throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), "name: load\n");
    Path b = Files.writeString(dir.resolve("b.yaml"), "name: load\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadAll(List.of(a, b)));
    assertEquals(b + ": name: \"load\" is also the name of the pipeline in " + a, e.getMessage());
  }

  @Test
  void shouldRejectSharedOutputTopicWhenLoadingSeveral(@TempDir Path dir) throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), "name: a\n");
    Path b = Files.writeString(dir.resolve("b.yaml"), "name: b\noutput: {series: a.series}\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadAll(List.of(a, b)));
    assertEquals(b + ": output: \"a.series\" is also an output topic of the pipeline in " + a, e.getMessage());
  }

  @Test
  void shouldAllowChainingWhenInputIsAnotherPipelinesOutput(@TempDir Path dir) throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), "name: a\n");
    Path b = Files.writeString(dir.resolve("b.yaml"), "name: b\ninput: {topic: a.series}\n");
    assertEquals(2, SpecLoader.loadAll(List.of(a, b)).size());
  }
}
