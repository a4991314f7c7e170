package org.streamcast.cli;

import java.nio.file.Path;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;
import org.streamcast.config.RuntimeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of commands that run pipelines: {@link KafkaOptions} plus {@code --state-dir}, {@code --http-port},
 * {@code --http-host},
 * {@code --application-id-prefix} and {@code --processing-guarantee}. Every option {@code --x-y} has the variable
 * {@code STREAMCAST_X_Y}; precedence is defaults &lt; spec {@code runtime} &lt; environment &lt; flags.
 */
public final class RuntimeOptions {
  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Directory for local state stores (default: <tmp>/streamcast; env STREAMCAST_STATE_DIR).")
  Path stateDir;

  @Option(names = "--http-port", paramLabel = "N",
      description = "Port for metrics and queries; 0 picks a free one (default: 8080; env STREAMCAST_HTTP_PORT).")
  Integer httpPort;

  @Option(names = "--http-host", paramLabel = "HOST",
      description = "Address the HTTP port binds to: 127.0.0.1 serves this machine only, 0.0.0.0 every interface "
          + "(default: 127.0.0.1; env STREAMCAST_HTTP_HOST; the Docker image sets 0.0.0.0).")
  String httpHost;

  @Option(names = "--application-id-prefix", paramLabel = "PREFIX",
      description = "Prefix of each pipeline's Kafka Streams application id, <prefix>-<pipeline> "
          + "(default: streamcast; env STREAMCAST_APPLICATION_ID_PREFIX).")
  String applicationIdPrefix;

  @Option(names = "--processing-guarantee", paramLabel = "G", converter = GuaranteeConverter.class,
      description = "exactly_once_v2 or at_least_once (default: exactly_once_v2; env "
          + "STREAMCAST_PROCESSING_GUARANTEE).")
  ProcessingGuarantee processingGuarantee;

  /** The flags given, as the top layer of {@link RuntimeSettings#resolve}. */
  RuntimeSettings.Overrides overrides() {
    return new RuntimeSettings.Overrides(kafka.bootstrap, stateDir, httpPort, httpHost, applicationIdPrefix,
        processingGuarantee, kafka.kafkaConfig);
  }

  /** Resolves the settings of one pipeline and reads the kafka-config file. */
  public RuntimeSettings resolve(PipelineSpec.Runtime spec, Map<String, String> env) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), spec, env, overrides()).loadKafkaConfig();
  }

  /** Reads {@code --processing-guarantee} like its variable. */
  static final class GuaranteeConverter implements CommandLine.ITypeConverter<ProcessingGuarantee> {
    @Override
    public ProcessingGuarantee convert(String value) {
      try {
        return RuntimeSettings.parseGuarantee("streamcast", "--processing-guarantee", value);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" is not one of exactly_once_v2, at_least_once");
      }
    }
  }
}
