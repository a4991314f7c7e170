package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;

/** A third-party client (kcat, librdkafka) produces to and consumes from the test broker. */
@ExtendWith(KafkaExtension.class)
class KcatIT {

  @Test
  void shouldDeliverKcatRecordsToJavaConsumerWhenKcatProduces(TestKafka kafka) {
    String topic = kafka.createTopic("kcat-in", 1);
    List<String> lines = IntStream.range(0, 20).mapToObj(i -> "s-" + (i % 3) + "=" + (i * 1.5)).toList();

    Kcat.produce(kafka.bootstrapServers(), topic, lines);

    List<String> got = kafka.consume(topic, 20, Duration.ofSeconds(30)).stream()
        .map(r -> r.key() + "=" + r.value()).toList();
    assertEquals(lines, got);
  }

  @Test
  void shouldDeliverJavaRecordsToKcatWhenJavaProduces(TestKafka kafka) {
    String topic = kafka.createTopic("kcat-out", 1);
    List<KeyValue<String, String>> records = IntStream.range(0, 20)
        .mapToObj(i -> KeyValue.pair("k" + i, "{\"value\":" + i + "}")).toList();

    kafka.produce(topic, records);

    List<String> expected = records.stream().map(kv -> kv.key + "=" + kv.value).toList();
    assertEquals(expected, Kcat.consume(kafka.bootstrapServers(), topic, 20));
  }
}
