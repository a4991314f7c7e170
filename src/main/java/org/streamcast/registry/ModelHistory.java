package org.streamcast.registry;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.model.ArtifactException;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.SealedArtifact;

/**
 * The models of one pipeline on {@link ModelTopic}, oldest first, as far as compaction kept them: what {@code
 * streamcast models} lists. Each record is verified as a follower verifies it ({@link ArtifactFormat#open}, with the
 * public key when one is given) and summarised; only the summaries are held (an artifact may be tens of MB), and
 * {@link #artifact} reads one record again. The model in service is the one a pipeline that followed the topic from
 * the start would serve: each record, in order, is taken when it verifies, can serve the pipeline and has a version
 * above the one in service; a tombstone withdraws the model (the pipeline serves its baseline).
 */
public final class ModelHistory implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  /** A model record summarised: never the weights. */
  public record Model(long version, boolean signed, Provenance provenance, String cell, int[] hiddenSizes,
      int horizon, int keys, Optional<String> mismatch) {
    /** The version this one rolled back to ({@link #ROLLBACK_OF} in its evaluation), if it is a rollback. */
    public Optional<Long> rollbackOf() {
      String v = provenance.evaluation().get(ROLLBACK_OF);
      try {
        return v == null ? Optional.empty() : Optional.of(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * One record of the pipeline on the topic.
   *
   * @param offset      its offset (the topic has one partition)
   * @param coordinates {@code topic-partition@offset}
   * @param written     its Kafka timestamp
   * @param model       the model, or empty for a tombstone or a record that does not verify
   * @param refusal     why it does not verify (empty when it does, or for a tombstone)
   */
  public record Entry(long offset, String coordinates, Instant written, Optional<Model> model,
      Optional<String> refusal) {
    /** Whether this is a tombstone (the pipeline's model withdrawn). */
    public boolean withdrawn() {
      return model.isEmpty() && refusal.isEmpty();
    }
  }

  /** The evaluation entry of a rollback: the version whose weights it republishes. */
  public static final String ROLLBACK_OF = "rollbackOf";
  /** The evaluation entry of a rollback: when it was made (ISO-8601). */
  public static final String ROLLED_BACK_AT = "rolledBackAt";

  private final KafkaConsumer<String, byte[]> consumer;
  private final PipelineSpec spec;
  private final PublicKey publicKey;
  private final String bootstrap;
  private final List<Entry> entries;
  private final Entry inService;

  private ModelHistory(Map<String, Object> clientProperties, PipelineSpec spec, PublicKey publicKey,
      Duration timeout) {
    this.spec = spec;
    this.publicKey = publicKey;
    this.bootstrap = String.valueOf(clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // `models list` and `show` must not create streamcast.models with the broker's defaults (delete after 7 days,
    // 1 MB records): the topic is made by `run` and the publisher, compacted and sized for artifacts
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int fetch = ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD;
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetch);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetch);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one artifact in memory at a time
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-models");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      this.entries = readAll(timeout);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      throw e;
    }
    Entry serving = null;
    long current = 0;
    for (Entry e : entries) {
      if (e.withdrawn()) {
        serving = null;
        current = 0;
      } else if (e.model().isPresent() && e.model().get().mismatch().isEmpty()
          && e.model().get().version() > current) {
        serving = e;
        current = e.model().get().version();
      }
    }
    this.inService = serving;
  }

  /**
   * Reads {@code spec}'s models on the topic (which must exist).
   *
   * @param publicKey when not {@code null}, records not signed by the matching private key are refused
   * @throws KafkaUnreachableException when the topic cannot be read to its end within {@code timeout}
   */
  public static ModelHistory read(Map<String, Object> clientProperties, PipelineSpec spec, PublicKey publicKey,
      Duration timeout) {
    return new ModelHistory(clientProperties, spec, publicKey, timeout);
  }

  /** The pipeline's records, oldest first. */
  public List<Entry> entries() {
    return entries;
  }

  /** The record a pipeline serves (see the class comment); empty while it serves its baseline. */
  public Optional<Entry> inService() {
    return Optional.ofNullable(inService);
  }

  /** The newest record that verifies with {@code version}, if any. */
  public Optional<Entry> find(long version) {
    Entry found = null;
    for (Entry e : entries) {
      if (e.model().isPresent() && e.model().get().version() == version) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The versions that verify, oldest first. */
  public List<Long> versions() {
    return entries.stream().flatMap(e -> e.model().stream()).map(Model::version).toList();
  }

  /** The artifact of {@code entry}, read again from the topic and verified. */
  public SealedArtifact artifact(Entry entry, Duration timeout) {
    TopicPartition tp = new TopicPartition(ModelTopic.NAME, 0);
    consumer.assign(List.of(tp));
    consumer.seek(tp, entry.offset());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (r.offset() == entry.offset() && r.value() != null) {
          return ArtifactFormat.open(r.value(), publicKey);
        }
        throw new IllegalStateException("the model record " + entry.coordinates() + " is gone (compacted)");
      }
    }
    throw new KafkaUnreachableException("could not read " + entry.coordinates() + " at " + bootstrap + " within "
        + timeout.toSeconds() + " s", null);
  }

  private List<Entry> readAll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<PartitionInfo> infos = consumer.partitionsFor(ModelTopic.NAME, timeout);
    if (infos == null || infos.isEmpty()) {
      return List.of(); // no model was ever published
    }
    List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    List<Entry> out = new ArrayList<>();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new KafkaUnreachableException("could not read " + ModelTopic.NAME + " at " + bootstrap
            + " to its end " + end + " within " + timeout.toSeconds() + " s", null);
      }
      Iterable<ConsumerRecord<String, byte[]>> records;
      try {
        records = consumer.poll(POLL);
      } catch (RecordDeserializationException e) {
        consumer.seek(e.topicPartition(), e.offset() + 1); // a key that is not UTF-8: not any pipeline's
        continue;
      }
      for (ConsumerRecord<String, byte[]> r : records) {
        if (spec.name().equals(r.key())) {
          out.add(entry(r));
        }
      }
    }
    return List.copyOf(out);
  }

  private Entry entry(ConsumerRecord<String, byte[]> r) {
    String at = r.topic() + "-" + r.partition() + "@" + r.offset();
    Instant written = Instant.ofEpochMilli(r.timestamp());
    if (r.value() == null) {
      return new Entry(r.offset(), at, written, Optional.empty(), Optional.empty());
    }
    try {
      SealedArtifact sealed = ArtifactFormat.open(r.value(), publicKey);
      ModelArtifact a = sealed.artifact();
      Model m = new Model(sealed.version(), sealed.signed(), a.provenance(), a.network().type().name()
          .toLowerCase(java.util.Locale.ROOT), a.network().hiddenSizes(), a.network().horizon(), a.keyScalers().size(),
          ServableModels.mismatch(spec, a));
      return new Entry(r.offset(), at, written, Optional.of(m), Optional.empty());
    } catch (ArtifactException e) {
      return new Entry(r.offset(), at, written, Optional.empty(), Optional.of(e.reason().wire() + ": "
          + e.getMessage()));
    } catch (RuntimeException e) {
      return new Entry(r.offset(), at, written, Optional.empty(), Optional.of("unreadable: " + e));
    }
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
