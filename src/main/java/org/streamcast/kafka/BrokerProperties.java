package org.streamcast.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The server properties of streamcast's single-node development broker: one KRaft node that is broker and controller
 * at once, listening on loopback only, with every internal topic at replication factor 1 and min ISR 1 so that
 * transactions (exactly-once) work on a single node.
 *
 * <p>{@link #devDefaults()} holds the settings that do not depend on ports or paths; the test extension passes the
 * same map to a Kafka container so both brokers behave alike.
 */
public final class BrokerProperties {

  /** The node id of the single KRaft node. */
  static final int NODE_ID = 1;
  /** Loopback only: the broker is for one machine. */
  public static final String HOST = "127.0.0.1";
  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private static final int MIB = 1024 * 1024;

  private BrokerProperties() {}

  /**
   * Port- and path-independent settings of the development broker, in a stable order.
   *
   * <ul>
   *   <li>Internal topics (consumer offsets, transaction state, share-group state) with one partition, replication
   *       factor 1 and min ISR 1: without these, transactional producers and exactly-once Kafka Streams fail on a
   *       single node.</li>
   *   <li>{@code group.initial.rebalance.delay.ms=0}: consumers and Streams apps join at once, not after 3 s.</li>
   *   <li>Auto topic creation on with one partition by default, like a typical development broker.</li>
   *   <li>No time-based retention: replays of historical data carry event times from years ago, which the default of
   *       7 days would delete within minutes. Size retention (1 GiB per partition) bounds the disk instead.</li>
   *   <li>Small segments (16 MiB, metadata 8 MiB), a 1 MiB index and a 16 MiB cleaner buffer keep disk and heap small
   *       (the defaults are 1 GiB segments and a 128 MiB cleaner buffer).</li>
   *   <li>Few threads: two cores are enough for a development broker.</li>
   * </ul>
   */
  public static Map<String, String> devDefaults() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("offsets.topic.segment.bytes", String.valueOf(16 * MIB));
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("transaction.state.log.segment.bytes", String.valueOf(16 * MIB));
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("share.coordinator.state.topic.segment.bytes", String.valueOf(16 * MIB));
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("num.partitions", "1");
    p.put("log.retention.ms", "-1");
    p.put("log.retention.bytes", String.valueOf(1024L * MIB));
    p.put("log.segment.bytes", String.valueOf(16 * MIB));
    p.put("log.index.size.max.bytes", String.valueOf(MIB));
    p.put("metadata.log.segment.bytes", String.valueOf(8 * MIB));
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * MIB));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    return p;
  }

  /**
   * The complete server properties for a combined broker+controller node.
   *
   * @param brokerPort the client port (already chosen, not 0)
   * @param controllerPort the controller (KRaft quorum) port (already chosen, not 0)
   * @param logDir the data directory ({@code log.dirs}; the metadata log lives there too)
   * @param overrides extra settings that win over everything else
   */
  static Properties build(int brokerPort, int controllerPort, Path logDir, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.putAll(devDefaults());
    p.putAll(overrides);
    return p;
  }
}
