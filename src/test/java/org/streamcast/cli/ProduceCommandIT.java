package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.topology.EventParser;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;
import picocli.CommandLine;

/** {@code streamcast produce} against a real broker: what is consumed back equals the CSV exactly. */
@ExtendWith(KafkaExtension.class)
class ProduceCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int produce(String... args) {
    CommandLine cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  private static void assertSameEvents(List<Observation> expected, List<ConsumerRecord<String, String>> got)
      throws Exception {
    List<Observation> inOrder = new ArrayList<>(expected);
    inOrder.sort(Comparator.comparing(Observation::time).thenComparing(Observation::key));
    List<Observation> back = new ArrayList<>();
    for (ConsumerRecord<String, String> r : got) {
      JsonNode n = JSON.readTree(r.value());
      Instant ts = Instant.parse(n.get("ts").asText());
      assertEquals(n.get("key").asText(), r.key(), "record key is the series key");
      assertEquals(ts.toEpochMilli(), r.timestamp(), "record timestamp is the event time");
      back.add(new Observation(r.key(), ts, n.get("value").asDouble()));
    }
    back.sort(Comparator.comparing(Observation::time).thenComparing(Observation::key));
    assertEquals(inOrder, back);
  }

  @Test
  void shouldDeliverEveryRowExactlyWhenBundledDatasetIsProduced(TestKafka kafka) throws Exception {
    String topic = TestKafka.uniqueName("vega");
    assertEquals(0, produce("produce", "--dataset", "vega_weather", "--topic", topic, "--partitions", "3",
        "--bootstrap", kafka.bootstrapServers()));
    List<Observation> csv = Datasets.read("vega_weather");
    List<ConsumerRecord<String, String>> got = kafka.consumeToEnd(topic, Duration.ofSeconds(60),
        IsolationLevel.READ_COMMITTED);
    assertEquals(csv.size(), got.size());
    assertEquals(8, got.stream().map(ConsumerRecord::key).distinct().count());
    assertSameEvents(csv, got);
  }

  @Test
  void shouldKeepEventTimeOrderPerPartitionWhenCsvFileIsProduced(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("series.csv");
    Files.writeString(file, "key,timestamp,value\n"
        + "b,2020-01-01T00:00:00Z,2.5\n"
        + "a,2020-01-01T00:30:00Z,1\n"
        + "a,2020-01-01T00:00:00Z,-3.25\n"
        + "b,2020-01-01T00:30:00Z,4e3\n");
    String topic = TestKafka.uniqueName("csv");
    assertEquals(0, produce("produce", "--file", file.toString(), "--topic", topic, "--partitions", "1",
        "--bootstrap", kafka.bootstrapServers()));
    List<ConsumerRecord<String, String>> got = kafka.consume(topic, 4, Duration.ofSeconds(30));
    assertEquals(List.of("a", "b", "a", "b"), got.stream().map(ConsumerRecord::key).toList(),
        "event-time order across keys, ties by key");
    assertSameEvents(List.of(
        new Observation("a", Instant.parse("2020-01-01T00:00:00Z"), -3.25),
        new Observation("b", Instant.parse("2020-01-01T00:00:00Z"), 2.5),
        new Observation("a", Instant.parse("2020-01-01T00:30:00Z"), 1),
        new Observation("b", Instant.parse("2020-01-01T00:30:00Z"), 4000)), got);
  }

  @Test
  void shouldSendEveryFieldThePipelineReadsWhenWideCsvIsProduced(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("wide.csv");
    Files.writeString(file, "key,timestamp,temp_max,temp_min,wind\n"
        + "Seattle,2012-01-02T00:00:00Z,10.6,2.8,4.5\n"
        + "New York,2012-01-01T00:00:00Z,10,3.3,5.1\n"
        + "Seattle,2012-01-01T00:00:00Z,12.8,5,\n"
        + "New York,2012-01-02T00:00:00Z,-1.5e1,0.6,8.7\n");
    String topic = TestKafka.uniqueName("wide");
    assertEquals(0, produce("produce", "--file", file.toString(), "--topic", topic, "--partitions", "1",
        "--bootstrap", kafka.bootstrapServers()));
    List<ConsumerRecord<String, String>> got = kafka.consume(topic, 4, Duration.ofSeconds(30));
    // read back as a pipeline with these value fields reads its input
    EventParser parser = new EventParser(SpecLoader.parse("wide.yaml", String.join("\n",
        "name: wide", "input: {valueFields: [temp_max, temp_min, wind], target: temp_max}",
        "window: {step: 1d}", "")).input());
    List<Object> parsed = new ArrayList<>();
    for (ConsumerRecord<String, String> r : got) {
      EventParser.Result result = parser.parse(r.key(), r.value().getBytes(StandardCharsets.UTF_8));
      parsed.add(result instanceof EventParser.Parsed p ? p.measurement() : result);
      assertEquals(Instant.parse(JSON.readTree(r.value()).get("ts").asText()).toEpochMilli(), r.timestamp());
    }
    assertEquals(List.of(
        new Measurement("New York", Instant.parse("2012-01-01T00:00:00Z"), new double[] {10, 3.3, 5.1}),
        new Measurement("Seattle", Instant.parse("2012-01-01T00:00:00Z"), new double[] {12.8, 5, Double.NaN}),
        new Measurement("New York", Instant.parse("2012-01-02T00:00:00Z"), new double[] {-15, 0.6, 8.7}),
        new Measurement("Seattle", Instant.parse("2012-01-02T00:00:00Z"), new double[] {10.6, 2.8, 4.5})), parsed,
        "event-time order across keys; the empty cell left out, which the pipeline reads as a missing covariate");
  }
}
