package org.streamcast.registry;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.kafka.KafkaUnreachableException;
import org.streamcast.model.ArtifactException;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.Rejection;
import org.streamcast.model.SealedArtifact;

/**
 * Follows {@link ModelTopic} for a set of pipelines: {@link #catchUp} reads it to its current end and offers each
 * pipeline its newest model (the one to serve before the first record), then {@link #follow} offers every later
 * model from a background thread. It reads with its own consumer (no group: every instance sees every model).
 *
 * <p>Every artifact is verified ({@link ArtifactFormat#open}, with the public key when one is configured) before the
 * listener sees it, and the listener may refuse it too (unservable, stale version). A refused record is logged with
 * its coordinates, counted through {@link Rejections}, and skipped: the pipeline keeps its model. Catch-up parses only
 * the newest record of each pipeline and falls back to older ones, newest first and at most
 * {@value #CATCH_UP_CANDIDATES} in all, only while the newer ones are refused: at start-up a pipeline gets the newest
 * model that verifies, exactly as a running one would have. The follower thread survives any exception; if it dies
 * anyway (an {@link Error}), {@link #isFollowing} turns false and {@link #positions} says where a new follower
 * resumes (past the record it died on).
 */
public final class ModelFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** Records per pipeline catch-up may parse: the newest and, while refused, the ones before it. */
  static final int CATCH_UP_CANDIDATES = 4;

  /** Why a listener refused a model. */
  public record Refusal(Rejection reason, String detail) {}

  /** Takes each model into service, or says why not; {@code model} is empty when it was withdrawn (a tombstone). */
  @FunctionalInterface
  public interface Listener {
    Optional<Refusal> onModel(String pipeline, Optional<SealedArtifact> model, String coordinates);
  }

  /** Where refused records are counted. */
  @FunctionalInterface
  public interface Rejections {
    /** Counts nothing (the refusal is logged in any case). */
    Rejections NONE = (pipeline, reason) -> { };

    void rejected(String pipeline, Rejection reason);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Set<String> pipelines;
  private final String bootstrap;
  private final PublicKey publicKey;
  private final Rejections rejections;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> death = new AtomicReference<>();
  private volatile Thread thread;
  private volatile boolean closing;

  /**
   * How far ahead of this clock a model's version may be. Publishers stamp their creation second, or one above the
   * latest when several come within a second; a version far beyond (the largest long) left no version above it.
   */
  static final Duration MAX_AHEAD = Duration.ofDays(1);

  /** A follower of the models of {@code pipelines} that checks no signature and counts nothing. */
  public ModelFollower(Map<String, Object> clientProperties, Set<String> pipelines) {
    this(clientProperties, pipelines, null, Rejections.NONE);
  }

  /**
   * A follower of the models of {@code pipelines}; the model topic must exist.
   *
   * @param publicKey  when not {@code null}, only artifacts signed by the matching private key are offered
   * @param rejections where refused records are counted
   */
  public ModelFollower(Map<String, Object> clientProperties, Set<String> pipelines, PublicKey publicKey,
      Rejections rejections) {
    this.pipelines = Set.copyOf(pipelines);
    this.publicKey = publicKey;
    this.rejections = rejections;
    this.bootstrap = String.valueOf(clientProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ModelTopic.MAX_MESSAGE_BYTES + ModelTopic.BATCH_OVERHEAD);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one artifact (up to 64 MiB expanded) in memory at a time
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-model-follower");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads the model topic to its end as of now and returns the newest model of each followed pipeline that verifies.
   *
   * @return the model each pipeline would start on (a withdrawn model counts as none)
   * @throws KafkaUnreachableException when the topic cannot be read within {@code timeout}
   */
  public Map<String, SealedArtifact> catchUp(Duration timeout) {
    Map<String, SealedArtifact> out = new HashMap<>();
    catchUp(timeout, (pipeline, model, coordinates) -> {
      model.ifPresentOrElse(m -> out.put(pipeline, m), () -> out.remove(pipeline));
      return Optional.empty();
    });
    return out;
  }

  /**
   * Reads the model topic to its end as of now and offers each followed pipeline the model a running instance would
   * serve: of its newest {@value #CATCH_UP_CANDIDATES} records (back to a withdrawal), those that verify, highest
   * version first, until the listener takes one. A pipeline without an acceptable model is not offered anything.
   *
   * @throws KafkaUnreachableException when the topic cannot be read within {@code timeout}
   */
  public void catchUp(Duration timeout, Listener listener) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TopicPartition> partitions = partitions(timeout, deadline);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    // only the newest raw value per pipeline is held; older candidates are remembered by offset and fetched again
    Map<String, ConsumerRecord<String, byte[]>> newest = new LinkedHashMap<>();
    Map<String, Deque<Long>> older = new HashMap<>();
    while (!reached(end)) {
      checkDeadline(deadline, "could not read " + ModelTopic.NAME + " at " + bootstrap + " to its end " + end
          + " within " + timeout.toSeconds() + " s");
      for (ConsumerRecord<String, byte[]> r : pollSkippingBadRecords()) {
        if (r.key() == null) {
          refuse(null, coordinates(r), new Refusal(Rejection.NO_KEY, "the record has no key"));
        } else if (pipelines.contains(r.key())) {
          ConsumerRecord<String, byte[]> previous = newest.put(r.key(), r);
          if (previous != null) {
            Deque<Long> q = older.computeIfAbsent(r.key(), k -> new ArrayDeque<>());
            q.addFirst(previous.offset());
            if (q.size() >= CATCH_UP_CANDIDATES) {
              q.removeLast();
            }
          }
        }
      }
    }
    for (Map.Entry<String, ConsumerRecord<String, byte[]>> e : newest.entrySet()) {
      ConsumerRecord<String, byte[]> candidate = e.getValue();
      TopicPartition tp = new TopicPartition(candidate.topic(), candidate.partition());
      // Verified first, then offered highest version first: a running instance takes only a version above the one
      // it serves, so the newest record (a replay of an old version, say) is not what it serves; a restarted one
      // that took the newest by offset served another model than its peers and than `models list` shows.
      // A withdrawal (tombstone) ends the candidates: the models before it were withdrawn.
      List<long[]> verified = new ArrayList<>(); // {version, offset}
      if (candidate.value() == null) {
        offer(candidate, listener);
        continue;
      }
      verify(candidate).ifPresent(m -> verified.add(new long[] {m.version(), candidate.offset()}));
      for (long offset : older.getOrDefault(e.getKey(), new ArrayDeque<>())) {
        ConsumerRecord<String, byte[]> r = fetch(tp, offset, e.getKey(), deadline);
        if (r != null && r.value() == null) {
          break;
        }
        Optional<SealedArtifact> m = r == null ? Optional.empty() : verify(r);
        m.ifPresent(a -> verified.add(new long[] {a.version(), r.offset()}));
      }
      verified.sort((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(y[1], x[1]));
      boolean taken = false;
      for (int i = 0; i < verified.size() && !taken; i++) {
        ConsumerRecord<String, byte[]> r = verified.get(i)[1] == candidate.offset() ? candidate
            : fetch(tp, verified.get(i)[1], e.getKey(), deadline);
        taken = r != null && offer(r, listener);
      }
      if (!taken) {
        LOG.warn("pipeline {}: none of its newest {} records on {} was taken; it keeps what it serves", e.getKey(),
            CATCH_UP_CANDIDATES, ModelTopic.NAME);
      }
    }
    end.forEach((tp, offset) -> {
      consumer.seek(tp, offset);
      positions.put(tp, offset);
    });
  }

  private List<TopicPartition> partitions(Duration timeout, long deadline) {
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
    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
  }

  private void checkDeadline(long deadline, String message) {
    if (System.nanoTime() > deadline) {
      throw new KafkaUnreachableException(message, null);
    }
  }

  /** The record of {@code pipeline} at {@code offset} (compaction may have removed it: then null). */
  private ConsumerRecord<String, byte[]> fetch(TopicPartition tp, long offset, String pipeline, long deadline) {
    consumer.seek(tp, offset);
    while (true) {
      checkDeadline(deadline, "could not read " + ModelTopic.NAME + " at " + bootstrap + " back to offset " + offset);
      for (ConsumerRecord<String, byte[]> r : pollSkippingBadRecords()) {
        if (r.partition() == tp.partition() && r.offset() >= offset) {
          return r.offset() == offset && pipeline.equals(r.key()) ? r : null;
        }
      }
    }
  }

  private Iterable<ConsumerRecord<String, byte[]>> pollSkippingBadRecords() {
    try {
      return consumer.poll(POLL);
    } catch (RecordDeserializationException e) {
      LOG.warn("model record {}-{}@{} cannot be read ({}); skipping it", e.topicPartition().topic(),
          e.topicPartition().partition(), e.offset(), e.getMessage());
      consumer.seek(e.topicPartition(), e.offset() + 1);
      return List.of();
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Follows from where {@link #catchUp} ended, offering every later model to {@code listener}, until closed. */
  public void follow(Listener listener) {
    start(listener);
  }

  /**
   * Follows from {@code from} (the {@link #positions} of a follower that died) without catching up: the models
   * before those positions were offered already.
   */
  public void resume(Map<TopicPartition, Long> from, Listener listener) {
    List<TopicPartition> partitions = new ArrayList<>(from.keySet());
    consumer.assign(partitions);
    from.forEach(consumer::seek);
    positions.putAll(from);
    start(listener);
  }

  private void start(Listener listener) {
    if (thread != null) {
      throw new IllegalStateException("already following");
    }
    Thread t = new Thread(() -> loop(listener), "streamcast-model-follower");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void loop(Listener listener) {
    String at = "(no record yet)";
    try {
      while (!closing) {
        Iterable<ConsumerRecord<String, byte[]>> records;
        try {
          records = pollSkippingBadRecords();
        } catch (WakeupException | InterruptException e) {
          break;
        } catch (RuntimeException e) {
          LOG.error("polling {} at {} failed: {}; trying again in {} s", ModelTopic.NAME, bootstrap, e.toString(),
              RETRY.toSeconds());
          Thread.sleep(RETRY.toMillis());
          continue;
        }
        for (ConsumerRecord<String, byte[]> r : records) {
          at = coordinates(r);
          // past this record before it is handled: a follower restarted after dying on it does not meet it again
          positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          if (r.key() == null) {
            refuse(null, at, new Refusal(Rejection.NO_KEY, "the record has no key"));
          } else if (pipelines.contains(r.key())) {
            offer(r, listener);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) { // an Error: the app sees isFollowing() turn false and starts a new follower
      death.set(e);
      LOG.error("the model follower died at {}: {}; it will be restarted past that record", at, e.toString(), e);
    } finally {
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.debug("closing the model follower's consumer: {}", e.toString());
      }
    }
  }

  /**
   * {@code r}'s artifact if it verifies (format, checksum, signature, a version not too far ahead); a refusal is
   * logged and counted. A tombstone (withdrawn model) does not verify here.
   */
  private Optional<SealedArtifact> verify(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return Optional.empty();
    }
    String where = coordinates(r);
    SealedArtifact model;
    try {
      model = ArtifactFormat.open(r.value(), publicKey);
    } catch (ArtifactException e) {
      refuse(r.key(), where, new Refusal(e.reason(), e.getMessage()));
      return Optional.empty();
    } catch (RuntimeException e) {
      refuse(r.key(), where, new Refusal(Rejection.UNREADABLE, e.toString()));
      return Optional.empty();
    }
    long ahead = model.version() - Instant.now().getEpochSecond();
    if (ahead > MAX_AHEAD.toSeconds()) {
      refuse(r.key(), where, new Refusal(Rejection.FUTURE_VERSION, "version " + model.version() + " is "
          + ahead + " s ahead of this clock, more than the " + MAX_AHEAD.toHours() + " h a publisher's clock may be"));
      return Optional.empty();
    }
    return Optional.of(model);
  }

  /** Verifies {@code r} and offers it; whether it was taken (refusals are logged and counted). */
  private boolean offer(ConsumerRecord<String, byte[]> r, Listener listener) {
    String where = coordinates(r);
    Optional<SealedArtifact> model = Optional.empty();
    if (r.value() != null) {
      model = verify(r);
      if (model.isEmpty()) {
        return false;
      }
    }
    Optional<Refusal> refusal;
    try {
      refusal = listener.onModel(r.key(), model, where);
    } catch (RuntimeException e) {
      refusal = Optional.of(new Refusal(Rejection.UNSERVABLE, e.toString()));
    }
    refusal.ifPresent(f -> refuse(r.key(), where, f));
    return refusal.isEmpty();
  }

  /** Logs and counts a refused record; a keyless one is counted for every followed pipeline. */
  private void refuse(String pipeline, String coordinates, Refusal refusal) {
    LOG.warn("model record {} for pipeline {} rejected ({}): {}; the pipeline keeps its model", coordinates,
        pipeline == null ? "(no key)" : pipeline, refusal.reason().wire(), refusal.detail());
    for (String p : pipeline == null ? pipelines : Set.of(pipeline)) {
      try {
        rejections.rejected(p, refusal.reason());
      } catch (RuntimeException e) {
        LOG.debug("counting a rejection failed: {}", e.toString());
      }
    }
  }

  private static String coordinates(ConsumerRecord<String, byte[]> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /** Whether the follower thread runs (false before {@link #follow}, after {@link #close}, or when it died). */
  public boolean isFollowing() {
    Thread t = thread;
    return t != null && t.isAlive() && death.get() == null;
  }

  /** Whether the follower thread died of an error (not closed). */
  public boolean hasDied() {
    Thread t = thread;
    return !closing && t != null && !t.isAlive();
  }

  /** The offset of the next record to read in each partition (past every record handled or being handled). */
  public Map<TopicPartition, Long> positions() {
    return Map.copyOf(positions);
  }

  @Override
  public void close() {
    closing = true;
    Thread t = thread;
    if (t == null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      return;
    }
    if (t.isAlive()) {
      consumer.wakeup();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
