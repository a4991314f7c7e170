package org.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;
import org.streamcast.config.RuntimeSettings.Overrides;

class RuntimeSettingsTest {
  private static final RuntimeSettings DEFAULTS = new RuntimeSettings("localhost:9092", Path.of("/tmp/sc"), 8080,
      "streamcast", ProcessingGuarantee.EXACTLY_ONCE_V2, null, Map.of(), Map.of());
  private static final PipelineSpec.Runtime SPEC = new PipelineSpec.Runtime("spec:1", Path.of("/spec"), 1111,
      "spec-prefix", ProcessingGuarantee.AT_LEAST_ONCE, Map.of("linger.ms", "5"));
  private static final Map<String, String> ENV = Map.of(
      "STREAMCAST_BOOTSTRAP", "env:2",
      "STREAMCAST_STATE_DIR", "/env",
      "STREAMCAST_HTTP_PORT", "2222",
      "STREAMCAST_APPLICATION_ID_PREFIX", "env-prefix",
      "STREAMCAST_PROCESSING_GUARANTEE", "exactly_once_v2");
  private static final Overrides FLAGS = new Overrides("flag:3", Path.of("/flag"), 3333, "flag-prefix",
      ProcessingGuarantee.AT_LEAST_ONCE, null);

  private static RuntimeSettings resolve(PipelineSpec.Runtime spec, Map<String, String> env, Overrides flags) {
    return RuntimeSettings.resolve(DEFAULTS, spec, env, flags);
  }

