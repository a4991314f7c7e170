package org.streamcast.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;

/**
 * Where and how a pipeline runs: bootstrap servers, local state directory, HTTP port and host, application id prefix,
 * processing guarantee and pass-through Kafka client properties. Typed, validated and immutable.
 *
 * <p>Resolved by {@link #resolve} from four layers, each overriding the one before: built-in {@linkplain #defaults()
 * defaults} &lt; the spec's {@code runtime} section &lt; {@code STREAMCAST_*} environment variables &lt; command-line
 * flags. Every flag {@code --some-option} has the variable {@code STREAMCAST_SOME_OPTION} ({@link #envName}):
 * {@code STREAMCAST_BOOTSTRAP}, {@code STREAMCAST_STATE_DIR}, {@code STREAMCAST_HTTP_PORT},
 * {@code STREAMCAST_HTTP_HOST}, {@code STREAMCAST_APPLICATION_ID_PREFIX}, {@code STREAMCAST_PROCESSING_GUARANTEE},
 * {@code STREAMCAST_KAFKA_CONFIG}.
 * An empty variable counts as unset.
 *
 * <p>Pass-through properties (the spec's {@code runtime.kafka}, then the {@code --kafka-config} file, which wins) go to
 * every Kafka client as they are. Where one of them names a setting streamcast has its own option for
 * ({@code bootstrap.servers}, {@code state.dir}, {@code processing.guarantee}), it replaces only a default or another
 * pass-through value: an explicit spec field, variable or flag wins. {@code application.id} cannot be passed through
 * (it is {@code <applicationIdPrefix>-<pipeline>}).
 *
 * @param bootstrapServers    Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param stateDir            directory for local state
 * @param httpPort            port for metrics and queries; 0 picks a free one
 * @param httpHost            address the HTTP port binds to; {@code 127.0.0.1} unless set (the Docker image sets
 *                            {@code 0.0.0.0})
 * @param applicationIdPrefix prefix of each pipeline's Kafka Streams application id
 * @param processingGuarantee Kafka Streams processing guarantee
 * @param kafkaConfig         the {@code --kafka-config} properties file, or {@code null}; its properties are in
 *                            {@code kafkaProperties} only after {@link #loadKafkaConfig()}
 * @param kafkaProperties     pass-through client properties, without the keys above
 * @param origins             where each setting came from, e.g. {@code bootstrap -> env STREAMCAST_BOOTSTRAP}
 */
