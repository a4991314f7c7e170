package org.streamcast.topology;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.streamcast.config.PipelineSpec;

/**
 * The Kafka Streams configuration of a pipeline: exactly-once by default, explicit internal names enforced, the
 * tuning measured in BENCHMARKS.md, and Kafka's own dead-letter topic for unexpected processing errors. User client
 * properties (from {@code --kafka-config}) are applied last and win.
 */
public final class StreamsSettings {
  private StreamsSettings() {}

  /** The application id of a pipeline: {@code streamcast-<name>}; it prefixes changelog and repartition topics. */
  public static String applicationId(PipelineSpec spec) {
    return "streamcast-" + spec.name();
  }

  /**
   * Streams properties for {@code spec}.
   *
   * @param bootstrap bootstrap servers
   * @param stateDir  local state directory
   * @param overrides user client properties, applied last
   */
  public static Properties of(PipelineSpec spec, String bootstrap, String stateDir, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(spec));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, spec.output().deadLetters());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueProcessingExceptionHandler.class.getName());
    p.put("processing.exception.handler.global.enabled", true);
    p.put(StreamsConfig.consumerPrefix("max.poll.records"), 5000);
    p.putAll(overrides);
    return p;
  }
}
