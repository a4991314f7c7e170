package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.registry.ModelTopic;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;

/**
 * A decompression bomb on the real broker, sent with kcat: a record of megabytes of zeros compressed with zstd to a
 * few kilobytes passes every limit on compressed bytes, and used to expand in full in the pipeline's consumer (a
 * 900 MB one ended a pipeline with a 1 GiB heap: OutOfMemoryError, and the same record again after every restart).
 * The input topic {@code run} creates refuses it at the broker; an uncompressed oversized record still reaches the
 * pipeline and is dead-lettered; honest events are forecast.
 */
@ExtendWith(KafkaExtension.class)
class DecompressionBoundIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

  @Test
  void shouldRefuseACompressedRecordThatExpandsBeyondTheLimitWhenRunCreatedTheInputTopic(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("bomb").replace('_', '-');
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "input: {maxRecordBytes: 65536}",
        "window: {step: 1m, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, horizon: 1, seasonalLags: [], calendar: []}",
        ""));
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), dir.resolve("state"), 0, null, null, null));
    Path bomb = Files.write(dir.resolve("bomb.bin"), new byte[8 << 20]);
    Path big = Files.writeString(dir.resolve("big.json"), "{\"key\":\"k\",\"pad\":\"" + "x".repeat(200_000) + "\"}");
    String topic = spec.input().topic();
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      try (Admin admin = Admin.create(kafka.clientProps())) {
        assertEquals("65536", topicConfig(admin, topic).get("max.decompressed.message.bytes").value());
        assertEquals(Optional.empty(), PipelineTopics.unboundedWarning(admin, topic, 65536, WAIT));
      }

      AssertionError refused = assertThrows(AssertionError.class, () -> Kcat.run(List.of("-P", "-b",
          kafka.bootstrapServers(), "-t", topic, "-k", "k", "-z", "zstd", "-X", "message.max.bytes=100000000",
          bomb.toString()), ""));
      assertTrue(refused.getMessage().contains("failed to validate record"), refused.getMessage());
      Kcat.run(List.of("-P", "-b", kafka.bootstrapServers(), "-t", topic, "-k", "k", big.toString()), "");
      List<String> honest = new ArrayList<>();
      for (int t = 0; t <= 5; t++) {
        honest.add("k={\"key\":\"k\",\"ts\":\"" + T0.plusSeconds(60L * t) + "\",\"value\":" + (10 + t) + "}");
      }
      Kcat.produce(kafka.bootstrapServers(), topic, honest);

      List<ConsumerRecord<String, String>> dlq = kafka.consume(spec.output().deadLetters(), 1, WAIT);
      assertEquals("too-large", new String(dlq.get(0).headers().lastHeader("streamcast.dlq.reason").value(),
          StandardCharsets.UTF_8), "the uncompressed oversized record");
      List<ConsumerRecord<String, String>> series = kafka.consume(spec.output().series(), 5, WAIT,
          IsolationLevel.READ_COMMITTED);
      assertEquals(5, series.size(), "minutes 0..4 closed: " + series);
      assertEquals(1, kafka.consumeToEnd(spec.output().deadLetters(), Duration.ofSeconds(5),
          IsolationLevel.READ_COMMITTED).size(), "nothing else dead-lettered");
    }
  }

  @Test
  void shouldRefuseAModelThatExpandsBeyondTheTopicLimitWhenCompressed(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String topic = TestKafka.uniqueName("models-bound");
    kafka.createTopic(new TopicSpec(topic, 1, ModelTopic.spec().config()));
    Path bomb = Files.write(dir.resolve("model.bin"), new byte[ModelTopic.MAX_MESSAGE_BYTES + (1 << 20)]);
    AssertionError refused = assertThrows(AssertionError.class, () -> Kcat.run(List.of("-P", "-b",
        kafka.bootstrapServers(), "-t", topic, "-k", "p", "-z", "zstd", "-X", "message.max.bytes=100000000",
        bomb.toString()), ""));
    assertTrue(refused.getMessage().contains("failed to validate record"), refused.getMessage());
  }

  @Test
  void shouldWarnNamingTheCommandWhenAnExistingInputTopicIsUnbounded(TestKafka kafka) {
    String topic = kafka.createTopic("plain", 1);
    try (Admin admin = Admin.create(kafka.clientProps())) {
      String warning = PipelineTopics.unboundedWarning(admin, topic, 65536, WAIT).orElseThrow();
      assertTrue(warning.contains("--entity-name " + topic + " --add-config max.decompressed.message.bytes=65536"),
          warning);
    }
  }

  private static Config topicConfig(Admin admin, String topic) throws Exception {
    return admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic))).all().get()
        .values().iterator().next();
  }
}
