package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * Windows still open when an instance stops are closed by the next one, even when it lost its local state, and
 * windows already emitted are not emitted again: the resample processor's close index lives in memory and is rebuilt
 * from the windows store (which Kafka Streams first restores from its changelog), skipping the emitted windows that
 * stay in the store until their key's next event.
 */
@ExtendWith(KafkaExtension.class)
class OpenWindowsRestoreIT {

  @Test
  void shouldEmitWindowsOpenedBeforeRestartWhenStateDirWasLostAndStreamTimePassesThem(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("reopen").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 30m, aggregation: mean, grace: 0s}",
        ""));
    kafka.createTopic(TopicSpec.of(spec.input().topic(), 1));
    kafka.createTopic(TopicSpec.of(spec.output().series(), 1));
    kafka.createTopic(TopicSpec.of(spec.output().forecasts(), 1));
    kafka.createTopic(TopicSpec.of(spec.output().deadLetters(), 1));
    Properties props = StreamsSettings.of(spec, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, name,
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        StreamsConfig.STATE_DIR_CONFIG, state.toString()));

    try (KafkaStreams first = start(spec, props)) {
      kafka.produce(spec.input().topic(), List.of(
          KeyValue.pair("b", event("b", "2000-06-05T00:05:00Z", 2)),
          KeyValue.pair("a", event("a", "2000-06-05T00:10:00Z", 4)),
          KeyValue.pair("a", event("a", "2000-06-05T00:20:00Z", 6)),
          KeyValue.pair("c", event("c", "2000-06-05T00:30:00Z", 9)),
          KeyValue.pair("d", event("d", "2000-06-05T00:40:00Z", 1))));
      // a and b closed (their emitted windows stay in the store until their next event); c and d are open
      assertEquals(List.of("a", "b"), kafka.consume(spec.output().series(), 2, Duration.ofSeconds(60),
          IsolationLevel.READ_COMMITTED).stream().map(ConsumerRecord::key).toList());
      Await.await(() -> storedKeys(first) == 4, Duration.ofSeconds(60), "d's window in the store");
      first.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
    try (Stream<Path> files = Files.walk(state)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    try (KafkaStreams second = start(spec, props)) {
      kafka.produce(spec.input().topic(), List.of(KeyValue.pair("e", event("e", "2000-06-05T01:00:00Z", 3))));
      kafka.consume(spec.output().series(), 4, Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED);
      List<ConsumerRecord<String, String>> steps = kafka.consumeToEnd(spec.output().series(), Duration.ofSeconds(30),
          IsolationLevel.READ_COMMITTED);
      assertEquals(List.of("a", "b", "c", "d"), steps.stream().map(ConsumerRecord::key).toList(),
          "open windows closed after the restore, emitted ones not again, in (end, key) order");
      assertEquals("{\"key\":\"a\",\"ts\":\"2000-06-05T00:00:00Z\",\"value\":5.0,\"count\":2}", steps.get(0).value());
      assertEquals("{\"key\":\"d\",\"ts\":\"2000-06-05T00:30:00Z\",\"value\":1.0,\"count\":1}", steps.get(3).value());
      second.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  private static KafkaStreams start(PipelineSpec spec, Properties props) {
    KafkaStreams streams = new KafkaStreams(PipelineTopology.build(spec, PipelineObserver.NONE), props);
    streams.start();
    Await.await(() -> streams.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60), "RUNNING");
    return streams;
  }

  private static long storedKeys(KafkaStreams streams) {
    try {
      var store = streams.store(StoreQueryParameters.fromNameAndType(PipelineTopology.WINDOWS_STORE,
          QueryableStoreTypes.<String, Object>keyValueStore()));
      return count(store);
    } catch (InvalidStateStoreException e) {
      return -1;
    }
  }

  private static long count(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static String event(String key, String ts, double value) {
    return "{\"key\":\"" + key + "\",\"ts\":\"" + ts + "\",\"value\":" + value + "}";
  }
}