  @Test
  void shouldKeepDefaultsWhenNoLayerSetsAnything() {
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of(), Overrides.NONE);
    assertEquals(DEFAULTS, s);
    assertEquals("default", s.origin("bootstrap"));
  }

  @Test
  void shouldTakeSpecOverDefaultsWhenSpecHasRuntimeSection() {
    RuntimeSettings s = resolve(SPEC, Map.of(), Overrides.NONE);
    assertEquals("spec:1", s.bootstrapServers());
    assertEquals(Path.of("/spec"), s.stateDir());
    assertEquals(1111, s.httpPort());
    assertEquals("spec-prefix", s.applicationIdPrefix());
    assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, s.processingGuarantee());
    assertEquals(Map.of("linger.ms", "5"), s.kafkaProperties());
    assertEquals("spec runtime.bootstrap", s.origin("bootstrap"));
  }

  @Test
  void shouldTakeEnvOverSpecWhenVariablesSet() {
    RuntimeSettings s = resolve(SPEC, ENV, Overrides.NONE);
    assertEquals("env:2", s.bootstrapServers());
    assertEquals(Path.of("/env"), s.stateDir());
    assertEquals(2222, s.httpPort());
    assertEquals("env-prefix", s.applicationIdPrefix());
    assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, s.processingGuarantee());
    assertEquals("env STREAMCAST_HTTP_PORT", s.origin("http-port"));
  }

  @Test
  void shouldTakeFlagsOverEnvWhenFlagsGiven() {
    RuntimeSettings s = resolve(SPEC, ENV, FLAGS);
    assertEquals("flag:3", s.bootstrapServers());
    assertEquals(Path.of("/flag"), s.stateDir());
    assertEquals(3333, s.httpPort());
    assertEquals("flag-prefix", s.applicationIdPrefix());
    assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, s.processingGuarantee());
    assertEquals("flag --state-dir", s.origin("state-dir"));
  }

  @Test
  void shouldResolveEachSettingFromItsHighestLayerWhenLayersMix() {
    PipelineSpec.Runtime spec = new PipelineSpec.Runtime(null, null, 1111, "spec-prefix", null, Map.of());
    Map<String, String> env = Map.of("STREAMCAST_STATE_DIR", "/env", "STREAMCAST_APPLICATION_ID_PREFIX", "env-p");
    Overrides flags = new Overrides("flag:3", null, null, null, null, null);
    RuntimeSettings s = resolve(spec, env, flags);
    assertEquals("flag:3", s.bootstrapServers());
    assertEquals(Path.of("/env"), s.stateDir());
    assertEquals(1111, s.httpPort());
    assertEquals("env-p", s.applicationIdPrefix());
    assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, s.processingGuarantee());
    assertEquals(Map.of("bootstrap", "flag --bootstrap", "state-dir", "env STREAMCAST_STATE_DIR", "http-port",
        "spec runtime.httpPort", "application-id-prefix", "env STREAMCAST_APPLICATION_ID_PREFIX"), s.origins());
  }

  @Test
  void shouldIgnoreEmptyAndUnrelatedVariablesWhenResolving() {
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE,
        Map.of("STREAMCAST_BOOTSTRAP", " ", "STREAMCAST_JAVA_OPTS", "-Xmx1g", "KAFKA_BOOTSTRAP", "x:1"),
        Overrides.NONE);
    assertEquals(DEFAULTS, s);
  }

  @Test
  void shouldMapFlagToVariableByNameWhenAsked() {
    assertEquals("STREAMCAST_BOOTSTRAP", RuntimeSettings.envName("--bootstrap"));
    assertEquals("STREAMCAST_STATE_DIR", RuntimeSettings.envName("--state-dir"));
    assertEquals("STREAMCAST_HTTP_PORT", RuntimeSettings.envName("http-port"));
    assertEquals("STREAMCAST_KAFKA_CONFIG", RuntimeSettings.envName("--kafka-config"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "STREAMCAST_HTTP_PORT | abc | environment: STREAMCAST_HTTP_PORT: \"abc\" is not a port number (0 to 65535)",
      "STREAMCAST_HTTP_PORT | 70000 | environment: STREAMCAST_HTTP_PORT: \"70000\" is not a port number (0 to 65535)",
      "STREAMCAST_HTTP_PORT | -1 | environment: STREAMCAST_HTTP_PORT: \"-1\" is not a port number (0 to 65535)",
      "STREAMCAST_BOOTSTRAP | localhost | environment: STREAMCAST_BOOTSTRAP: \"localhost\" is not a list of "
          + "host:port (e.g. localhost:9092 or broker1:9092,broker2:9092)",
      "STREAMCAST_BOOTSTRAP | a:1,,b:2 | environment: STREAMCAST_BOOTSTRAP: \"a:1,,b:2\" is not a list of "
          + "host:port (e.g. localhost:9092 or broker1:9092,broker2:9092)",
      "STREAMCAST_BOOTSTRAP | host:0 | environment: STREAMCAST_BOOTSTRAP: \"host:0\" is not a list of "
          + "host:port (e.g. localhost:9092 or broker1:9092,broker2:9092)",
      "STREAMCAST_PROCESSING_GUARANTEE | exactly_once | environment: STREAMCAST_PROCESSING_GUARANTEE: "
          + "\"exactly_once\" is not one of exactly_once_v2, at_least_once",
      "STREAMCAST_APPLICATION_ID_PREFIX | my app | environment: STREAMCAST_APPLICATION_ID_PREFIX: \"my app\" is not "
          + "a valid application id prefix (1 to 100 letters, digits, '.', '_' and '-')"})
  void shouldNameVariableAndValueWhenVariableIsBad(String name, String value, String message) {
    SpecException e = assertThrows(SpecException.class,
        () -> resolve(PipelineSpec.Runtime.NONE, Map.of(name, value), Overrides.NONE));
    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldNamePathVariableWhenPathIsInvalid() {
    SpecException e = assertThrows(SpecException.class,
        () -> resolve(PipelineSpec.Runtime.NONE, Map.of("STREAMCAST_STATE_DIR", "a\0b"), Overrides.NONE));
    assertEquals("environment: STREAMCAST_STATE_DIR: \"a\\u0000b\" is not a valid path (Nul character not allowed)",
        e.getMessage());
  }

  @Test
  void shouldNameFlagWhenFlagValueIsBad() {
    SpecException bootstrap = assertThrows(SpecException.class, () -> resolve(PipelineSpec.Runtime.NONE, Map.of(),
        new Overrides("nohost", null, null, null, null, null)));
    assertEquals("streamcast: --bootstrap: \"nohost\" is not a list of host:port (e.g. localhost:9092 or "
        + "broker1:9092,broker2:9092)", bootstrap.getMessage());
    SpecException port = assertThrows(SpecException.class, () -> resolve(PipelineSpec.Runtime.NONE, Map.of(),
        new Overrides(null, null, 65536, null, null, null)));
    assertEquals("streamcast: --http-port: \"65536\" is not a port number (0 to 65535)", port.getMessage());
    SpecException stateDir = assertThrows(SpecException.class, () -> resolve(PipelineSpec.Runtime.NONE, Map.of(),
        new Overrides(null, Path.of(""), null, null, null, null)));
    assertEquals("streamcast: --state-dir: an empty path is not allowed", stateDir.getMessage());
  }

  @Test
  void shouldPassFilePropertiesThroughWhenKafkaConfigNamed(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"),
        "security.protocol=SASL_SSL\nlinger.ms=20\nbootstrap.servers=file:9\nprocessing.guarantee=at_least_once\n");
    RuntimeSettings s = resolve(new PipelineSpec.Runtime(null, null, null, null,
            ProcessingGuarantee.EXACTLY_ONCE_V2, Map.of("linger.ms", "5", "acks", "all")),
        Map.of("STREAMCAST_KAFKA_CONFIG", file.toString()), Overrides.NONE);
    assertEquals(file, s.kafkaConfig());
    assertEquals(Map.of("linger.ms", "5", "acks", "all"), s.kafkaProperties(), "the file is only named so far");
    RuntimeSettings loaded = s.loadKafkaConfig();
    assertEquals(Map.of("linger.ms", "20", "acks", "all", "security.protocol", "SASL_SSL"), loaded.kafkaProperties());
    assertEquals("file:9", loaded.bootstrapServers(), "the file replaces the default bootstrap");
    assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, loaded.processingGuarantee(), "the spec field wins");
    assertEquals("kafka-config " + file, loaded.origin("bootstrap"));
  }

  @Test
  void shouldKeepExplicitBootstrapWhenFileAlsoNamesOne(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("c.properties"), "bootstrap.servers=file:9\n");
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of("STREAMCAST_BOOTSTRAP", "env:2"),
        new Overrides(null, null, null, null, null, file)).loadKafkaConfig();
    assertEquals("env:2", s.bootstrapServers());
    assertEquals(Map.of(), s.kafkaProperties());
  }

  @Test
  void shouldLetFileReplaceSpecPassThroughWhenBothNameBootstrap(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("c.properties"), "bootstrap.servers=file:9\n");
    PipelineSpec.Runtime spec = new PipelineSpec.Runtime(null, null, null, null, null,
        Map.of("bootstrap.servers", "spec-kafka:1"));
    RuntimeSettings s = resolve(spec, Map.of(), new Overrides(null, null, null, null, null, file));
    assertEquals("spec-kafka:1", s.bootstrapServers());
    assertEquals("file:9", s.loadKafkaConfig().bootstrapServers());
  }

  @Test
  void shouldReturnSameSettingsWhenNoKafkaConfigNamed() {
    RuntimeSettings s = resolve(SPEC, Map.of(), Overrides.NONE);
    assertSame(s, s.loadKafkaConfig());
    assertNull(s.kafkaConfig());
  }

  @Test
  void shouldFailNamingOriginWhenKafkaConfigMissing(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of(),
        new Overrides(null, null, null, null, null, missing));
    SpecException e = assertThrows(SpecException.class, s::loadKafkaConfig);
    assertEquals(missing + ": no such Kafka properties file (named by flag --kafka-config)", e.getMessage());
  }

  @Test
  void shouldRejectApplicationIdWhenFilePassesItThrough(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("c.properties"), "application.id=mine\n");
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of(), new Overrides(null, null, null, null, null,
        file));
    SpecException e = assertThrows(SpecException.class, s::loadKafkaConfig);
    assertEquals(file + ": application.id: cannot be passed through (streamcast sets it to "
        + "<applicationIdPrefix>-<pipeline>; set the prefix instead)", e.getMessage());
  }

  @Test
  void shouldRejectBadBootstrapWhenFileNamesOne(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("c.properties"), "bootstrap.servers=broker\n");
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of(), new Overrides(null, null, null, null, null,
        file));
    SpecException e = assertThrows(SpecException.class, s::loadKafkaConfig);
    assertEquals(file + ": bootstrap.servers: \"broker\" is not a list of host:port (e.g. localhost:9092 or "
        + "broker1:9092,broker2:9092)", e.getMessage());
  }

  @Test
  void shouldBuildClientAndStreamsPropertiesWhenResolved() {
    RuntimeSettings s = resolve(SPEC, Map.of(), Overrides.NONE);
    assertEquals(Map.of("bootstrap.servers", "spec:1", "linger.ms", "5"), s.clientProperties());
    assertEquals(Map.of("bootstrap.servers", "spec:1", "linger.ms", "5", "application.id", "spec-prefix-electricity",
        "state.dir", "/spec", "processing.guarantee", "at_least_once"), s.streamsProperties("electricity"));
  }

  @Test
  void shouldDescribeOriginsWhenLogged() {
    RuntimeSettings s = resolve(PipelineSpec.Runtime.NONE, Map.of("STREAMCAST_HTTP_PORT", "0"), Overrides.NONE);
    assertEquals("bootstrap localhost:9092 (default), state dir /tmp/sc (default), http port 0 "
        + "(env STREAMCAST_HTTP_PORT), http host 127.0.0.1 (default), application id prefix streamcast (default), "
        + "exactly_once_v2 (default), "
        + "0 pass-through properties", s.describe());
  }

  @Test
  void shouldPutStateUnderTempDirWhenUsingBuiltInDefaults() {
    RuntimeSettings d = RuntimeSettings.defaults();
    assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "streamcast"), d.stateDir());
    assertEquals("localhost:9092", d.bootstrapServers());
    assertEquals(8080, d.httpPort());
    assertEquals("streamcast-prices", d.applicationId("prices"));
  }
}
