package org.streamcast.cli;

import java.nio.file.Path;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap} and {@code --kafka-config}, for every command that talks to Kafka. Each has an environment
 * variable ({@code STREAMCAST_BOOTSTRAP}, {@code STREAMCAST_KAFKA_CONFIG}); flags win over variables, variables over
 * a spec's {@code runtime} section, that over the defaults ({@link RuntimeSettings}).
 */
public final class KafkaOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: localhost:9092; env STREAMCAST_BOOTSTRAP).")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties file passed through to every client: SASL, SSL and the like "
          + "(env STREAMCAST_KAFKA_CONFIG).")
  Path kafkaConfig;

  /** The flags given, as the top layer of {@link RuntimeSettings#resolve}. */
  RuntimeSettings.Overrides overrides() {
    return new RuntimeSettings.Overrides(bootstrap, null, null, null, null, kafkaConfig);
  }

  /** Resolves the settings with the given spec runtime section and environment, and reads the kafka-config file. */
  RuntimeSettings resolve(PipelineSpec.Runtime spec, Map<String, String> env) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), spec, env, overrides()).loadKafkaConfig();
  }
}
