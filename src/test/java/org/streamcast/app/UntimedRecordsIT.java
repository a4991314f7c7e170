package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * Records without a Kafka timestamp (−1, what old clients write; the broker accepts them) on the real broker: Kafka
 * Streams' default extractor stopped the whole pipeline on the first one, and again at every restart. They are used
 * like any other record (the event time is in the event), next to a key whose records carry timestamps.
 */
@ExtendWith(KafkaExtension.class)
class UntimedRecordsIT {
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A record whose timestamp is −1: {@link ProducerRecord}'s constructor refuses it, an old client sends it. */
  private static final class Untimed extends ProducerRecord<String, String> {
    Untimed(String topic, String key, String value) {
      super(topic, key, value);
    }

    @Override
    public Long timestamp() {
      return -1L;
    }
  }

  private static String event(String key, int hour) {
    return "{\"key\":\"" + key + "\",\"ts\":\"" + T0.plusSeconds(3600L * hour) + "\",\"value\":" + (100 + hour) + "}";
  }

  @Test
  void shouldForecastFromRecordsWhenTheyCarryNoTimestamp(TestKafka kafka, @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("untimed").replace('_', '-');
    PipelineSpec spec = PipelineIT.spec(name); // hourly steps, no grace, season 2
    String topic = spec.input().topic();
    kafka.createTopic(PipelineTopics.keepBySize(TopicSpec.of(topic, 1)));
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    // the partition's first record has no timestamp either: before the partition has a time of its own
    records.add(new Untimed(topic, "untimed", event("untimed", 0)));
    records.add(new ProducerRecord<>(topic, "timed", event("timed", 0)));
    for (int h = 1; h <= 10; h++) {
      records.add(new ProducerRecord<>(topic, "timed", event("timed", h)));
      records.add(new Untimed(topic, "untimed", event("untimed", h)));
    }
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      List<RecordMetadata> sent = kafka.produceRecords(records);
      assertEquals(-1L, sent.get(0).timestamp(), "the broker keeps the record without a timestamp");

      List<String> expected = new ArrayList<>();
      for (String key : List.of("timed", "untimed")) {
        for (int h = 1; h <= 9; h++) { // the last hour's window stays open
          expected.add(key + "@" + T0.plusSeconds(3600L * h));
        }
      }
      Set<String> out = Await.until(() -> KeyExpiryIT.forecasts(kafka, spec.output().forecasts()),
          f -> f.containsAll(expected) || app.hasFailed(), WAIT, "every closed step of both keys forecast, hours 1..9");
      assertTrue(!app.hasFailed() && app.isReady(), "the pipeline runs on");
      assertTrue(out.containsAll(expected), "forecast: " + out);
      assertEquals(List.of(), kafka.consumeToEnd(spec.output().deadLetters(), Duration.ofSeconds(5),
          IsolationLevel.READ_COMMITTED).stream().map(ConsumerRecord::value).toList(), "nothing dead-lettered");
    }
  }
}
