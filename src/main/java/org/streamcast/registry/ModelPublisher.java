package org.streamcast.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.kafka.Topics;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.SealedArtifact;

/**
 * Publishes models to {@link ModelTopic}. A model is one record, written with {@code acks=all} and idempotence: it
 * is in the topic whole or not at all, so a publisher that dies at any point leaves the topic as it was or with the
 * complete new model.
 *
 * <p>Versions: the publisher reads the version of the pipeline's newest model on the topic (the one its followers
 * serve) and publishes under {@code max(latest + 1, creation time in epoch seconds)}, written into the artifact's
 * trailer and covered by its signature. A publisher whose clock is behind still publishes above the model in
 * service, and two models never share a version unless two publishers race on the same pipeline, in which case
 * followers keep the first and refuse the second as {@code stale-version}.
 */
public final class ModelPublisher implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrap;
  private final Map<String, Object> clientProperties;
  private final ModelKeys keys;

  /** Where a model went and under which version. */
  public record Published(RecordMetadata at, long version) {
    /** {@code topic-partition@offset}. */
    public String coordinates() {
      return at.topic() + "-" + at.partition() + "@" + at.offset();
    }
  }

  /** An unsigned publisher over {@code clientProperties}; creates the model topic when it is missing. */
  public ModelPublisher(Map<String, Object> clientProperties) {
    this(clientProperties, ModelKeys.NONE);
  }

  /**
   * A publisher over {@code clientProperties} that signs with {@code keys}' signing key (when set) and reads the
   * latest version as followers with its public key do; creates the model topic when it is missing.
   */
  public ModelPublisher(Map<String, Object> clientProperties, ModelKeys keys) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.keys = keys;
    this.bootstrap = String.valueOf(clientProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    Topics.ensure(clientProperties, List.of(ModelTopic.spec()), Topics.DEFAULT_TIMEOUT);
    Map<String, Object> props = new java.util.HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * (ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "streamcast-model-publisher");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Publishes {@code artifact} as the model of {@code pipeline} under the next version (see above) and waits until
   * the broker has it.
   *
   * @return where it was written and its version
   * @throws IllegalArgumentException when the artifact is larger than {@link ModelTopic#MAX_MESSAGE_BYTES}
   */
  public Published publish(String pipeline, ModelArtifact artifact) {
    long version = nextVersion(latestVersion(pipeline), artifact.provenance().createdAt().getEpochSecond());
    byte[] bytes = ArtifactFormat.write(artifact, version, keys.signingKey());
    if (bytes.length > ModelTopic.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("the model for " + pipeline + " is " + bytes.length + " bytes; "
          + ModelTopic.NAME + " takes at most " + ModelTopic.MAX_MESSAGE_BYTES + " (fewer keys or a smaller network)");
    }
    try {
      RecordMetadata at = producer.send(new ProducerRecord<>(ModelTopic.NAME, pipeline, bytes))
          .get(SEND_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      return new Published(at, version);
    } catch (ExecutionException e) {
      throw new KafkaUnreachableException("could not publish the model for " + pipeline + " to " + ModelTopic.NAME
          + " at " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException("Kafka at " + bootstrap + " did not take the model for " + pipeline
          + " within " + SEND_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the model for " + pipeline, e);
    }
  }

  /** The version to publish under: above the latest, and the creation time when the clocks agree. */
  static long nextVersion(long latest, long createdAtSeconds) {
    if (latest == Long.MAX_VALUE) {
      throw new IllegalStateException("the latest model version on " + ModelTopic.NAME + " is " + latest
          + "; no version above it exists");
    }
    return Math.max(Math.max(latest + 1, createdAtSeconds), 1);
  }

  /** The version of the pipeline's newest model on the topic that verifies (0 when none). */
  private long latestVersion(String pipeline) {
    try (ModelFollower follower = new ModelFollower(clientProperties, Set.of(pipeline), keys.publicKey(),
        ModelFollower.Rejections.NONE)) {
      SealedArtifact latest = follower.catchUp(SEND_TIMEOUT).get(pipeline);
      return latest == null ? 0 : latest.version();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