public record RuntimeSettings(
    String bootstrapServers,
    Path stateDir,
    int httpPort,
    String httpHost,
    String applicationIdPrefix,
    ProcessingGuarantee processingGuarantee,
    Path kafkaConfig,
    Map<String, String> kafkaProperties,
    Map<String, String> origins) {

  /** Prefix of every streamcast environment variable. */
  public static final String ENV_PREFIX = "STREAMCAST_";
  /** Default bootstrap servers. */
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  /** Default HTTP port. */
  public static final int DEFAULT_HTTP_PORT = 8080;
  /** Default HTTP host: loopback only, so nothing is reachable from the network unless asked for. */
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
  /** Default application id prefix. */
  public static final String DEFAULT_APPLICATION_ID_PREFIX = "streamcast";

  static final String BOOTSTRAP = "bootstrap";
  static final String STATE_DIR = "state-dir";
  static final String HTTP_PORT = "http-port";
  static final String HTTP_HOST = "http-host";
  static final String APPLICATION_ID_PREFIX = "application-id-prefix";
  static final String PROCESSING_GUARANTEE = "processing-guarantee";
  static final String KAFKA_CONFIG = "kafka-config";
  private static final String DEFAULT = "default";

  public RuntimeSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(applicationIdPrefix, "applicationIdPrefix");
    Objects.requireNonNull(processingGuarantee, "processingGuarantee");
    kafkaProperties = Map.copyOf(kafkaProperties);
    origins = Map.copyOf(origins);
  }

  /** Settings on the default HTTP host ({@value #DEFAULT_HTTP_HOST}). */
  public RuntimeSettings(String bootstrapServers, Path stateDir, int httpPort, String applicationIdPrefix,
      ProcessingGuarantee processingGuarantee, Path kafkaConfig, Map<String, String> kafkaProperties,
      Map<String, String> origins) {
    this(bootstrapServers, stateDir, httpPort, DEFAULT_HTTP_HOST, applicationIdPrefix, processingGuarantee,
        kafkaConfig, kafkaProperties, origins);
  }

  /**
   * The built-in defaults: {@code localhost:9092}, state in {@code <java.io.tmpdir>/streamcast}, HTTP port 8080 on
   * {@code 127.0.0.1},
   * prefix {@code streamcast}, exactly-once (v2), no pass-through properties.
   */
  public static RuntimeSettings defaults() {
    return new RuntimeSettings(
        DEFAULT_BOOTSTRAP, Path.of(System.getProperty("java.io.tmpdir"), "streamcast"), DEFAULT_HTTP_PORT,
        DEFAULT_HTTP_HOST, DEFAULT_APPLICATION_ID_PREFIX, ProcessingGuarantee.EXACTLY_ONCE_V2, null, Map.of(),
        Map.of());
  }

  /** The environment variable of a flag: {@code --state-dir} gives {@code STREAMCAST_STATE_DIR}. */
  public static String envName(String option) {
    return ENV_PREFIX + option.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Settings given on one layer (command-line flags, or any layer in tests); {@code null} means not given.
   *
   * @param bootstrap           {@code --bootstrap}
   * @param stateDir            {@code --state-dir}
   * @param httpPort            {@code --http-port}
   * @param httpHost            {@code --http-host}
   * @param applicationIdPrefix {@code --application-id-prefix}
   * @param processingGuarantee {@code --processing-guarantee}
   * @param kafkaConfig         {@code --kafka-config}
   */
  public record Overrides(
      String bootstrap,
      Path stateDir,
      Integer httpPort,
      String httpHost,
      String applicationIdPrefix,
      ProcessingGuarantee processingGuarantee,
      Path kafkaConfig) {
    /** Nothing given. */
    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);

    /** A layer without {@code --http-host}. */
    public Overrides(String bootstrap, Path stateDir, Integer httpPort, String applicationIdPrefix,
        ProcessingGuarantee processingGuarantee, Path kafkaConfig) {
      this(bootstrap, stateDir, httpPort, null, applicationIdPrefix, processingGuarantee, kafkaConfig);
    }
  }

  /**
   * Resolves the settings from the four layers; pure (no environment or file access of its own).
   *
   * @param defaults the bottom layer, usually {@link #defaults()}
   * @param spec     the spec's runtime section ({@link PipelineSpec.Runtime#NONE} when there is none)
   * @param env      environment variables; only {@code STREAMCAST_*} names are read
   * @param flags    command-line flags
   * @return the settings; the {@code --kafka-config} file, if any, is named but not yet read
   * @throws SpecException for a bad variable or flag value, naming it and the value
   */
  public static RuntimeSettings resolve(
      RuntimeSettings defaults, PipelineSpec.Runtime spec, Map<String, String> env, Overrides flags) {
    Layers layers = new Layers(defaults);
    String specPrefix = "spec runtime.";
    layers.set(BOOTSTRAP, spec.bootstrap(), specPrefix + "bootstrap");
    layers.set(STATE_DIR, spec.stateDir(), specPrefix + "stateDir");
    layers.set(HTTP_PORT, spec.httpPort(), specPrefix + "httpPort");
    layers.set(HTTP_HOST, spec.httpHost(), specPrefix + "httpHost");
    layers.set(APPLICATION_ID_PREFIX, spec.applicationIdPrefix(), specPrefix + "applicationIdPrefix");
    layers.set(PROCESSING_GUARANTEE, spec.processingGuarantee(), specPrefix + "processingGuarantee");
    layers.passThrough(spec.kafka(), "spec runtime.kafka");
    layers.apply(fromEnv(env), name -> "env " + envName(name));
    layers.apply(validated(flags), name -> "flag --" + name);
    return layers.build();
  }

  /**
   * These settings with the {@code --kafka-config} file's properties passed through (see the class comment for which
   * win); unchanged when no file is named. Reads the file.
   *
   * @throws SpecException when the file is missing, unreadable or holds a bad value
   */
  public RuntimeSettings loadKafkaConfig() {
    if (kafkaConfig == null) {
      return this;
    }
    return withKafkaProperties(KafkaConfigFile.read(kafkaConfig, origin(KAFKA_CONFIG)), "kafka-config " + kafkaConfig);
  }

  /** These settings with more pass-through properties, which win over earlier pass-through ones. Pure. */
  public RuntimeSettings withKafkaProperties(Map<String, String> properties, String origin) {
    Layers layers = new Layers(this);
    layers.passThrough(properties, origin);
    return layers.build();
  }

  /**
   * Parses a processing guarantee as a variable or flag would be: {@code exactly_once_v2} or {@code at_least_once}, any
   * case, '-' or '_'.
   *
   * @throws SpecException naming {@code source}, {@code field} and the value
   */
  public static ProcessingGuarantee parseGuarantee(String source, String field, String text) {
    return SettingValues.guarantee(source, field, text);
  }

  /** {@code <applicationIdPrefix>-<pipeline>}: the Kafka Streams application id of a pipeline. */
  public String applicationId(String pipeline) {
    return applicationIdPrefix + "-" + pipeline;
  }

  /** Properties for a plain Kafka client (producer, consumer, admin): pass-through plus {@code bootstrap.servers}. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new LinkedHashMap<>(kafkaProperties);
    props.put(KafkaConfigFile.BOOTSTRAP_SERVERS, bootstrapServers);
    return props;
  }

  /** Properties for a pipeline's Kafka Streams instance: client properties plus id, state dir and guarantee. */
  public Map<String, Object> streamsProperties(String pipeline) {
    Map<String, Object> props = clientProperties();
    props.put(KafkaConfigFile.APPLICATION_ID, applicationId(pipeline));
    props.put(KafkaConfigFile.STATE_DIR, stateDir.toString());
    props.put(KafkaConfigFile.PROCESSING_GUARANTEE, processingGuarantee.kafkaName());
    return props;
  }

  /** One line for a startup log: each setting with where it came from. */
  public String describe() {
    return "bootstrap " + bootstrapServers + " (" + origin(BOOTSTRAP) + "), state dir " + stateDir + " ("
        + origin(STATE_DIR) + "), http port " + httpPort + " (" + origin(HTTP_PORT) + "), http host " + httpHost + " ("
        + origin(HTTP_HOST) + "), application id prefix "
        + applicationIdPrefix + " (" + origin(APPLICATION_ID_PREFIX) + "), " + processingGuarantee.kafkaName() + " ("
        + origin(PROCESSING_GUARANTEE) + "), " + kafkaProperties.size() + " pass-through properties"
        + (kafkaConfig == null ? "" : " (kafka-config " + kafkaConfig + ")");
  }

  /** Where a setting ({@code bootstrap}, {@code state-dir}, ...) came from, e.g. {@code env STREAMCAST_BOOTSTRAP}. */
  public String origin(String setting) {
    return origins.getOrDefault(setting, DEFAULT);
  }

  private static Overrides fromEnv(Map<String, String> env) {
    String source = "environment";
    String bootstrap = env(env, BOOTSTRAP);
    String stateDir = env(env, STATE_DIR);
    String port = env(env, HTTP_PORT);
    String host = env(env, HTTP_HOST);
    String prefix = env(env, APPLICATION_ID_PREFIX);
    String guarantee = env(env, PROCESSING_GUARANTEE);
    String config = env(env, KAFKA_CONFIG);
    return new Overrides(
        bootstrap == null ? null : SettingValues.bootstrap(source, envName(BOOTSTRAP), bootstrap),
        stateDir == null ? null : SettingValues.path(source, envName(STATE_DIR), stateDir),
        port == null ? null : SettingValues.port(source, envName(HTTP_PORT), port),
        host == null ? null : SettingValues.host(source, envName(HTTP_HOST), host),
        prefix == null ? null : SettingValues.applicationIdPrefix(source, envName(APPLICATION_ID_PREFIX), prefix),
        guarantee == null ? null : SettingValues.guarantee(source, envName(PROCESSING_GUARANTEE), guarantee),
        config == null ? null : SettingValues.path(source, envName(KAFKA_CONFIG), config));
  }

  private static String env(Map<String, String> env, String setting) {
    String v = env.get(envName(setting));
    return v == null || v.isBlank() ? null : v;
  }

  private static Overrides validated(Overrides flags) {
    String source = "streamcast";
    if (flags.bootstrap() != null) {
      SettingValues.bootstrap(source, "--" + BOOTSTRAP, flags.bootstrap());
    }
    if (flags.httpPort() != null) {
      SettingValues.port(source, "--" + HTTP_PORT, flags.httpPort().toString());
    }
    if (flags.httpHost() != null) {
      SettingValues.host(source, "--" + HTTP_HOST, flags.httpHost());
    }
    if (flags.applicationIdPrefix() != null) {
      SettingValues.applicationIdPrefix(source, "--" + APPLICATION_ID_PREFIX, flags.applicationIdPrefix());
    }
    // an empty flag is a mistake, not "unset" (an empty variable is unset): `--state-dir ""` put the log file in the
    // working directory and ended in Kafka Streams' error about a directory named ""
    if (flags.stateDir() != null) {
      SettingValues.path(source, "--" + STATE_DIR, flags.stateDir().toString());
    }
    if (flags.kafkaConfig() != null) {
      SettingValues.path(source, "--" + KAFKA_CONFIG, flags.kafkaConfig().toString());
    }
    return flags;
  }
}
