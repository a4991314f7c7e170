package org.streamcast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/** The model topic's configuration against the real log cleaner. */
@ExtendWith(KafkaExtension.class)
class ModelTopicIT {

  @Test
  void shouldKeepSupersededModelsWhenTheLogCleanerCompacts(TestKafka kafka) throws Exception {
    // a segment holds one record (records of 600 KB, segments of 1 MiB) and any dirt is cleanable, so the broker's
    // cleaner (every 15 s) compacts both topics' closed segments
    Map<String, String> eager = Map.of("segment.bytes", Integer.toString(1 << 20), "min.cleanable.dirty.ratio", "0.01");
    TopicSpec model = ModelTopic.spec();
    Map<String, String> bare = new HashMap<>(model.config());
    bare.remove("min.compaction.lag.ms");
    String models = kafka.createTopic(withAll(new TopicSpec(TestKafka.uniqueName("models"), 1, model.config()), eager));
    String control = kafka.createTopic(withAll(new TopicSpec(TestKafka.uniqueName("control"), 1, bare), eager));
    for (String topic : List.of(models, control)) {
      writeVersions(kafka, topic);
    }

    // the control topic is compacted down to the newest record per key: the cleaner has run over both topics
    List<String> compacted = Await.until(() -> read(kafka, control),
        l -> l.stream().filter(v -> v.startsWith("weather")).count() == 1, Duration.ofSeconds(120),
        "the cleaner compacting the control topic");
    assertEquals(List.of("weather v3", "other v1"), compacted);
    assertEquals(List.of("weather v1", "weather v2", "weather v3", "other v1"), read(kafka, models),
        "superseded models were compacted away before " + ModelTopic.KEEP_HISTORY);
    assertTrue(ModelTopic.KEEP_HISTORY.toDays() >= 30);
  }

  private static TopicSpec withAll(TopicSpec t, Map<String, String> more) {
    TopicSpec out = t;
    for (Map.Entry<String, String> e : more.entrySet()) {
      out = out.with(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Three versions of one pipeline, each in its own segment, then a record of another in the active segment. */
  private static void writeVersions(TestKafka kafka, String topic) throws Exception {
    String padding = " " + "x".repeat(600_000);
    try (KafkaProducer<String, String> p = new KafkaProducer<>(kafka.clientProps(), new StringSerializer(),
        new StringSerializer())) {
      for (String[] r : new String[][] {{"weather", "v1"}, {"weather", "v2"}, {"weather", "v3"}, {"other", "v1"}}) {
        p.send(new ProducerRecord<>(topic, r[0], r[0] + " " + r[1] + padding)).get();
      }
    }
  }

  private static List<String> read(TestKafka kafka, String topic) {
    Map<String, Object> props = new HashMap<>(kafka.clientProps());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    TopicPartition tp = new TopicPartition(topic, 0);
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(r.value().substring(0, r.value().indexOf(' ', r.value().indexOf(' ') + 1)));
        }
      }
    }
    return out;
  }
}
