package org.streamcast.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.kafka.Topics;

/**
 * The test JVM's Kafka broker as {@link KafkaExtension} hands it to tests: its bootstrap address and the client
 * helpers integration tests need (topics, producing and consuming strings). Consumers here use manual assignment
 * (no consumer group) and read from the beginning, so they never wait for a rebalance.
 */
public final class TestKafka implements AutoCloseable {

  /** How long helpers wait for the broker unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

  private final String bootstrapServers;
  private final String description;
  private final Runnable stopBroker;

  TestKafka(String bootstrapServers, String description, Runnable stopBroker) {
    this.bootstrapServers = bootstrapServers;
    this.description = description;
    this.stopBroker = stopBroker;
  }

  /**
   * Client helpers for a broker the test runs itself (an {@code EmbeddedKafkaBroker} or a {@code streamcast broker}
   * process); {@link #close()} then leaves that broker alone.
   */
  public static TestKafka connect(String bootstrapServers) {
    return new TestKafka(bootstrapServers, "broker", () -> { });
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Client properties holding just the bootstrap address. */
  public Map<String, Object> clientProps() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  /** Creates a topic with a unique name starting with {@code prefix} and returns the name. */
  public String createTopic(String prefix, int partitions) {
    return createTopic(TopicSpec.of(uniqueName(prefix), partitions));
  }

  /** Creates the topic (if missing) with {@link Topics#ensure} and returns its name. */
  public String createTopic(TopicSpec spec) {
    Topics.ensure(clientProps(), List.of(spec), DEFAULT_TIMEOUT);
    return spec.name();
  }

  /** A name no other test in this JVM uses: {@code prefix-N-xxxxxxxx}. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Producer properties with string serializers, acks=all and idempotence. */
  public Map<String, Object> producerProps() {
    Map<String, Object> props = clientProps();
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  /** Consumer properties with string deserializers, reading from the earliest offset. */
  public Map<String, Object> consumerProps(IsolationLevel isolation) {
    Map<String, Object> props = clientProps();
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
    return props;
  }

  /** Sends key/value strings to {@code topic} and waits until all are acknowledged. */
  public List<RecordMetadata> produce(String topic, List<KeyValue<String, String>> records) {
    return produceRecords(records.stream().map(kv -> new ProducerRecord<>(topic, kv.key, kv.value)).toList());
  }

  /** Sends records (with their own partitions, timestamps, headers) and waits until all are acknowledged. */
  public List<RecordMetadata> produceRecords(List<ProducerRecord<String, String>> records) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ProducerRecord<String, String> r : records) {
        sent.add(producer.send(r));
      }
      producer.flush();
      List<RecordMetadata> acks = new ArrayList<>();
      for (Future<RecordMetadata> f : sent) {
        acks.add(f.get());
      }
      return acks;
    } catch (ExecutionException e) {
      throw new AssertionError("producing to " + bootstrapServers + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while producing", e);
    }
  }

  /** Reads at least {@code count} records (read_uncommitted) from the start of every partition of {@code topic}. */
  public List<ConsumerRecord<String, String>> consume(String topic, int count, Duration timeout) {
    return consume(topic, count, timeout, IsolationLevel.READ_UNCOMMITTED);
  }

  /**
   * Reads from the start of every partition of {@code topic} until at least {@code count} records arrived; returns
   * all records polled so far (in partition order within each partition).
   *
   * @throws AssertionError when fewer than {@code count} arrive within {@code timeout}, listing what did
   */
  public List<ConsumerRecord<String, String>> consume(String topic, int count, Duration timeout,
      IsolationLevel isolation) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(isolation))) {
      consumer.assign(partitions(consumer, topic, timeout));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " records from " + topic + " at " + bootstrapServers
              + " within " + timeout.toMillis() + " ms, got " + records.size() + ": " + summary(records));
        }
        consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos()))).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Reads every record of {@code topic} up to its current end: the high watermark for read_uncommitted, the last
   * stable offset for read_committed (so aborted and open transactions are not waited for).
   */
  public List<ConsumerRecord<String, String>> consumeToEnd(String topic, Duration timeout,
      IsolationLevel isolation) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(isolation))) {
      Set<TopicPartition> partitions = partitions(consumer, topic, timeout);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("did not reach the end " + end + " of " + topic + " within "
              + timeout.toMillis() + " ms; got " + records.size() + ": " + summary(records));
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static Set<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
    Set<TopicPartition> partitions = Await.until(() -> consumer.partitionsFor(topic, timeout), p -> !p.isEmpty(),
        timeout, "partitions of topic " + topic).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .collect(Collectors.toSet());
    return partitions;
  }

  private static String summary(List<ConsumerRecord<String, String>> records) {
    return records.stream().limit(20).map(r -> r.key() + "=" + r.value()).collect(Collectors.joining(", ", "[",
        records.size() > 20 ? ", ...]" : "]"));
  }

  /** Stops the broker this handle owns (the extension calls it when the test plan ends). */
  @Override
  public void close() {
    stopBroker.run();
  }

  @Override
  public String toString() {
    return description + " at " + bootstrapServers;
  }
}
