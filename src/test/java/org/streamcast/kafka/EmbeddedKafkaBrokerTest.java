package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link EmbeddedKafkaBroker} checks before it starts (starting it is covered by the integration tests). */
class EmbeddedKafkaBrokerTest {

  @Test
  void shouldAcceptDataDirWhenMissingOrEmpty(@TempDir Path tmp) {
    EmbeddedKafkaBroker.validateDataDir(tmp.resolve("new"));
    EmbeddedKafkaBroker.validateDataDir(tmp);
  }

  @Test
  void shouldAcceptDataDirWhenItHoldsKafkaData(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("meta.properties"), "cluster.id=abc\nnode.id=1\nversion=1\n");
    Files.createDirectory(tmp.resolve("readings-0"));

    EmbeddedKafkaBroker.validateDataDir(tmp);

    assertEquals(Optional.of("abc"), DataDir.readClusterId(tmp));
  }

  @Test
  void shouldRefuseDataDirNamingItWhenItHoldsOtherFiles(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("thesis.tex"), "precious");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddedKafkaBroker.validateDataDir(tmp));

    assertEquals(tmp + " is not empty and holds no Kafka data (no meta.properties); use an empty or new directory",
        e.getMessage());
  }

  @Test
  void shouldRefusePortOutsideRangeWhenBuilding() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddedKafkaBroker.builder().port(65_536));

    assertEquals("port must be between 0 and 65535, got 65536", e.getMessage());
  }

  @Test
  void shouldNamePortAndLeaveDataDirUntouchedWhenFixedPortIsTaken(@TempDir Path tmp) throws IOException {
    Path dataDir = tmp.resolve("kafka");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).dataDir(dataDir).build();

      IllegalStateException e = assertThrows(IllegalStateException.class, broker::start);

      assertTrue(e.getMessage().startsWith("broker port " + taken.getLocalPort() + " is not available on 127.0.0.1"),
          e.getMessage());
      assertTrue(Files.notExists(dataDir), "nothing is formatted when the port is taken");
    }
  }
}
