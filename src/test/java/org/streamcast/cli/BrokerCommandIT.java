package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.StreamcastProcess;

/** {@code streamcast broker} as a real process: ready line, kcat round trip, SIGTERM exit 0, restart keeps data. */
class BrokerCommandIT {

  private static final Pattern READY = Pattern.compile("^Kafka broker ready at (127\\.0\\.0\\.1:\\d+) in ");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void shouldServeKcatAndKeepDataWhenTerminatedAndRestartedOnSameDataDir(@TempDir Path tmp) throws IOException {
    Path dataDir = tmp.resolve("kafka-data");
    int port = freePort();
    List<String> records = List.of("s-1=22262.0", "s-2=20.5", "s-1=22100.0");

    try (StreamcastProcess broker = StreamcastProcess.start(tmp.resolve("first.log"),
        "broker", "--port", String.valueOf(port), "--data-dir", dataDir.toString())) {
      String bootstrap = broker.awaitLine(READY, START_TIMEOUT).group(1);
      assertEquals("127.0.0.1:" + port, bootstrap);
      assertTrue(broker.output().contains("data in " + dataDir.toAbsolutePath() + " (kept across restarts)"),
          broker.output());

      Kcat.produce(bootstrap, "readings", records);
      assertEquals(records, Kcat.consume(bootstrap, "readings", records.size()));

      broker.destroy();
      assertEquals(0, broker.awaitExit(STOP_TIMEOUT), broker.output());
      assertQuiet(broker);
    }

    try (StreamcastProcess broker = StreamcastProcess.start(tmp.resolve("second.log"),
        "broker", "--port", "0", "--data-dir", dataDir.toString())) {
      Matcher ready = broker.awaitLine(READY, START_TIMEOUT);

      assertEquals(records, Kcat.consume(ready.group(1), "readings", records.size()));

      broker.destroy();
      assertEquals(0, broker.awaitExit(STOP_TIMEOUT), broker.output());
      assertQuiet(broker);
    }
  }

  /** The console shows the one ready line and nothing else: no log chatter, no stack traces. */
  private static void assertQuiet(StreamcastProcess broker) {
    List<String> lines = broker.outputLines().stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "expected only the ready line, got:\n" + broker.output());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
