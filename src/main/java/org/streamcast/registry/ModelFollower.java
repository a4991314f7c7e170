package org.streamcast.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.model.ModelArtifact;

/**
 * Follows {@link ModelTopic} for a set of pipelines: {@link #catchUp} reads it to its current end (the models to serve
 * before the first record), then {@link #follow} hands every later model to a listener from a background thread.
 * It reads with its own consumer (no group: every instance sees every model). A record that is not a readable
 * artifact is logged with its coordinates and skipped: the pipeline keeps its model.
 */
public final class ModelFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);
  private static final Duration POLL = Duration.ofMillis(500);

  /** Receives each new model; {@code artifact} is empty when the model was withdrawn (a tombstone). */
  @FunctionalInterface
  public interface Listener {
    void onModel(String pipeline, Optional<ModelArtifact> artifact, String coordinates);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Set<String> pipelines;
  private final String bootstrap;
  private volatile Thread thread;

  /** A follower of the models of {@code pipelines}; the model topic must exist. */
  public ModelFollower(Map<String, Object> clientProperties, Set<String> pipelines) {
    this.pipelines = Set.copyOf(pipelines);
    this.bootstrap = String.valueOf(clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-model-follower");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads the model topic from its start to its end as of now.
   *
   * @return the latest readable model of each followed pipeline that has one (a withdrawn model counts as none)
   * @throws KafkaUnreachableException when the topic cannot be read within {@code timeout}
   */
  public Map<String, ModelArtifact> catchUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<PartitionInfo> infos = consumer.partitionsFor(ModelTopic.NAME, timeout);
    while (infos == null || infos.isEmpty()) {
      // a topic created a moment ago may not be in every broker's metadata yet
      if (System.nanoTime() > deadline) {
        throw new KafkaUnreachableException("topic " + ModelTopic.NAME + " does not exist at " + bootstrap, null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while looking up " + ModelTopic.NAME, e);
      }
      infos = consumer.partitionsFor(ModelTopic.NAME, timeout);
    }
    List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    Map<String, Optional<ModelArtifact>> latest = new HashMap<>();
    while (!reached(end)) {
      if (System.nanoTime() > deadline) {
        throw new KafkaUnreachableException("could not read " + ModelTopic.NAME + " at " + bootstrap + " to its end "
            + end + " within " + timeout.toSeconds() + " s", null);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (pipelines.contains(r.key())) {
          parse(r).ifPresent(a -> latest.put(r.key(), a));
        }
      }
    }
    Map<String, ModelArtifact> out = new HashMap<>();
    latest.forEach((k, v) -> v.ifPresent(a -> out.put(k, a)));
    return out;
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Hands every model published after {@link #catchUp} to {@code listener}, from a daemon thread, until closed. */
  public void follow(Listener listener) {
    if (thread != null) {
      throw new IllegalStateException("already following");
    }
    Thread t = new Thread(() -> loop(listener), "streamcast-model-follower");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void loop(Listener listener) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          if (!pipelines.contains(r.key())) {
            continue;
          }
          Optional<Optional<ModelArtifact>> parsed = parse(r);
          if (parsed.isPresent()) {
            try {
              listener.onModel(r.key(), parsed.get(), coordinates(r));
            } catch (RuntimeException e) {
              LOG.error("model {} for pipeline {} was not taken into service: {}", coordinates(r), r.key(),
                  e.toString());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("following {} stopped: {}; the pipelines keep their current models", ModelTopic.NAME, e.toString());
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Empty when unreadable; a present empty optional for a tombstone. */
  private static Optional<Optional<ModelArtifact>> parse(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return Optional.of(Optional.empty());
    }
    try {
      return Optional.of(Optional.of(ModelArtifact.fromBytes(r.value())));
    } catch (RuntimeException e) {
      LOG.error("model record {} for pipeline {} is not a readable artifact ({}); ignoring it", coordinates(r),
          r.key(), e.getMessage());
      return Optional.empty();
    }
  }

  private static String coordinates(ConsumerRecord<String, byte[]> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  @Override
  public void close() {
    Thread t = thread;
    if (t == null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      return;
    }
    consumer.wakeup();
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
