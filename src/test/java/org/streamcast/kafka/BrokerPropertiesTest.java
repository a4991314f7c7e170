package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

/** The broker's server properties, checked by Kafka's own config parser. */
class BrokerPropertiesTest {

  private static final Path DIR = Path.of("/tmp/streamcast-test-kafka");

  @Test
  void shouldDescribeLoopbackCombinedNodeWhenPortsGiven() {
    KafkaConfig config = KafkaConfig.fromProps(BrokerProperties.build(19092, 19093, DIR, Map.of()), false);

    assertEquals(Set.of("broker", "controller"), Set.copyOf(config.getList("process.roles")));
    assertEquals(List.of("PLAINTEXT://127.0.0.1:19092", "CONTROLLER://127.0.0.1:19093"),
        config.getList("listeners"));
    assertEquals(List.of("PLAINTEXT://127.0.0.1:19092"), config.getList("advertised.listeners"));
    assertEquals(List.of("1@127.0.0.1:19093"), config.getList("controller.quorum.voters"));
    assertEquals(List.of(DIR.toString()), config.getList("log.dirs"));
  }

  @Test
  void shouldMakeTransactionsWorkOnOneNodeWhenDefaultsApply() {
    KafkaConfig config = KafkaConfig.fromProps(BrokerProperties.build(19092, 19093, DIR, Map.of()), false);

    Map<String, String> expected = Map.of(
        "offsets.topic.replication.factor", "1",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "share.coordinator.state.topic.replication.factor", "1",
        "share.coordinator.state.topic.min.isr", "1",
        "min.insync.replicas", "1",
        "group.initial.rebalance.delay.ms", "0",
        "num.partitions", "1",
        "log.retention.ms", "-1",
        "log.segment.bytes", String.valueOf(16 * 1024 * 1024));

    expected.forEach((key, value) -> assertEquals(value, String.valueOf(config.values().get(key)), key));
  }

  @Test
  void shouldNameOnlyRealBrokerSettingsWhenListingDevDefaults() {
    Set<String> known = KafkaConfig.configDef().names();

    for (String key : BrokerProperties.devDefaults().keySet()) {
      assertTrue(known.contains(key), key + " is not a Kafka broker setting");
    }
  }

  @Test
  void shouldLetOverridesWinWhenGiven() {
    Properties props = BrokerProperties.build(19092, 19093, DIR, Map.of("num.partitions", "4"));

    assertEquals(4, KafkaConfig.fromProps(props, false).values().get("num.partitions"));
  }
}
