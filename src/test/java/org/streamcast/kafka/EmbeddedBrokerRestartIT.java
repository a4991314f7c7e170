package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.TestKafka;

/**
 * The {@code --data-dir} feature of {@link EmbeddedKafkaBroker}: data and cluster id survive a restart in the same
 * JVM. Uses the broker class directly (not the shared test broker), since restarting is what it tests.
 */
class EmbeddedBrokerRestartIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void shouldKeepRecordsTopicsAndClusterIdWhenRestartedOnSameDataDir(@TempDir Path tmp) {
    Path dataDir = tmp.resolve("kafka");
    String topic = "readings";
    List<KeyValue<String, String>> sent = IntStream.range(0, 50)
        .mapToObj(i -> KeyValue.pair("s-" + (i % 5), String.valueOf(i))).toList();
    String clusterId;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
      clusterId = broker.clusterId();
      TestKafka kafka = TestKafka.connect(broker.bootstrapServers());
      kafka.createTopic(TopicSpec.compacted("models", 1));
      kafka.createTopic(TopicSpec.of(topic, 2));
      kafka.produce(topic, sent);
      log("cold start (format + start)", broker.startupTime());
    }
    assertTrue(Files.exists(dataDir.resolve("meta.properties")), "the data directory is kept after close");

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
      log("restart on the same data dir", broker.startupTime());
      TestKafka kafka = TestKafka.connect(broker.bootstrapServers());

      List<ConsumerRecord<String, String>> got = kafka.consume(topic, 50, TIMEOUT);

      assertEquals(clusterId, broker.clusterId());
      assertEquals(sorted(sent), sorted(got.stream().map(r -> KeyValue.pair(r.key(), r.value())).toList()));
      assertEquals(2, got.stream().map(ConsumerRecord::partition).distinct().count());
      assertEquals(Set.of(), Topics.ensure(kafka.clientProps(),
          List.of(TopicSpec.compacted("models", 1), TopicSpec.of(topic, 2)), TIMEOUT), "both topics still exist");
    }
  }

  @Test
  void shouldDeleteTemporaryDataWhenClosedWithoutDataDir() {
    Path dataDir;
    String clusterId;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      dataDir = broker.dataDir();
      clusterId = broker.clusterId();
      assertTrue(Files.exists(dataDir.resolve("meta.properties")), "formatted while running");
      assertFalse(broker.isPersistent());
    }

    assertFalse(Files.exists(dataDir), dataDir + " is deleted on close");
    try (EmbeddedKafkaBroker other = EmbeddedKafkaBroker.builder().build().start()) {
      assertNotEquals(clusterId, other.clusterId(), "a fresh temporary broker is a new cluster");
    }
  }

  @Test
  void shouldRefuseDataDirWhenAnotherBrokerUsesIt(@TempDir Path tmp) {
    Path dataDir = tmp.resolve("kafka");
    try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
      EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();

      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);

      assertEquals(dataDir.toAbsolutePath() + " is in use by another Kafka broker in this JVM", e.getMessage());
      TestKafka kafka = TestKafka.connect(running.bootstrapServers());
      String topic = kafka.createTopic("still-serving", 1);
      kafka.produce(topic, List.of(KeyValue.pair("k", "v")));
      assertEquals("v", kafka.consume(topic, 1, TIMEOUT).get(0).value(), "the running broker still serves");
    }
  }

  private static List<String> sorted(List<KeyValue<String, String>> records) {
    return records.stream().map(kv -> kv.key + "=" + kv.value).sorted().toList();
  }

  private static void log(String what, Duration took) {
    System.out.printf("EmbeddedBrokerRestartIT: %s took %d ms%n", what, took.toMillis());
  }
}
