package org.streamcast.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.streamcast.app.PipelineTopics;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.kafka.Topics;

/**
 * What the benchmark asks the cluster: topic creation and deletion, end and committed offsets (to see when an
 * application has processed and committed all its input), record counts and log sizes.
 */
final class KafkaProbe implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Map<String, Object> client;
  private final String bootstrap;
  private final Admin admin;

  KafkaProbe(Map<String, Object> clientProperties) {
    this.client = new HashMap<>(clientProperties);
    this.bootstrap = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-bench-probe");
    this.admin = Admin.create(props);
  }

  /**
   * Creates {@code topic} (size-based retention, as streamcast creates topics) unless it exists, and waits until the
   * cluster's metadata shows a leader for every partition: an application started before that may fail with a
   * missing source topic, and a producer may be told the broker is not the leader yet.
   */
  void createTopic(String topic, int partitions) {
    Topics.ensure(admin, bootstrap, List.of(PipelineTopics.keepBySize(TopicSpec.of(topic, partitions))), TIMEOUT);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS).get(topic);
        if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null
            && !p.leader().isEmpty())) {
          return;
        }
      } catch (ExecutionException e) {
        // not known yet: ask again
      } catch (TimeoutException e) {
        throw new IllegalStateException("Kafka did not describe " + topic + " within " + TIMEOUT.toSeconds() + " s",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + topic, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no leader for every partition after "
            + TIMEOUT.toSeconds() + " s");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** The partitions of {@code topic}. */
  List<TopicPartition> partitions(String topic) {
    TopicDescription d = get(() -> admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    List<TopicPartition> out = new ArrayList<>();
    d.partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition())));
    return out;
  }

  /** The end offset (next offset to be written, transaction markers included) of each partition. */
  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    get(() -> admin.listOffsets(request).all()).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** The offsets group {@code groupId} has committed (partitions without a commit are missing). */
  Map<TopicPartition, Long> committed(String groupId) {
    Map<TopicPartition, OffsetAndMetadata> c =
        get(() -> admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> out = new HashMap<>();
    c.forEach((tp, om) -> {
      if (om != null) {
        out.put(tp, om.offset());
      }
    });
    return out;
  }

  /**
   * Waits until application {@code groupId} has processed and committed every record of its {@code inputs} (topics
   * no transaction writes) and then of its {@code internal} topics (repartition topics, written by the application
   * itself: under exactly-once the last record of a partition is followed by a transaction marker, which a commit
   * may or may not have stepped over).
   *
   * @param progress told the records committed so far through every stage: of {@code inputs}, and when there are
   *                 {@code internal} topics, no more than their committed offsets (which also count transaction
   *                 markers, a fraction of a percent), so the count reaches the total only near the end
   * @param failure  gives the application's failure, if any (the wait then ends with it)
   * @return the {@link System#nanoTime()} at which everything was seen committed
   */
  long awaitCommitted(String groupId, List<String> inputs, List<String> internal, boolean transactional,
      Duration timeout, LongConsumer progress, Supplier<Throwable> failure, BooleanSupplier cancelled)
      throws InterruptedException {
    List<TopicPartition> inputPartitions = new ArrayList<>();
    inputs.forEach(t -> inputPartitions.addAll(partitions(t)));
    Map<TopicPartition, Long> inputEnds = endOffsets(inputPartitions);
    List<TopicPartition> internalPartitions = new ArrayList<>();
    internal.forEach(t -> internalPartitions.addAll(partitions(t)));
    long deadline = System.nanoTime() + timeout.toNanos();
    long slack = transactional ? 1 : 0;
    while (true) {
      Map<TopicPartition, Long> committed = committed(groupId);
      long done = 0;
      boolean inputsDone = true;
      for (TopicPartition tp : inputPartitions) {
        long c = committed.getOrDefault(tp, 0L);
        done += Math.min(c, inputEnds.get(tp));
        inputsDone &= c >= inputEnds.get(tp);
      }
      long throughInternal = 0;
      for (TopicPartition tp : internalPartitions) {
        throughInternal += committed.getOrDefault(tp, 0L);
      }
      progress.accept(internalPartitions.isEmpty() ? done : Math.min(done, throughInternal));
      if (inputsDone) {
        boolean internalDone = true;
        if (!internalPartitions.isEmpty()) {
          Map<TopicPartition, Long> ends = endOffsets(internalPartitions);
          for (TopicPartition tp : internalPartitions) {
            long end = ends.get(tp);
            internalDone &= end == 0 || committed.getOrDefault(tp, 0L) >= end - slack;
          }
        }
        if (internalDone) {
          return System.nanoTime();
        }
      }
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("application " + groupId + " failed: " + t, t);
      }
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("application " + groupId + " did not commit all its input within "
            + timeout.toSeconds() + " s (committed " + done + " of " + inputEnds.values().stream()
            .mapToLong(Long::longValue).sum() + " input records)");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Records of {@code topic} a read-committed consumer sees, read from the start to the current end. */
  long count(String topic) {
    Map<String, Object> props = new HashMap<>(client);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-bench-count");
    List<TopicPartition> parts = partitions(topic);
    Map<TopicPartition, Long> ends = endOffsets(parts);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds()
              + " s");
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        count += records.count();
      }
    }
    return count;
  }

  /** Bytes the cluster holds for the topics matching {@code which}, summed over partitions and replicas. */
  long logBytes(Predicate<String> which) {
    Collection<Node> nodes = get(() -> admin.describeCluster().nodes());
    List<Integer> ids = nodes.stream().map(Node::id).toList();
    Map<Integer, Map<String, LogDirDescription>> dirs = get(() -> admin.describeLogDirs(ids).allDescriptions());
    long bytes = 0;
    for (Map<String, LogDirDescription> byDir : dirs.values()) {
      for (LogDirDescription d : byDir.values()) {
        for (Map.Entry<TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
          if (which.test(e.getKey().topic())) {
            bytes += e.getValue().size();
          }
        }
      }
    }
    return bytes;
  }

  /** The topics whose names match {@code which}. */
  Set<String> topics(Predicate<String> which) {
    Set<String> names = new java.util.TreeSet<>(get(() -> admin.listTopics().names()));
    names.removeIf(which.negate());
    return names;
  }

  /** Deletes the topics whose names match {@code which} (the cluster finishes asynchronously). */
  void deleteTopics(Predicate<String> which) {
    Set<String> names = topics(which);
    if (!names.isEmpty()) {
      get(() -> admin.deleteTopics(names).all());
    }
  }

  private static <T> T get(Supplier<org.apache.kafka.common.KafkaFuture<T>> call) {
    try {
      return call.get().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka request failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
