package org.streamcast.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure topics exist before a command uses them. Idempotent: topics that already exist are left as they are
 * (their partitions and configs are not changed). Every failure names the bootstrap address. A config only newer
 * brokers know ({@link #NEWER_CONFIGS}) that the cluster refuses is left out, with a warning, rather than failing
 * the topic: a broker refuses a topic with a config name it does not know.
 */
public final class Topics {

  /** A sensible default for how long to wait for the cluster. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
  /** How often the leaders of topics just created are looked up. */
  private static final long LEADER_POLL_MS = 50;

  /** Topic configs of brokers newer than some a user may run (Kafka 4.4's bound on a record's decompressed size). */
  public static final Set<String> NEWER_CONFIGS = Set.of("max.decompressed.message.bytes");

  private Topics() {}

  /**
   * Creates the missing topics with an admin client built from {@code clientProps} (which must hold
   * {@code bootstrap.servers}; security settings pass through).
   *
   * @return the names of the topics this call created (the others existed)
   * @throws KafkaUnreachableException when the cluster does not answer within {@code timeout}
   * @throws IllegalStateException when the cluster refuses a topic (bad config, policy), naming the topic
   */
  public static Set<String> ensure(Map<String, ?> clientProps, Collection<TopicSpec> topics, Duration timeout) {
    Object bootstrap = clientProps.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null || bootstrap.toString().isBlank()) {
      throw new IllegalArgumentException("client properties lack " + AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    Map<String, Object> props = new LinkedHashMap<>(clientProps);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-topics");
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      throw new KafkaUnreachableException("cannot connect to Kafka at " + bootstrap + ": " + rootMessage(e), e);
    }
    try {
      return ensure(admin, bootstrap.toString(), topics, timeout);
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Creates the missing topics with an existing admin client.
   *
   * @param bootstrap the cluster's bootstrap address, for error messages
   * @return the names of the topics this call created (the others existed)
   * @throws KafkaUnreachableException when the cluster does not answer within {@code timeout}
   * @throws IllegalStateException when the cluster refuses a topic (bad config, policy), naming the topic
   */
  public static Set<String> ensure(Admin admin, String bootstrap, Collection<TopicSpec> topics, Duration timeout) {
    if (topics.isEmpty()) {
      return Set.of();
    }
    List<NewTopic> newTopics = topics.stream()
        .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(t.config()))
        .toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    CreateTopicsResult result = admin.createTopics(newTopics,
        new CreateTopicsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    Set<String> created = new LinkedHashSet<>();
    for (TopicSpec topic : topics) {
      // A little slack past the call's own deadline, so the admin client's TimeoutException wins the race.
      long waitNanos = Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(2);
      try {
        result.values().get(topic.name()).get(waitNanos, TimeUnit.NANOSECONDS);
        created.add(topic.name());
        LOG.debug("created topic {} ({} partitions, {})", topic.name(), topic.partitions(), topic.config());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof TopicExistsException) {
          continue;
        }
        if (cause instanceof InvalidConfigurationException && refusesNewerConfig(topic, cause)) {
          if (createWithoutNewerConfigs(admin, bootstrap, topic, cause, deadline)) {
            created.add(topic.name());
          }
          continue;
        }
        if (cause instanceof TimeoutException) {
          throw unreachable(bootstrap, topics, timeout, cause);
        }
        throw new IllegalStateException("Kafka at " + bootstrap + " refused to create topic " + topic.name() + ": "
            + rootMessage(cause), cause);
      } catch (java.util.concurrent.TimeoutException e) {
        throw unreachable(bootstrap, topics, timeout, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics on " + bootstrap, e);
      }
    }
    // every topic, not only those this call created: a create the admin client retried after a slow answer reports
    // the topic as existing, and a source topic the consumer's metadata does not show yet stops Kafka Streams at its
    // first rebalance (MissingSourceTopicException, seen on a loaded machine)
    Set<String> names = new LinkedHashSet<>();
    topics.forEach(t -> names.add(t.name()));
    awaitLeaders(admin, bootstrap, names, deadline, timeout);
    return created;
  }

  private static boolean refusesNewerConfig(TopicSpec topic, Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    return NEWER_CONFIGS.stream().anyMatch(c -> topic.config().containsKey(c) && message.contains(c));
  }

  /** Creates {@code topic} without its newer configs; false when it exists by now. */
  private static boolean createWithoutNewerConfigs(Admin admin, String bootstrap, TopicSpec topic, Throwable refusal,
      long deadline) {
    Map<String, String> config = new LinkedHashMap<>(topic.config());
    config.keySet().removeAll(NEWER_CONFIGS);
    LOG.warn("Kafka at {} refused {} for topic {} ({}); creating it without", bootstrap,
        topic.config().keySet().stream().filter(NEWER_CONFIGS::contains).sorted().toList(), topic.name(),
        rootMessage(refusal));
    long waitNanos = Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(2);
    try {
      admin.createTopics(List.of(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
          .configs(config))).all().get(waitNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new IllegalStateException("Kafka at " + bootstrap + " refused to create topic " + topic.name() + ": "
          + rootMessage(e.getCause()), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(bootstrap, List.of(topic), Duration.ofNanos(waitNanos), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic.name() + " on " + bootstrap, e);
    }
  }

  /**
   * Waits until every partition of the topics just created has a leader: a producer that sends before then gets
   * NOT_LEADER_OR_FOLLOWER for its first batches, and an idempotent one can then stall on out-of-order sequence
   * numbers until its delivery timeout (seen on a fresh single-broker cluster).
   */
  private static void awaitLeaders(Admin admin, String bootstrap, Set<String> names, long deadline,
      Duration timeout) {
    if (names.isEmpty()) {
      return;
    }
    try {
      while (true) {
        long left = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean led;
        try {
          Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
              .get(Math.max(1, left), TimeUnit.NANOSECONDS);
          led = described.values().stream().flatMap(d -> d.partitions().stream())
              .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            // described by nobody for another reason (no describe right): the clients' own retries take over
            LOG.debug("could not describe the topics {}: {}", names, rootMessage(e));
            return;
          }
          led = false; // names, not yet in the metadata of the broker that answered
        }
        if (led) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw leaderless(bootstrap, names, timeout, null);
        }
        Thread.sleep(LEADER_POLL_MS);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw leaderless(bootstrap, names, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the leaders of " + names, e);
    }
  }

  private static KafkaUnreachableException leaderless(String bootstrap, Set<String> names, Duration timeout,
      Throwable cause) {
    return new KafkaUnreachableException("Kafka at " + bootstrap + " did not give every partition of "
        + String.join(", ", names) + " a leader within " + format(timeout), cause);
  }

  private static KafkaUnreachableException unreachable(String bootstrap, Collection<TopicSpec> topics,
      Duration timeout, Throwable cause) {
    String names = topics.stream().map(TopicSpec::name).collect(Collectors.joining(", "));
    return new KafkaUnreachableException("Kafka at " + bootstrap + " did not answer within " + format(timeout)
        + " (creating topics " + names + "); is the broker running and the address right?", cause);
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
