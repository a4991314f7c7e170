package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option handling of {@code streamcast broker} (the broker itself runs in {@code BrokerCommandIT}). */
class BrokerCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void shouldDescribePortAndDataDirWhenHelpRequested() {
    int code = run("broker", "--help");

    assertEquals(0, code);
    assertTrue(out.toString().contains("--port=PORT"), out.toString());
    assertTrue(out.toString().contains("--data-dir=DIR"), out.toString());
    assertTrue(out.toString().contains("0 picks a free"), out.toString());
  }

  @Test
  void shouldExitTwoWithOneLineWhenPortIsOutOfRange() {
    int code = run("broker", "--port", "70000");

    assertEquals(2, code);
    assertTrue(err.toString().startsWith("streamcast: --port: 70000 is not a port number"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void shouldExitTwoWhenPortIsNotANumber() {
    int code = run("broker", "--port", "ninety");

    assertEquals(2, code);
    assertTrue(err.toString().contains("ninety"), err.toString());
  }

  @Test
  void shouldExitTwoNamingTheDirectoryWhenDataDirHoldsOtherFiles(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "not kafka");

    int code = run("broker", "--data-dir", tmp.toString());

    assertEquals(2, code);
    assertTrue(err.toString().startsWith("streamcast: --data-dir: " + tmp + " is not empty and holds no Kafka data"),
        err.toString());
  }

  @Test
  void shouldExitTwoWhenDataDirIsAFile(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");

    int code = run("broker", "--data-dir", file.toString());

    assertEquals(2, code);
    assertTrue(err.toString().startsWith("streamcast: --data-dir: " + file + " is not a directory"), err.toString());
  }
}
