package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/** Plain and transactional clients against the test broker: the prerequisites of exactly-once pipelines. */
@ExtendWith(KafkaExtension.class)
class KafkaRoundTripIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void shouldConsumeRecordsInProducedOrderWhenTopicHasOnePartition(TestKafka kafka) {
    String topic = kafka.createTopic("round-trip", 1);
    List<KeyValue<String, String>> sent = IntStream.range(0, 100)
        .mapToObj(i -> KeyValue.pair("s-" + (i % 7), "{\"value\": " + i + "}"))
        .toList();

    kafka.produce(topic, sent);
    List<ConsumerRecord<String, String>> got = kafka.consume(topic, 100, TIMEOUT);

    assertEquals(sent, got.stream().map(r -> KeyValue.pair(r.key(), r.value())).toList());
    assertEquals(IntStream.range(0, 100).mapToObj(i -> (long) i).toList(),
        got.stream().map(ConsumerRecord::offset).toList());
  }

  @Test
  void shouldKeepEventTimestampsWhenRecordsAreYearsOld(TestKafka kafka) {
    String topic = kafka.createTopic("old-events", 1);
    long june2000 = Instant.parse("2000-06-05T00:00:00Z").toEpochMilli();
    List<ProducerRecord<String, String>> sent = IntStream.range(0, 3)
        .mapToObj(i -> new ProducerRecord<>(topic, null, june2000 + i * 1_800_000L, "s-1", String.valueOf(i)))
        .toList();

    kafka.produceRecords(sent);
    List<ConsumerRecord<String, String>> got = kafka.consume(topic, 3, TIMEOUT);

    assertEquals(List.of(june2000, june2000 + 1_800_000L, june2000 + 3_600_000L),
        got.stream().map(ConsumerRecord::timestamp).toList());
    assertEquals(List.of(TimestampType.CREATE_TIME), got.stream().map(ConsumerRecord::timestampType).distinct()
        .toList());
  }

  @Test
  void shouldHideAbortedRecordsWhenConsumerReadsCommitted(TestKafka kafka) {
    String topic = kafka.createTopic("transactions", 2);
    try (KafkaProducer<String, String> producer = transactionalProducer(kafka, TestKafka.uniqueName("tx"))) {
      producer.initTransactions();
      sendInTransaction(producer, topic, List.of("a1", "a2"), true);
      sendInTransaction(producer, topic, List.of("b1", "b2"), false);
      sendInTransaction(producer, topic, List.of("c1"), true);
    }

    List<String> committed = values(kafka.consumeToEnd(topic, TIMEOUT, IsolationLevel.READ_COMMITTED));
    List<String> everything = values(kafka.consumeToEnd(topic, TIMEOUT, IsolationLevel.READ_UNCOMMITTED));

    assertEquals(List.of("a1", "a2", "c1"), committed);
    assertEquals(List.of("a1", "a2", "b1", "b2", "c1"), everything);
  }

  @Test
  void shouldCommitOutputAndInputOffsetsAtomicallyWhenConsumeTransformProduce(TestKafka kafka) throws Exception {
    String input = kafka.createTopic("eos-in", 1);
    String output = kafka.createTopic("eos-out", 1);
    String group = TestKafka.uniqueName("eos-group");
    kafka.produce(input, List.of(KeyValue.pair("k", "x"), KeyValue.pair("k", "y"), KeyValue.pair("k", "z")));

    Map<String, Object> consumerProps = kafka.consumerProps(IsolationLevel.READ_COMMITTED);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);
        KafkaProducer<String, String> producer = transactionalProducer(kafka, TestKafka.uniqueName("eos"))) {
      producer.initTransactions();
      consumer.subscribe(List.of(input));
      ConsumerRecords<String, String> records = Await.until(() -> consumer.poll(Duration.ofMillis(200)),
          r -> r.count() == 3, TIMEOUT, "3 records in one poll of " + input);
      producer.beginTransaction();
      records.forEach(r -> producer.send(new ProducerRecord<>(output, r.key(), r.value().toUpperCase())));
      producer.sendOffsetsToTransaction(Map.of(new TopicPartition(input, 0), new OffsetAndMetadata(3)),
          consumer.groupMetadata());
      producer.commitTransaction();
    }

    assertEquals(List.of("X", "Y", "Z"), values(kafka.consumeToEnd(output, TIMEOUT, IsolationLevel.READ_COMMITTED)));
    try (Admin admin = Admin.create(kafka.clientProps())) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      assertEquals(3L, offsets.get(new TopicPartition(input, 0)).offset());
    }
  }

  private static KafkaProducer<String, String> transactionalProducer(TestKafka kafka, String transactionalId) {
    Map<String, Object> props = kafka.producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(props);
  }

  private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, List<String> values,
      boolean commit) {
    producer.beginTransaction();
    // All to partition 0 so the order is defined (partition 1 stays empty and must not block reading to the end).
    values.forEach(v -> producer.send(new ProducerRecord<>(topic, 0, "k", v)));
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
