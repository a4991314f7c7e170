package org.streamcast.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.kafka.Topics;
import org.streamcast.topology.PipelineTopology;

/**
 * The topics a pipeline reads and writes. A missing input topic is created with {@link #DEFAULT_PARTITIONS}
 * partitions; the output topics get as many partitions as the input, so keys line up and instances scale together.
 * Topics streamcast creates keep records by size, not age ({@code retention.ms=-1}, {@link #RETENTION_BYTES} per
 * partition): their timestamps are event times, which may be years old when history is replayed, and time-based
 * retention would delete them at once. The input topic streamcast creates refuses a compressed record that would
 * expand beyond {@code input.maxRecordBytes} ({@code max.decompressed.message.bytes}): the broker bounds only the
 * compressed batch, so a few kilobytes of zeros compressed could otherwise expand to gigabytes in the pipeline's
 * consumer before any check of its own could run. Existing topics are never changed; an input topic without that
 * bound (an existing one, or one an older broker created without it) gets a warning naming the command that sets it.
 */
public final class PipelineTopics {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineTopics.class);
  /** Partitions of an input topic that streamcast creates. */
  public static final int DEFAULT_PARTITIONS = 4;
  /** Size-based retention per partition of the topics streamcast creates. */
  public static final String RETENTION_BYTES = Long.toString(1L << 30);

  private PipelineTopics() {}

  /** The topics of {@code spec}, with the input's partition count (or {@link #DEFAULT_PARTITIONS} when it is new). */
  public static List<TopicSpec> of(PipelineSpec spec, int partitions) {
    List<TopicSpec> out = new java.util.ArrayList<>(List.of(
        keepBySize(TopicSpec.of(spec.input().topic(), partitions)).with(
            TopicConfig.MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG, Integer.toString(spec.input().maxRecordBytes())),
        keepBySize(TopicSpec.of(spec.output().series(), partitions)),
        keepBySize(TopicSpec.of(spec.output().forecasts(), partitions)),
        keepBySize(TopicSpec.of(spec.output().deadLetters(), partitions))));
    if (spec.output().anomalies() != null) {
      out.add(keepBySize(TopicSpec.of(spec.output().anomalies(), partitions)));
    }
    return List.copyOf(out);
  }

  /** {@code t} with size-based retention: {@code retention.ms=-1} and {@link #RETENTION_BYTES} per partition. */
  public static TopicSpec keepBySize(TopicSpec t) {
    return t.with("retention.ms", "-1").with("retention.bytes", RETENTION_BYTES);
  }

  /** Creates the missing topics of {@code spec}; returns the names created. */
  public static java.util.Set<String> ensure(Admin admin, String bootstrap, PipelineSpec spec, Duration timeout) {
    int partitions = partitionsOf(admin, bootstrap, spec.input().topic(), timeout).orElse(DEFAULT_PARTITIONS);
    java.util.Set<String> created = Topics.ensure(admin, bootstrap, of(spec, partitions), timeout);
    unboundedWarning(admin, spec.input().topic(), spec.input().maxRecordBytes(), timeout).ifPresent(LOG::warn);
    return created;
  }

  /**
   * The warning for an existing input topic that lets a compressed record expand beyond {@code maxRecordBytes}
   * (or whose bound cannot be read: an older broker, or no right to describe configs); empty when it is bounded.
   */
  static Optional<String> unboundedWarning(Admin admin, String topic, int maxRecordBytes, Duration timeout) {
    String bound = null;
    try {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      ConfigEntry e = admin.describeConfigs(List.of(r)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(r)
          .get(TopicConfig.MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG);
      bound = e == null ? null : e.value();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("could not read the configs of topic {}", topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    long limit;
    try {
      limit = bound == null ? Long.MAX_VALUE : Long.parseLong(bound);
    } catch (NumberFormatException e) {
      limit = Long.MAX_VALUE;
    }
    if (limit <= maxRecordBytes) {
      return Optional.empty();
    }
    return Optional.of("input topic " + topic + " lets a compressed record expand to "
        + (bound == null ? "an unknown number of" : bound) + " bytes (max.decompressed.message.bytes), more than "
        + "input.maxRecordBytes (" + maxRecordBytes + "): a few compressed kilobytes can then take that much memory "
        + "in this pipeline's consumer before the record is dead-lettered. Bound it: kafka-configs.sh "
        + "--bootstrap-server ... --alter --entity-type topics --entity-name " + topic
        + " --add-config max.decompressed.message.bytes=" + maxRecordBytes);
  }


  /**
   * How many partitions the pipeline's keyed state spreads over, for {@link
   * org.streamcast.topology.PipelineTopology#build(PipelineSpec, org.streamcast.model.ModelHolder,
   * org.streamcast.quality.PipelineScores, org.streamcast.topology.PipelineObserver, int)}: a pipeline that keys by
   * a JSON field keeps the count of its by-key repartition topic once that exists (its state was built over it), so
   * the input topic may grow (more producers, more parsing tasks) or be recreated with another count. One keyed by
   * the record key has no repartition topic: its state follows the input, and an input whose count no longer matches
   * the state's changelog is refused with one line saying what to do.
   *
   * @throws IllegalStateException for a record-keyed pipeline whose input no longer matches its state
   */
  public static int statePartitions(Admin admin, String bootstrap, PipelineSpec spec, String applicationId,
      Duration timeout) {
    int input = partitionsOf(admin, bootstrap, spec.input().topic(), timeout).orElse(DEFAULT_PARTITIONS);
    if (spec.input().keyField() != null) {
      String byKey = applicationId + "-" + PipelineTopology.REPARTITION + "-repartition";
      return partitionsOf(admin, bootstrap, byKey, timeout).orElse(input);
    }
    String changelog = applicationId + "-" + PipelineTopology.KEY_STATE_STORE + "-changelog";
    Optional<Integer> state = partitionsOf(admin, bootstrap, changelog, timeout);
    if (state.isPresent() && state.get() != input) {
      throw new IllegalStateException("pipeline " + spec.name() + " keys records by their record key, so its state "
          + "has the input's partitions: " + changelog + " has " + state.get() + ", input topic "
          + spec.input().topic() + " now " + input + ". Give the input " + state.get() + " partitions again, or "
          + "start the pipeline over under a new --application-id-prefix (its state is rebuilt from the input)");
    }
    return input;
  }

  /** The partition count of {@code topic}, or empty when it does not exist. */
  static Optional<Integer> partitionsOf(Admin admin, String bootstrap, String topic, Duration timeout) {
    try {
      Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(d.get(topic).partitions().size());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new KafkaUnreachableException("Kafka at " + bootstrap + " could not describe topic " + topic + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException("Kafka at " + bootstrap + " did not answer within " + timeout.toMillis()
          + " ms (describing topic " + topic + "); is the broker running and the address right?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic " + topic, e);
    }
  }
}
