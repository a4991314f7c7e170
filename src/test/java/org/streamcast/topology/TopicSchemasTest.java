package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Step;
import org.streamcast.testing.SchemaCheck;

/**
 * The topic schemas: the shipped specs' schemas are committed in {@code topologies/<name>.schemas/} (a change to a
 * record format must be a deliberate, reviewed change; regenerate with {@code ./streamcast schema --topology
 * topologies/X.yaml --out topologies/X.schemas}), the records the serdes write are valid, and a wrong record fails
 * with a message naming the field.
 */
class TopicSchemasTest {
  private static final PipelineSpec SPEC = TestSpecs.spec("key", Duration.ofHours(1), PipelineSpec.Aggregation.MEAN,
      Duration.ZERO);

  static List<Path> shippedSpecs() throws IOException {
    return ShippedTopologyDescriptionTest.shippedSpecs();
  }

  @ParameterizedTest
  @MethodSource("shippedSpecs")
  void shouldMatchCommittedSchemasWhenSpecIsShipped(Path yaml) throws IOException {
    PipelineSpec spec = SpecLoader.load(yaml);
    Path dir = yaml.resolveSibling(yaml.getFileName().toString().replace(".yaml", ".schemas"));
    Map<String, ObjectNode> schemas = TopicSchemas.of(spec);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(schemas.keySet().stream().map(TopicSchemas::fileName).sorted().toList(),
          files.map(p -> p.getFileName().toString()).sorted().toList(), dir + " holds one schema per topic");
    }
    for (Map.Entry<String, ObjectNode> e : schemas.entrySet()) {
      Path file = dir.resolve(TopicSchemas.fileName(e.getKey()));
      assertEquals(Files.readString(file, StandardCharsets.UTF_8), TopicSchemas.text(e.getValue()),
          file + " is stale: review the change, then regenerate it with streamcast schema --out");
    }
  }

  @Test
  void shouldAcceptEventsWhenTheyFollowTheSpec() {
    SchemaCheck events = new SchemaCheck(TopicSchemas.events(SPEC));
    assertEquals(List.of(), events.errors(bytes("{\"key\":\"a\",\"ts\":\"2000-06-05T00:00:00Z\",\"value\":1.5}")));
    assertEquals(List.of(), events.errors(bytes("{\"key\":7,\"ts\":959990400000,\"value\":-2,\"other\":\"x\"}")));
  }

  @Test
  void shouldNameTheFieldWhenAnEventIsWrong() {
    SchemaCheck events = new SchemaCheck(TopicSchemas.events(SPEC));
    List<String> wrongType = events.errors(bytes("{\"key\":\"a\",\"ts\":\"2000-06-05T00:00:00Z\",\"value\":\"1.5\"}"));
    assertEquals(1, wrongType.size(), wrongType.toString());
    assertTrue(wrongType.get(0).contains("/value"), wrongType.get(0));
    List<String> missing = events.errors(bytes("{\"key\":\"a\",\"value\":1.5}"));
    assertEquals(1, missing.size(), missing.toString());
    assertTrue(missing.get(0).contains("ts"), missing.get(0));
    List<String> badTime = events.errors(bytes("{\"key\":\"a\",\"ts\":\"yesterday\",\"value\":1.5}"));
    assertFalse(badTime.isEmpty());
    assertTrue(badTime.stream().allMatch(m -> m.contains("/ts")), badTime.toString());
    List<String> tooLarge = events.errors(bytes("{\"key\":\"a\",\"ts\":1700000000000,\"value\":2e15}"));
    assertEquals(1, tooLarge.size(), tooLarge.toString());
    assertTrue(tooLarge.get(0).contains("/value"), tooLarge.get(0));
    List<String> badKey = events.errors(bytes("{\"key\":\"a\\nb\",\"ts\":1700000000000,\"value\":1}"));
    assertEquals(1, badKey.size(), badKey.toString());
    assertTrue(badKey.get(0).contains("/key"), badKey.get(0));
  }

  @Test
  void shouldFollowTheSpecsFieldNamesAndTimeFormatWhenTheKeyIsTheRecordKey() {
    PipelineSpec base = TestSpecs.spec(null, Duration.ofHours(1), PipelineSpec.Aggregation.MEAN, Duration.ZERO);
    PipelineSpec.Input i = base.input();
    PipelineSpec spec = new PipelineSpec(base.name(), new PipelineSpec.Input(i.topic(), null, "at",
        PipelineSpec.TimeFormat.EPOCH_MILLIS, List.of("humidity", "temp"), "temp"), base.window(), base.model(),
        base.training(), base.output(), base.intervals(), base.watch());
    ObjectNode schema = TopicSchemas.events(spec);
    assertEquals(List.of("at", "temp"), iterate(schema.get("required")), "a covariate may be absent");
    assertTrue(schema.get("description").asText().contains("the Kafka record key"), schema.toString());
    SchemaCheck events = new SchemaCheck(schema);
    assertEquals(List.of(), events.errors(bytes("{\"at\":959990400000,\"temp\":21.5,\"humidity\":40}")));
    List<String> isoTime = events.errors(bytes("{\"at\":\"2000-06-05T00:00:00Z\",\"temp\":21.5,\"humidity\":40}"));
    assertEquals(1, isoTime.size(), isoTime.toString());
    assertTrue(isoTime.get(0).contains("/at"), isoTime.get(0));
    assertEquals(List.of(), events.errors(bytes("{\"at\":959990400000,\"temp\":21.5}")), "a missing reading");
    assertEquals(List.of(), events.errors(bytes("{\"at\":959990400000,\"temp\":21.5,\"humidity\":null}")));
    List<String> noTemp = events.errors(bytes("{\"at\":959990400000,\"humidity\":40}"));
    assertEquals(1, noTemp.size(), noTemp.toString());
    assertTrue(noTemp.get(0).contains("temp"), noTemp.get(0));
    List<String> textHumidity = events.errors(bytes("{\"at\":959990400000,\"temp\":21.5,\"humidity\":\"40\"}"));
    assertEquals(1, textHumidity.size(), textHumidity.toString());
  }

  private static List<String> iterate(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void shouldAcceptTheSerdesRecordsWhenTheyAreWritten() {
    Step step = new Step("a", Instant.parse("2000-06-05T00:00:00Z"), 3.25, 2);
    assertEquals(List.of(), new SchemaCheck(TopicSchemas.series(SPEC))
        .errors(org.streamcast.kafka.StepSerde.json().serializer().serialize("t", step)));
    Instant origin = Instant.parse("2000-06-05T00:00:00Z");
    List<Forecast.Point> points = new java.util.ArrayList<>();
    for (int h = 1; h <= SPEC.model().horizon(); h++) {
      points.add(new Forecast.Point(h, origin.plusSeconds(3600L * h), 10.0 + h,
          List.of(new Forecast.Interval(0.8, 9, 11 + h), new Forecast.Interval(0.95, 8, 12 + h)),
          h == 1 ? Forecast.LEARNED : "naive"));
    }
    Forecast f = new Forecast("a", SPEC.name(), origin, "gru", 3, points);
    SchemaCheck forecasts = new SchemaCheck(TopicSchemas.forecasts(SPEC));
    assertEquals(List.of(), forecasts.errors(TopologySerdes.forecastJson().serializer().serialize("t", f)));
    Forecast noBands = new Forecast("a", SPEC.name(), origin, "baseline", 0,
        points.stream().map(p -> new Forecast.Point(p.h(), p.time(), p.value())).toList());
    assertEquals(List.of(), forecasts.errors(TopologySerdes.forecastJson().serializer().serialize("t", noBands)));
  }

  @Test
  void shouldNameTheFieldWhenAForecastIsWrong() {
    SchemaCheck forecasts = new SchemaCheck(TopicSchemas.forecasts(SPEC));
    String point = "{\"h\":1,\"ts\":\"2000-06-05T01:00:00Z\",\"value\":1.0,\"lower\":{\"0.5\":0.0},"
        + "\"upper\":{\"0.5\":2.0}}";
    StringBuilder json = new StringBuilder("{\"key\":\"a\",\"pipeline\":\"" + SPEC.name()
        + "\",\"origin\":\"2000-06-05T00:00:00Z\",\"model\":\"gru\",\"modelVersion\":1,\"forecasts\":[");
    for (int h = 0; h < SPEC.model().horizon(); h++) {
      json.append(h == 0 ? "" : ",").append(point);
    }
    List<String> errors = forecasts.errors(bytes(json.append("]}").toString()));
    assertFalse(errors.isEmpty(), "0.5 is not one of the spec's interval levels");
    assertTrue(errors.stream().allMatch(m -> m.contains("/forecasts/") && (m.contains("lower")
        || m.contains("upper"))), errors.toString());
  }

  @Test
  void shouldCheckTheReasonHeadersWhenARecordIsDeadLettered() {
    SchemaCheck dlq = new SchemaCheck(TopicSchemas.deadLetters(SPEC));
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetterProcessor.REASON, bytes("late"));
    headers.add(DeadLetterProcessor.DETAIL, bytes("event time 2000-01-01T00:00:00Z is before ..."));
    headers.add(DeadLetterProcessor.TOPIC, bytes("test.events"));
    headers.add(DeadLetterProcessor.PARTITION, bytes("0"));
    headers.add(DeadLetterProcessor.OFFSET, bytes("17"));
    headers.add(DeadLetterProcessor.PIPELINE, bytes(SPEC.name()));
    headers.add("producer-trace", bytes("kept"));
    assertEquals(List.of(), dlq.errors(SchemaCheck.headers(headers)));
    headers.remove(DeadLetterProcessor.REASON);
    headers.add(DeadLetterProcessor.REASON, bytes("too-late"));
    List<String> errors = dlq.errors(SchemaCheck.headers(headers));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains(DeadLetterProcessor.REASON), errors.get(0));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
