package org.streamcast.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in this JVM: one KRaft node that is broker and controller at once, built
 * from Kafka's own server jars (no Docker, no test kits). It formats its storage with {@link StorageTool} and runs
 * {@link KafkaRaftServer}; the settings are {@link BrokerProperties}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
 *   String bootstrap = broker.bootstrapServers();   // e.g. 127.0.0.1:39421
 * }
 * }</pre>
 *
 * <p>Ports: 0 (the default) picks free loopback ports. Data: with {@link Builder#dataDir(Path)} the data and the
 * cluster id survive a restart (a new instance on the same directory, in this JVM or another); without it a temporary
 * directory is used and deleted by {@link #close()}. An instance starts once; to restart, build a new one.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int START_ATTEMPTS = 3;

  private final int requestedPort;
  private final int requestedControllerPort;
  private final Path requestedDataDir;
  private final Map<String, String> overrides;

  private Path dataDir;
  private String clusterId;
  private int brokerPort;
  private KafkaRaftServer server;
  private Duration startupTime = Duration.ZERO;
  private boolean started;
  private boolean closed;

  private EmbeddedKafkaBroker(Builder b) {
    this.requestedPort = b.port;
    this.requestedControllerPort = b.controllerPort;
    this.requestedDataDir = b.dataDir;
    this.overrides = Map.copyOf(b.overrides);
  }

  /** A builder with free ports, a temporary data directory and the {@link BrokerProperties#devDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the storage (a no-op when the data directory is already formatted) and starts the broker; returns when
   * the broker accepts clients.
   *
   * @throws IllegalStateException when the broker cannot start (port taken, data directory unusable, ...), with a
   *     message saying why
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (started) {
      throw new IllegalStateException("this broker was already started; build a new one to restart");
    }
    started = true;
    long t0 = System.nanoTime();
    boolean temporary = requestedDataDir == null;
    try {
      if (requestedPort != 0) {
        LoopbackPorts.requireFree(requestedPort, "broker port");
      }
      if (requestedControllerPort != 0) {
        LoopbackPorts.requireFree(requestedControllerPort, "controller port");
      }
      dataDir = temporary ? Files.createTempDirectory("streamcast-kafka-") : DataDir.prepare(requestedDataDir);
      clusterId = DataDir.readClusterId(dataDir).orElseGet(() -> Uuid.randomUuid().toString());
      startWithRetries();
      startupTime = Duration.ofNanos(System.nanoTime() - t0);
      LOG.debug("Kafka broker at {} started in {} ms (data in {})", bootstrapServers(), startupTime.toMillis(),
          dataDir);
      return this;
    } catch (IOException e) {
      cleanUpAfterFailedStart(temporary);
      throw new IllegalStateException("Kafka broker failed to start: " + e, e);
    } catch (RuntimeException e) {
      cleanUpAfterFailedStart(temporary);
      throw e;
    }
  }

  private void startWithRetries() throws IOException {
    boolean portsFixed = requestedPort != 0 && requestedControllerPort != 0;
    for (int attempt = 1; ; attempt++) {
      brokerPort = requestedPort != 0 ? requestedPort : LoopbackPorts.freePort();
      int controllerPort = requestedControllerPort != 0
          ? requestedControllerPort : LoopbackPorts.freePort(brokerPort);
      Properties props = BrokerProperties.build(brokerPort, controllerPort, dataDir, overrides);
      format(props);
      KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      try {
        candidate.startup();
        server = candidate;
        return;
      } catch (RuntimeException e) {
        stopQuietly(candidate);
        // A free port picked here can be taken by another process before Kafka binds it: pick again.
        if (!portsFixed && attempt < START_ATTEMPTS && LoopbackPorts.isBindFailure(e)) {
          LOG.debug("Kafka broker could not bind its ports (attempt {}), retrying with new ones", attempt, e);
          continue;
        }
        throw new IllegalStateException("Kafka broker failed to start on " + BrokerProperties.HOST + ":" + brokerPort
            + " with data in " + dataDir + ": " + rootMessage(e), e);
      }
    }
  }

  /** Formats the data directory (KRaft storage) unless it already is: {@code --ignore-formatted}. */
  private void format(Properties props) throws IOException {
    Path configFile = Files.createTempFile("streamcast-kafka-", ".properties");
    try {
      try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
        props.store(out, "streamcast embedded broker");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int rc;
      try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        // execute(), not main(): main() ends the JVM.
        rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString(),
            "--ignore-formatted"}, printStream);
      } catch (Exception e) {
        throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": " + rootMessage(e), e);
      }
      if (rc != 0) {
        throw new IllegalStateException("cannot format Kafka storage in " + dataDir + " (exit " + rc + "): "
            + output.toString(StandardCharsets.UTF_8).strip());
      }
      LOG.debug("storage tool: {}", output.toString(StandardCharsets.UTF_8).strip());
    } finally {
      Files.deleteIfExists(configFile);
    }
  }

  /** {@code host:port} of the broker listener, for {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    requireRunning();
    return BrokerProperties.HOST + ":" + brokerPort;
  }

  /** The port clients connect to. */
  public synchronized int port() {
    requireRunning();
    return brokerPort;
  }

  /** Where the broker keeps its data (the given directory or a temporary one). */
  public synchronized Path dataDir() {
    requireRunning();
    return dataDir;
  }

  /** Whether the data survives {@link #close()} (a data directory was given). */
  public boolean isPersistent() {
    return requestedDataDir != null;
  }

  /** The KRaft cluster id, kept in the data directory's {@code meta.properties}. */
  public synchronized String clusterId() {
    requireRunning();
    return clusterId;
  }

  /** How long {@link #start()} took (formatting included). */
  public synchronized Duration startupTime() {
    return startupTime;
  }

  /** Stops the broker (controlled shutdown, waits for it) and deletes a temporary data directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      long t0 = System.nanoTime();
      stopQuietly(server);
      server = null;
      LOG.debug("Kafka broker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
    if (requestedDataDir == null && dataDir != null) {
      DataDir.deleteRecursively(dataDir);
    }
  }

  /**
   * Checks that {@code dir} can hold the broker's data: it is missing, empty, or an existing Kafka data directory
   * (holds {@code meta.properties}).
   *
   * @throws IllegalArgumentException naming the directory and the problem
   */
  public static void validateDataDir(Path dir) {
    DataDir.validate(dir);
  }

  private void cleanUpAfterFailedStart(boolean temporary) {
    closed = true;
    if (temporary && dataDir != null) {
      DataDir.deleteRecursively(dataDir);
    }
  }

  private void requireRunning() {
    if (server == null) {
      throw new IllegalStateException(closed ? "the broker is closed" : "the broker is not started");
    }
  }

  private static void stopQuietly(KafkaRaftServer s) {
    try {
      s.shutdown();
      s.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker did not shut down cleanly: {}", rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  /** Configures an {@link EmbeddedKafkaBroker}. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Path dataDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = checkPort(port, "port");
      return this;
    }

    /** The KRaft controller port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder controllerPort(int port) {
      this.controllerPort = checkPort(port, "controller port");
      return this;
    }

    /** A persistent data directory (created if missing); without one, a temporary directory deleted on close. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Any broker setting, overriding the defaults (e.g. {@code log.retention.ms}). */
    public Builder config(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /** The broker, not yet started. */
    public EmbeddedKafkaBroker build() {
      if (port != 0 && port == controllerPort) {
        throw new IllegalArgumentException("port and controller port must differ, both are " + port);
      }
      return new EmbeddedKafkaBroker(this);
    }

    private static int checkPort(int port, String what) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + port);
      }
      return port;
    }
  }
}
