package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code streamcast models} and {@code schema}: user mistakes are one line and exit 2, before any broker is asked. */
class ModelsCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String errLine() {
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), "one line: " + e);
    return e;
  }

  @Test
  void shouldPrintHelpAndExitZeroWhenASubcommandIsAskedForItWithoutItsRequiredOptions() {
    for (String sub : new String[] {"list", "show", "rollback", "publish"}) {
      out.getBuffer().setLength(0);
      assertEquals(0, run("models", sub, "--help"), sub + ": " + err);
      assertTrue(out.toString().startsWith("Usage: streamcast models " + sub), out.toString());
    }
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheBootstrapAddressDoesNotResolve() {
    assertEquals(2, run("models", "list", "--topology", "topologies/weather.yaml", "--bootstrap",
        "nohost.invalid:1"));
    assertTrue(errLine().startsWith("streamcast: No resolvable bootstrap urls given in bootstrap.servers"),
        err.toString());
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheFileToPublishIsMissing(@TempDir Path dir) {
    Path missing = dir.resolve("nope.model");
    assertEquals(2, run("models", "publish", missing.toString(), "--topology", "topologies/weather.yaml",
        "--bootstrap", "127.0.0.1:1"));
    assertEquals("models publish: " + missing + ": no such file", errLine());
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheFileIsNotAnArtifact(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("weather.yaml");
    Files.writeString(text, "name: weather\n", StandardCharsets.UTF_8);
    assertEquals(2, run("models", "publish", text.toString(), "--topology", "topologies/weather.yaml",
        "--bootstrap", "127.0.0.1:1"));
    String line = errLine();
    assertTrue(line.startsWith("models publish: " + text + ": not a streamcast model artifact"), line);
  }

  @Test
  void shouldExitTwoWhenTheVersionIsNotANumber() {
    assertEquals(2, run("models", "show", "latest", "--topology", "topologies/weather.yaml"));
    assertTrue(err.toString().contains("VERSION"), err.toString());
  }

  @Test
  void shouldPrintTheNamedTopicsSchemaWhenAskedForOne() {
    assertEquals(0, run("schema", "--topology", "topologies/weather.yaml", "--topic", "weather.forecasts"));
    assertTrue(out.toString().contains("\"$id\" : \"urn:streamcast:weather:weather.forecasts\""), out.toString());
  }

  @Test
  void shouldExitTwoWithTheTopicsWhenTheTopicIsUnknown() {
    assertEquals(2, run("schema", "--topology", "topologies/weather.yaml", "--topic", "weather.bogus"));
    assertEquals("--topic: pipeline weather has no topic \"weather.bogus\" (its topics: weather.events, "
        + "weather.series, weather.forecasts, weather.anomalies, weather.dlq)", errLine());
  }
}
