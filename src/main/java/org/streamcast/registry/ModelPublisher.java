package org.streamcast.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.streamcast.model.ModelArtifact;

/**
 * Publishes models to {@link ModelTopic}. A model is one record, written with {@code acks=all} and idempotence: it
 * is in the topic whole or not at all, so a publisher that dies at any point leaves the topic as it was or with the
 * complete new model.
 */
public final class ModelPublisher implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrap;

  /** A publisher over {@code clientProperties}; creates the model topic when it is missing. */
  public ModelPublisher(Map<String, Object> clientProperties) {
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
   * Publishes {@code artifact} as the model of {@code pipeline} and waits until the broker has it.
   *
   * @return where it was written
   * @throws IllegalArgumentException when the artifact is larger than {@link ModelTopic#MAX_MESSAGE_BYTES}
   */
  public RecordMetadata publish(String pipeline, ModelArtifact artifact) {
    byte[] bytes = artifact.toBytes();
    if (bytes.length > ModelTopic.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("the model for " + pipeline + " is " + bytes.length + " bytes; "
          + ModelTopic.NAME + " takes at most " + ModelTopic.MAX_MESSAGE_BYTES + " (fewer keys or a smaller network)");
    }
    try {
      return producer.send(new ProducerRecord<>(ModelTopic.NAME, pipeline, bytes))
          .get(SEND_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
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

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
