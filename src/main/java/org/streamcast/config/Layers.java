package org.streamcast.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;

/** Builds {@link RuntimeSettings} layer by layer, remembering where each setting came from. */
final class Layers {
  private String bootstrap;
  private Path stateDir;
  private int httpPort;
  private String httpHost;
  private String applicationIdPrefix;
  private ProcessingGuarantee guarantee;
  private Path kafkaConfig;
  private final Map<String, String> properties;
  private final Map<String, String> origins;

  Layers(RuntimeSettings base) {
    bootstrap = base.bootstrapServers();
    stateDir = base.stateDir();
    httpPort = base.httpPort();
    httpHost = base.httpHost();
    applicationIdPrefix = base.applicationIdPrefix();
    guarantee = base.processingGuarantee();
    kafkaConfig = base.kafkaConfig();
    properties = new LinkedHashMap<>(base.kafkaProperties());
    origins = new LinkedHashMap<>(base.origins());
  }

  /** Sets one setting if {@code value} is not null. */
  void set(String setting, Object value, String origin) {
    if (value == null) {
      return;
    }
    switch (setting) {
      case RuntimeSettings.BOOTSTRAP -> bootstrap = (String) value;
      case RuntimeSettings.STATE_DIR -> stateDir = (Path) value;
      case RuntimeSettings.HTTP_PORT -> httpPort = (Integer) value;
      case RuntimeSettings.HTTP_HOST -> httpHost = (String) value;
      case RuntimeSettings.APPLICATION_ID_PREFIX -> applicationIdPrefix = (String) value;
      case RuntimeSettings.PROCESSING_GUARANTEE -> guarantee = (ProcessingGuarantee) value;
      case RuntimeSettings.KAFKA_CONFIG -> kafkaConfig = (Path) value;
      default -> throw new IllegalArgumentException("unknown setting " + setting);
    }
    origins.put(setting, origin);
  }

  /** Applies every given value of a layer; {@code origin} maps a setting name to its origin label. */
  void apply(RuntimeSettings.Overrides layer, UnaryOperator<String> origin) {
    set(RuntimeSettings.BOOTSTRAP, layer.bootstrap(), origin.apply(RuntimeSettings.BOOTSTRAP));
    set(RuntimeSettings.STATE_DIR, layer.stateDir(), origin.apply(RuntimeSettings.STATE_DIR));
    set(RuntimeSettings.HTTP_PORT, layer.httpPort(), origin.apply(RuntimeSettings.HTTP_PORT));
    set(RuntimeSettings.HTTP_HOST, layer.httpHost(), origin.apply(RuntimeSettings.HTTP_HOST));
    set(RuntimeSettings.APPLICATION_ID_PREFIX, layer.applicationIdPrefix(),
        origin.apply(RuntimeSettings.APPLICATION_ID_PREFIX));
    set(RuntimeSettings.PROCESSING_GUARANTEE, layer.processingGuarantee(),
        origin.apply(RuntimeSettings.PROCESSING_GUARANTEE));
    set(RuntimeSettings.KAFKA_CONFIG, layer.kafkaConfig(), origin.apply(RuntimeSettings.KAFKA_CONFIG));
  }

  /**
   * Adds pass-through properties (already checked). The keys that have their own setting replace it only when it
   * was not set explicitly (by a spec field, a variable or a flag).
   */
  void passThrough(Map<String, String> props, String origin) {
    for (Map.Entry<String, String> e : props.entrySet()) {
      String value = e.getValue();
      switch (e.getKey()) {
        case KafkaConfigFile.BOOTSTRAP_SERVERS -> setWeak(RuntimeSettings.BOOTSTRAP,
            SettingValues.bootstrap(origin, e.getKey(), value), origin);
        case KafkaConfigFile.STATE_DIR -> setWeak(RuntimeSettings.STATE_DIR,
            SettingValues.path(origin, e.getKey(), value), origin);
        case KafkaConfigFile.PROCESSING_GUARANTEE -> setWeak(RuntimeSettings.PROCESSING_GUARANTEE,
            SettingValues.guarantee(origin, e.getKey(), value), origin);
        default -> {
          SettingValues.passThrough(origin, e.getKey(), e.getKey(), value);
          properties.put(e.getKey(), value);
        }
      }
    }
  }

  private void setWeak(String setting, Object value, String origin) {
    if (!isExplicit(origins.get(setting))) {
      set(setting, value, origin);
    }
  }

  private static boolean isExplicit(String origin) {
    return origin != null && (origin.startsWith("env ") || origin.startsWith("flag ")
        || (origin.startsWith("spec runtime.") && !origin.startsWith("spec runtime.kafka")));
  }

  RuntimeSettings build() {
    return new RuntimeSettings(
        bootstrap, stateDir, httpPort, httpHost, applicationIdPrefix, guarantee, kafkaConfig, properties, origins);
  }
}
