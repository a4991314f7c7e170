package org.streamcast.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A topic that must exist: its name, partition count and topic-level configs (e.g. {@code cleanup.policy=compact},
 * {@code max.message.bytes}). The replication factor is the cluster's default ({@code default.replication.factor}).
 *
 * @param name the topic name
 * @param partitions the number of partitions when the topic is created (at least 1)
 * @param config topic configs, applied when the topic is created
 */
public record TopicSpec(String name, int partitions, Map<String, String> config) {

  /** Validates and freezes the spec. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
    }
    config = Map.copyOf(config);
  }

  /** A topic with {@code partitions} partitions and no topic configs. */
  public static TopicSpec of(String name, int partitions) {
    return new TopicSpec(name, partitions, Map.of());
  }

  /** A log-compacted topic (keeps the latest record per key), e.g. for models or state. */
  public static TopicSpec compacted(String name, int partitions) {
    return new TopicSpec(name, partitions, Map.of("cleanup.policy", "compact"));
  }

  /** This spec with one more topic config. */
  public TopicSpec with(String key, String value) {
    Map<String, String> merged = new LinkedHashMap<>(config);
    merged.put(key, value);
    return new TopicSpec(name, partitions, merged);
  }
}
