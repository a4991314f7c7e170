package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** {@link Topics} and {@link TopicSpec} without a broker: validation and the unreachable-cluster error. */
class TopicsTest {

  @Test
  void shouldNameBootstrapAddressAndTopicsWhenClusterIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + closedPort;

    KafkaUnreachableException e = assertThrows(KafkaUnreachableException.class,
        () -> Topics.ensure(Map.of("bootstrap.servers", bootstrap),
            List.of(TopicSpec.of("readings", 1), TopicSpec.compacted("streamcast.models", 1)),
            Duration.ofMillis(1500)));

    assertEquals("Kafka at " + bootstrap + " did not answer within 1500 ms (creating topics readings, "
        + "streamcast.models); is the broker running and the address right?", e.getMessage());
  }

  @Test
  void shouldSayWhichAddressWhenBootstrapHostCannotBeResolved() {
    KafkaUnreachableException e = assertThrows(KafkaUnreachableException.class,
        () -> Topics.ensure(Map.of("bootstrap.servers", "no-such-host.invalid:9092"),
            List.of(TopicSpec.of("readings", 1)), Duration.ofSeconds(2)));

    assertEquals("cannot connect to Kafka at no-such-host.invalid:9092: "
        + "No resolvable bootstrap urls given in bootstrap.servers", e.getMessage());
  }

  @Test
  void shouldRefuseClientPropsWhenBootstrapIsMissing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Topics.ensure(Map.of(), List.of(TopicSpec.of("readings", 1)), Duration.ofSeconds(1)));

    assertEquals("client properties lack bootstrap.servers", e.getMessage());
  }

  @Test
  void shouldRefuseSpecWhenPartitionsBelowOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("readings", 0));

    assertEquals("topic readings: partitions must be at least 1, got 0", e.getMessage());
  }

  @Test
  void shouldMergeConfigWhenAddingToCompactedSpec() {
    TopicSpec spec = TopicSpec.compacted("streamcast.models", 1).with("max.message.bytes", "5242880");

    assertEquals(Map.of("cleanup.policy", "compact", "max.message.bytes", "5242880"), spec.config());
  }

  /**
   * A create that reports the topic as existing (an admin client's retry after a slow answer, or another process) and
   * a broker whose metadata does not show it for the first describe: ensure waits until it does, as Kafka Streams
   * fails its first rebalance on a source topic missing from the metadata.
   */
  @Test
  void shouldWaitForTheLeadersWhenATopicReportedAsExistingIsNotYetInTheMetadata() {
    AtomicInteger describes = new AtomicInteger();
    Node node = new Node(0, "127.0.0.1", 9092);
    Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "createTopics" -> {
            KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> exists = new KafkaFutureImpl<>();
            exists.completeExceptionally(new TopicExistsException("readings exists"));
            yield new CreateTopicsResult(Map.of("readings", exists)) { };
          }
          case "describeTopics" -> {
            KafkaFutureImpl<TopicDescription> d = new KafkaFutureImpl<>();
            if (describes.incrementAndGet() == 1) {
              d.completeExceptionally(new UnknownTopicOrPartitionException("not yet"));
            } else {
              d.complete(new TopicDescription("readings", false,
                  List.of(new TopicPartitionInfo(0, node, List.of(node), List.of(node)))));
            }
            yield new DescribeTopicsResult(null, Map.of("readings", d)) { };
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
    assertEquals(Set.of(), Topics.ensure(admin, "b:9092", List.of(TopicSpec.of("readings", 1)),
        Duration.ofSeconds(10)));
    assertEquals(2, describes.get());
  }
}
