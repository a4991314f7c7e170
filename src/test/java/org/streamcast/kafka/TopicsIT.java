package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/** {@link Topics} against the test broker. */
@ExtendWith(KafkaExtension.class)
class TopicsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void shouldCreateTopicsWithPartitionsAndConfigWhenMissing(TestKafka kafka) throws Exception {
    String models = TestKafka.uniqueName("models");
    String series = TestKafka.uniqueName("series");
    List<TopicSpec> specs = List.of(
        TopicSpec.compacted(models, 1).with("max.message.bytes", "5242880"),
        TopicSpec.of(series, 3));

    Set<String> created = Topics.ensure(kafka.clientProps(), specs, TIMEOUT);

    assertEquals(Set.of(models, series), created);
    try (Admin admin = Admin.create(kafka.clientProps())) {
      assertEquals(1, describe(admin, models).partitions().size());
      assertEquals(3, describe(admin, series).partitions().size());
      Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, models)))
          .all().get().values().iterator().next();
      assertEquals("compact", config.get("cleanup.policy").value());
      assertEquals("5242880", config.get("max.message.bytes").value());
    }
  }

  @Test
  void shouldLeaveTopicAsItIsWhenItAlreadyExists(TestKafka kafka) throws Exception {
    String name = TestKafka.uniqueName("existing");
    assertEquals(Set.of(name), Topics.ensure(kafka.clientProps(), List.of(TopicSpec.of(name, 2)), TIMEOUT));

    Set<String> second = Topics.ensure(kafka.clientProps(), List.of(TopicSpec.of(name, 5)), TIMEOUT);

    assertEquals(Set.of(), second);
    try (Admin admin = Admin.create(kafka.clientProps())) {
      assertEquals(2, describe(admin, name).partitions().size());
    }
  }

  @Test
  void shouldNameTopicAndClusterWhenBrokerRefusesConfig(TestKafka kafka) {
    String name = TestKafka.uniqueName("bad-config");
    TopicSpec bad = TopicSpec.of(name, 1).with("cleanup.policy", "shred");

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Topics.ensure(kafka.clientProps(), List.of(bad), TIMEOUT));

    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertTrue(e.getMessage().contains(kafka.bootstrapServers()), e.getMessage());
    assertTrue(e.getMessage().contains("shred"), e.getMessage());
  }

  @Test
  void shouldCreateTopicWithoutANewerConfigWhenBrokerRefusesIt(TestKafka kafka) throws Exception {
    // a broker older than the config refuses its name; this one refuses the value, which names it the same way
    String name = TestKafka.uniqueName("newer-config");
    TopicSpec spec = TopicSpec.of(name, 1).with("max.decompressed.message.bytes", "many")
        .with("max.message.bytes", "200000");

    assertEquals(Set.of(name), Topics.ensure(kafka.clientProps(), List.of(spec), TIMEOUT));

    try (Admin admin = Admin.create(kafka.clientProps())) {
      Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
          .all().get().values().iterator().next();
      assertEquals("200000", config.get("max.message.bytes").value(), "the other configs kept");
      assertTrue(config.get("max.decompressed.message.bytes").isDefault(), "the refused one left out");
    }
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }
}
