package org.streamcast.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.kafka.BrokerProperties;
import org.streamcast.kafka.EmbeddedKafkaBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The one way integration tests get a Kafka broker. Where a Docker engine is available it is Testcontainers' {@link
 * KafkaContainer} ({@value #IMAGE}); otherwise (as here and in CI) the in-process {@link EmbeddedKafkaBroker}. Both
 * run with {@link BrokerProperties#devDefaults()}, so the same test classes behave alike on either.
 *
 * <p>One broker per test JVM: started lazily by the first test that asks for it, kept in the root {@link
 * ExtensionContext.Store} and closed when the test plan ends. Tests share it, so each test uses its own topics
 * ({@link TestKafka#createTopic(String, int)} makes unique names).
 *
 * <p>Usage: register the extension and declare a {@link TestKafka} parameter (test method, lifecycle method or
 * constructor); it carries the bootstrap address and the client helpers.
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class SomethingIT {
 *   @Test
 *   void shouldDoXWhenY(TestKafka kafka) {
 *     String topic = kafka.createTopic("input", 1);
 *     kafka.produce(topic, List.of(KeyValue.pair("k", "v")));
 *     assertEquals(1, kafka.consume(topic, 1, Duration.ofSeconds(30)).size());
 *   }
 * }
 * }</pre>
 *
 * <p>System property {@value #MODE_PROPERTY} = {@code auto} (default), {@code embedded} or {@code docker} forces a
 * choice.
 */
public final class KafkaExtension implements ParameterResolver {

  /** The broker image used where Docker is available. */
  public static final String IMAGE = "apache/kafka:4.4.0";
  /** Forces the broker kind: {@code auto}, {@code embedded} or {@code docker}. */
  public static final String MODE_PROPERTY = "streamcast.it.broker";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return kafka(context);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("could not start a Kafka broker for the tests: " + e.getMessage(), e);
    }
  }

  /** The shared broker of this test JVM, started on first use. */
  public static TestKafka kafka(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestKafka.class, key -> start(), TestKafka.class);
  }

  private static TestKafka start() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
    boolean docker = switch (mode) {
      case "docker" -> true;
      case "embedded" -> false;
      case "auto" -> DockerClientFactory.instance().isDockerAvailable();
      default -> throw new IllegalArgumentException(MODE_PROPERTY + ": " + mode
          + " is not one of auto, embedded, docker");
    };
    long t0 = System.nanoTime();
    TestKafka kafka = docker ? startContainer() : startEmbedded();
    String why = mode.equals("auto") ? (docker ? "Docker engine found" : "no Docker engine found")
        : MODE_PROPERTY + "=" + mode;
    LOG.info("Kafka for integration tests: {} ({}), started in {} ms", kafka, why,
        (System.nanoTime() - t0) / 1_000_000);
    return kafka;
  }

  private static TestKafka startEmbedded() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
    return new TestKafka(broker.bootstrapServers(), "embedded KRaft broker", broker::close);
  }

  private static TestKafka startContainer() {
    @SuppressWarnings("resource") // closed through the returned TestKafka at the end of the test plan
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
    // The apache/kafka image maps KAFKA_A_B_C to a.b.c; our keys hold no '_' or '-' that would need escaping.
    BrokerProperties.devDefaults().forEach((key, value) ->
        container.withEnv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
    container.start();
    return new TestKafka(container.getBootstrapServers(), "container " + IMAGE, container::stop);
  }
}
