package org.streamcast.retrain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.domain.Step;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.kafka.StepSerde;

/**
 * Reads the last {@code span} of a pipeline's series topic ({@code read_committed}). The span ends at the newest step
 * in the topic (record timestamps are step starts, i.e. event time, which may be years old for replayed history), and
 * its start is located in every partition with {@code offsetsForTimes}. Records that are not series steps are logged
 * with their coordinates and skipped.
 */
public final class SeriesTopicReader {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesTopicReader.class);
  private static final Duration POLL = Duration.ofMillis(500);
  /** How far back from a partition's end the newest timestamp is looked for (transaction markers take offsets). */
  private static final int TAIL = 200;

  /** Receives {@code (read, total)} record counts while reading. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (read, total) -> { };

    void read(long read, long total);
  }

  private SeriesTopicReader() {}

  /**
   * Reads the steps of the last {@code span} of {@code topic}.
   *
   * @throws KafkaUnreachableException when the topic is missing or cannot be read within {@code timeout}
   */
  public static SeriesHistory read(Map<String, Object> clientProperties, String topic, Duration span,
      Duration timeout, Progress progress) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-retrainer-history");
    String bootstrap = String.valueOf(props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    Deserializer<Step> steps = StepSerde.json().deserializer();
    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaUnreachableException("topic " + topic + " does not exist at " + bootstrap
            + " (it is created when the pipeline first runs)", null);
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      long newest = newestTimestamp(consumer, begin, end, timeout);
      if (newest == Long.MIN_VALUE) {
        return new SeriesHistory(topic, Map.of());
      }
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, newest - span.toMillis()));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
      long total = 0;
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp s = starts.get(p);
        long from = s == null ? end.get(p) : s.offset();
        consumer.seek(p, from);
        total += end.get(p) - from;
      }
      List<Step> read = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      long seen = 0;
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnreachableException("could not read " + topic + " at " + bootstrap + " to its end within "
              + timeout.toSeconds() + " s", null);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          seen++;
          try {
            Step s = steps.deserialize(topic, r.value());
            if (s != null) {
              read.add(s);
            }
          } catch (RuntimeException e) {
            LOG.warn("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          }
        }
        progress.read(seen, total);
      }
      return SeriesHistory.of(topic, read);
    }
  }

  private static long newestTimestamp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> begin,
      Map<TopicPartition, Long> end, Duration timeout) {
    long newest = Long.MIN_VALUE;
    for (TopicPartition p : end.keySet()) {
      if (end.get(p) <= begin.get(p)) {
        continue;
      }
      consumer.seek(p, Math.max(begin.get(p), end.get(p) - TAIL));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(consumer, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        newest = Math.max(newest, r.timestamp());
      }
    }
    return newest;
  }

  private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
