package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.resample.WindowAggregate;

class CovariateResampleTest {
  private static final Instant WALL_CLOCK = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  static PipelineSpec spec() {
    return SpecLoader.parse("weather.yaml", String.join("\n",
        "name: weather",
        "input: {valueFields: [temp_max, temp_min, wind, precipitation], target: temp_max}",
        "window: {step: 1h, grace: 0s, aggregation: mean, aggregations: {temp_max: max, temp_min: min, "
            + "precipitation: sum}}",
        "model: {horizon: 2, seasonalLags: [], calendar: []}",
        ""));
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private static byte[] event(String ts, double tmax, double tmin, double wind, double rain) {
    return ("{\"key\":\"NY\",\"ts\":\"" + ts + "\",\"temp_max\":" + tmax + ",\"temp_min\":" + tmin + ",\"wind\":"
        + wind + ",\"precipitation\":" + rain + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** Starts the pipeline's topology on the test driver; returns its input topic. */
  private TestInputTopic<byte[], byte[]> start(PipelineSpec spec) {
    Properties props = StreamsSettings.of(spec, java.util.Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "test",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(PipelineTopology.build(spec, PipelineObserver.NONE), props, WALL_CLOCK);
    return driver.createInputTopic(spec.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Test
  void shouldAggregateEachFieldWithItsOwnAggregationWhenWindowCloses() throws Exception {
    PipelineSpec spec = spec();
    TestInputTopic<byte[], byte[]> in = start(spec);
    TestOutputTopic<String, String> raw = driver.createOutputTopic(spec.output().series(), new StringDeserializer(),
        new StringDeserializer());
    in.pipeInput(null, event("2012-01-01T00:10:00Z", 10, 3, 4, 1.5));
    in.pipeInput(null, event("2012-01-01T00:20:00Z", 12, 1, 6, 0.5));
    in.pipeInput(null, event("2012-01-01T00:50:00Z", 11, 2, 8, 0));
    in.pipeInput(null, event("2012-01-01T01:05:00Z", 9, 0, 2, 0));
    List<String> records = raw.readValuesToList();
    assertEquals(1, records.size());
    JsonNode n = new ObjectMapper().readTree(records.get(0));
    assertEquals(12.0, n.get("value").asDouble(), "temp_max: max");
    assertEquals(3, n.get("count").asInt());
    assertEquals(1.0, n.get("covariates").get("temp_min").asDouble(), "temp_min: min");
    assertEquals(6.0, n.get("covariates").get("wind").asDouble(), "wind: the window's mean");
    assertEquals(2.0, n.get("covariates").get("precipitation").asDouble(), "precipitation: sum");
    Step step = StepSerde.json(spec.input().covariates()).deserializer().deserialize("t",
        records.get(0).getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new double[] {1, 6, 2}, step.covariates(), 0);
  }

  @Test
  void shouldReadOldSeriesRecordWithCovariatesMissingWhenWrittenWithoutThem() {
    Serde<Step> serde = StepSerde.json(List.of("wind", "rain"));
    Step old = serde.deserializer().deserialize("t",
        "{\"key\":\"NY\",\"ts\":\"2012-01-01T00:00:00Z\",\"value\":3.5,\"count\":2}".getBytes(StandardCharsets.UTF_8));
    assertEquals(3.5, old.value());
    assertTrue(Double.isNaN(old.covariates()[0]) && Double.isNaN(old.covariates()[1]));
    Step partial = serde.deserializer().deserialize("t", ("{\"key\":\"NY\",\"ts\":\"2012-01-01T00:00:00Z\","
        + "\"value\":3.5,\"count\":2,\"covariates\":{\"wind\":4,\"rain\":null}}").getBytes(StandardCharsets.UTF_8));
    assertEquals(4.0, partial.covariates()[0]);
    assertTrue(Double.isNaN(partial.covariates()[1]));
    Step target = new Step("NY", Instant.EPOCH, 1, 1, new double[] {2, 3});
    assertEquals(target, serde.deserializer().deserialize("t", serde.serializer().serialize("t", target)));
  }

  @Test
  void shouldKeepCovariateAggregatesAndReadVersionTwoWindowsWhenRoundTripped() {
    Serde<OpenWindows> serde = OpenWindows.BinarySerde.serde();
    boolean[] opened = {false};
    OpenWindows w = OpenWindows.EMPTY.add(0, new double[] {1, 10, -1}, 5, opened)
        .add(0, new double[] {3, 20, -3}, 6, opened);
    WindowAggregate a = w.at(0);
    assertEquals(2, a.fields());
    assertEquals(30.0, a.extraValue(0, PipelineSpec.Aggregation.SUM));
    assertEquals(-2.0, a.extraValue(1, PipelineSpec.Aggregation.MEAN));
    assertEquals(-3.0, a.extraValue(1, PipelineSpec.Aggregation.LAST));
    assertEquals(w, serde.deserializer().deserialize("t", serde.serializer().serialize("t", w)));
    java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(1 + 4 + 60);
    v2.put((byte) 2).putInt(1).putLong(0).putInt(2).putDouble(4).putDouble(2).putDouble(1).putDouble(3)
        .putDouble(3).putLong(6);
    OpenWindows old = serde.deserializer().deserialize("t", v2.array());
    assertEquals(null, old.corruption());
    assertEquals(0, old.at(0).fields());
    assertEquals(2.0, old.valueAt(0, PipelineSpec.Aggregation.MEAN));
  }

  @Test
  void shouldAggregateACovariateOverTheEventsThatCarriedItWhenSomeEventsLackIt() throws Exception {
    PipelineSpec spec = spec();
    TestInputTopic<byte[], byte[]> in = start(spec);
    TestOutputTopic<String, String> raw = driver.createOutputTopic(spec.output().series(), new StringDeserializer(),
        new StringDeserializer());
    TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(spec.output().deadLetters(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    // the first event of the hour has no wind, the second a null one, the third 8: the mean is 8, not NaN
    in.pipeInput(null, ("{\"key\":\"NY\",\"ts\":\"2012-01-01T00:10:00Z\",\"temp_max\":10,\"temp_min\":3,"
        + "\"precipitation\":1}").getBytes(StandardCharsets.UTF_8));
    in.pipeInput(null, ("{\"key\":\"NY\",\"ts\":\"2012-01-01T00:20:00Z\",\"temp_max\":12,\"temp_min\":1,"
        + "\"wind\":null,\"precipitation\":0.5}").getBytes(StandardCharsets.UTF_8));
    in.pipeInput(null, event("2012-01-01T00:50:00Z", 11, 2, 8, 0));
    // the next hour: no event carries wind or temp_min
    in.pipeInput(null, ("{\"key\":\"NY\",\"ts\":\"2012-01-01T01:05:00Z\",\"temp_max\":9}")
        .getBytes(StandardCharsets.UTF_8));
    in.pipeInput(null, event("2012-01-01T02:05:00Z", 9, 0, 2, 0));
    assertTrue(dlq.isEmpty(), "a missing covariate is a missing reading, not a bad event");
    List<String> records = raw.readValuesToList();
    assertEquals(2, records.size());
    JsonNode first = new ObjectMapper().readTree(records.get(0));
    assertEquals(12.0, first.get("value").asDouble());
    assertEquals(3, first.get("count").asInt());
    assertEquals(8.0, first.get("covariates").get("wind").asDouble(), "the mean of the events that carried it");
    assertEquals(1.0, first.get("covariates").get("temp_min").asDouble());
    assertEquals(1.5, first.get("covariates").get("precipitation").asDouble());
    JsonNode second = new ObjectMapper().readTree(records.get(1));
    assertEquals(9.0, second.get("value").asDouble(), "the target of an event without covariates is kept");
    assertTrue(second.get("covariates").get("wind").isNull(), second.toString());
    assertTrue(second.get("covariates").get("temp_min").isNull(), second.toString());
  }

  @Test
  void shouldReadVersionThreeWindowsAsEveryEventCarryingEveryFieldWhenRestored() {
    Serde<OpenWindows> serde = OpenWindows.BinarySerde.serde();
    java.nio.ByteBuffer v3 = java.nio.ByteBuffer.allocate(1 + 4 + 61 + 8 * 5);
    v3.put((byte) 3).putInt(1).putLong(0).putInt(2).putDouble(4).putDouble(2).putDouble(1).putDouble(3)
        .putDouble(3).putLong(6).put((byte) 1).putDouble(30).putDouble(15).putDouble(10).putDouble(20)
        .putDouble(20);
    OpenWindows old = serde.deserializer().deserialize("t", v3.array());
    assertEquals(null, old.corruption());
    assertEquals(15.0, old.at(0).extraValue(0, PipelineSpec.Aggregation.MEAN));
    assertEquals(2.0, old.at(0).extraValue(0, PipelineSpec.Aggregation.COUNT));
    OpenWindows added = old.add(0, new double[] {5, Double.NaN}, 7, new boolean[1]).add(0, new double[] {6, 45}, 8,
        new boolean[1]);
    assertEquals(25.0, added.at(0).extraValue(0, PipelineSpec.Aggregation.MEAN), "(10 + 20 + 45) / 3");
    assertEquals(45.0, added.at(0).extraValue(0, PipelineSpec.Aggregation.LAST));
    assertEquals(added, serde.deserializer().deserialize("t", serde.serializer().serialize("t", added)));
  }
}
