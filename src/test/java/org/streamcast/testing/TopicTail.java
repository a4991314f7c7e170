package org.streamcast.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer that follows a whole topic from its beginning for the length of a test and keeps every record it has
 * read, so a test can wait for a count while a process writes (and crashes), then look at everything at once. No
 * consumer group: every partition is assigned manually. Keys and values stay bytes. Not thread-safe: use it from the
 * test thread.
 *
 * <pre>{@code
 * try (TopicTail tail = TopicTail.open(kafka, "x.forecasts", IsolationLevel.READ_COMMITTED)) {
 *   int n = tail.awaitCount(c -> c >= 100, Duration.ofSeconds(30), "100 committed forecasts");
 *   List<ConsumerRecord<byte[], byte[]>> all = tail.records();
 * }
 * }</pre>
 */
public final class TopicTail implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private TopicTail(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /** Starts following every partition of {@code topic} (which must exist) from its beginning. */
  public static TopicTail open(TestKafka kafka, String topic, IsolationLevel isolation) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps(isolation),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      Set<TopicPartition> partitions = Await.until(() -> consumer.partitionsFor(topic, TestKafka.DEFAULT_TIMEOUT),
              p -> !p.isEmpty(), TestKafka.DEFAULT_TIMEOUT, "partitions of topic " + topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .collect(Collectors.toSet());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return new TopicTail(consumer, topic);
    } catch (RuntimeException | AssertionError e) {
      consumer.close();
      throw e;
    }
  }

  /** Polls once (up to 100 ms) and returns how many records have been read in all. */
  public int poll() {
    consumer.poll(POLL).forEach(records::add);
    return records.size();
  }

  /**
   * Polls until the number of records read satisfies {@code done}, and returns it.
   *
   * @throws AssertionError after {@code timeout}, naming {@code description} and the count
   */
  public int awaitCount(java.util.function.IntPredicate done, Duration timeout, String description) {
    return Await.until(this::poll, done::test, timeout, description + " in " + topic);
  }

  /**
   * Polls until every partition is read to its current end (the last stable offset under read_committed, so open
   * transactions are not waited for) and returns how many records have been read in all.
   */
  public int readToEnd(Duration timeout) {
    java.util.Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
    Await.await(() -> {
      poll();
      return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
    }, timeout, "the end " + end + " of " + topic);
    return records.size();
  }

  /** Every record read so far, in the order polled (partition order within each partition). */
  public List<ConsumerRecord<byte[], byte[]>> records() {
    return Collections.unmodifiableList(records);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
