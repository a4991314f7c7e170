package org.streamcast.config;

import java.util.regex.Pattern;

/** Kafka's rules for topic names, for specs and command-line options alike. */
public final class KafkaNames {
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  private KafkaNames() {}

  /** Whether Kafka accepts the name: 1 to 249 letters, digits, '.', '_' and '-', and not {@code .} or {@code ..}. */
  public static boolean isTopicName(String name) {
    return name != null && TOPIC.matcher(name).matches() && !name.equals(".") && !name.equals("..");
  }

  /**
   * Checks a topic name.
   *
   * @throws SpecException {@code source: field: "x y" is not a valid Kafka topic name (...)}
   */
  public static void checkTopic(String source, String field, String name) {
    if (!isTopicName(name)) {
      throw SpecException.of(source, field, Durations.quote(name)
          + " is not a valid Kafka topic name (1 to 249 letters, digits, '.', '_' and '-')");
    }
  }
}
