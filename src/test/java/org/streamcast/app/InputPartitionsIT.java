package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;

/**
 * An input topic grown between runs on the real broker (the way to take more producers): a pipeline keyed by a JSON
 * field goes on with its state on the partitions it was built with; one keyed by the record key is refused with one
 * line saying what to do.
 */
@ExtendWith(KafkaExtension.class)
class InputPartitionsIT {
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "f", "g", "h");

  private static List<String> lines(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int h = from; h <= to; h++) {
      for (String key : KEYS) {
        out.add(key + "={\"key\":\"" + key + "\",\"ts\":\"" + T0.plusSeconds(3600L * h) + "\",\"value\":"
            + (100 + h) + "}");
      }
    }
    return out;
  }

  private static RuntimeSettings settings(TestKafka kafka, Path state) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, Map.of(),
        new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
  }

  /** A first run on a 2-partition input until every key forecast at hour 2, then the input grown to 4. */
  private static void runOnTwoPartitionsThenGrowToFour(TestKafka kafka, PipelineSpec spec, Path state)
      throws Exception {
    kafka.createTopic(PipelineTopics.keepBySize(TopicSpec.of(spec.input().topic(), 2)));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings(kafka, state))))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      Kcat.produce(kafka.bootstrapServers(), spec.input().topic(), lines(0, 3));
      List<String> first = KEYS.stream().map(k -> k + "@" + T0.plusSeconds(3600L * 2)).toList();
      Await.until(() -> KeyExpiryIT.forecasts(kafka, spec.output().forecasts()), f -> f.containsAll(first), WAIT,
          "every key forecast at hour 2");
    }
    try (Admin admin = Admin.create(kafka.clientProps())) {
      admin.createPartitions(Map.of(spec.input().topic(), NewPartitions.increaseTo(4))).all().get();
    }
  }

  @Test
  void shouldKeepEveryKeysStateWhenTheInputTopicGrowsBetweenRuns(TestKafka kafka, @TempDir Path state)
      throws Exception {
    String name = TestKafka.uniqueName("grow").replace('_', '-');
    PipelineSpec spec = PipelineIT.spec(name); // season 2: a key forecasts from its second step
    runOnTwoPartitionsThenGrowToFour(kafka, spec, state);

    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings(kafka, state))))) {
      Await.await(app::isReady, WAIT, "pipeline running again on 4 input partitions");
      Kcat.produce(kafka.bootstrapServers(), spec.input().topic(), lines(4, 6));
      // a forecast from hour 4, the first step after the restart, needs the step before it: the key's state was kept
      List<String> after = new ArrayList<>();
      for (String key : KEYS) {
        after.add(key + "@" + T0.plusSeconds(3600L * 4));
        after.add(key + "@" + T0.plusSeconds(3600L * 5));
      }
      Set<String> out = Await.until(() -> KeyExpiryIT.forecasts(kafka, spec.output().forecasts()),
          f -> f.containsAll(after), WAIT, "every key forecast at hours 4 and 5");
      assertTrue(out.containsAll(after), out.toString());
      assertTrue(app.isReady() && !app.hasFailed());
    }
    try (Admin admin = Admin.create(kafka.clientProps())) {
      String byKey = "streamcast-" + name + "-" + PipelineTopology.REPARTITION + "-repartition";
      assertEquals(2, admin.describeTopics(List.of(byKey)).allTopicNames().get().get(byKey).partitions().size(),
          "the state stays on the partitions it was built with");
      String input = spec.input().topic();
      assertEquals(4, admin.describeTopics(List.of(input)).allTopicNames().get().get(input).partitions().size());
    }
  }

  @Test
  void shouldRefuseWithOneLineWhenARecordKeyedPipelinesInputNoLongerMatchesItsState(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("growrk").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "input: {keyField: null}",
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, context: 8, horizon: 3, seasonalLags: [2], calendar: []}",
        ""));
    runOnTwoPartitionsThenGrowToFour(kafka, spec, state);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings(kafka, state)))).close());
    String changelog = "streamcast-" + name + "-" + PipelineTopology.KEY_STATE_STORE + "-changelog";
    assertEquals("pipeline " + name + " keys records by their record key, so its state has the input's partitions: "
        + changelog + " has 2, input topic " + spec.input().topic() + " now 4. Give the input 2 partitions again, or "
        + "start the pipeline over under a new --application-id-prefix (its state is rebuilt from the input)",
        e.getMessage());
  }
}
