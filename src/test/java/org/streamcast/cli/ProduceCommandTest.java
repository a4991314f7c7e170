package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code produce} up to the point where it needs a broker: options, inputs and their errors. */
class ProduceCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String stdin, String... args) {
    CommandLine cl = Streamcast.commandLine(new CliEnvironment(env,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), "", args);
  }

  @Test
  void shouldShowUsageWithExitZeroWhenHelpAsked() {
    assertEquals(0, run("produce", "--help"));
    assertTrue(out.toString().contains("--speedup=N"), out.toString());
    assertTrue(out.toString().contains("STREAMCAST_BOOTSTRAP"), out.toString());
  }

  @Test
  void shouldExitTwoWhenSpeedupAndRateBothGiven() {
    assertEquals(2, run("produce", "--dataset", "taylor", "--topic", "t", "--speedup", "10", "--rate", "5"));
    assertTrue(err.toString().startsWith("streamcast: Error: --speedup=N, --rate=N are mutually exclusive"),
        err.toString());
  }

  @Test
  void shouldExitTwoWhenNoInputGiven() {
    assertEquals(2, run("produce", "--topic", "t"));
    assertTrue(err.toString().startsWith("streamcast: Error: Missing required argument (specify one of these): "
        + "(--file=CSV | --dataset=NAME)"), err.toString());
  }

  @Test
  void shouldExitTwoWhenFileAndDatasetBothGiven() {
    assertEquals(2, run("produce", "--file", "x.csv", "--dataset", "taylor", "--topic", "t"));
    assertTrue(err.toString().contains("mutually exclusive"), err.toString());
  }

  @Test
  void shouldExitTwoWithOneLineWhenSpeedupNotPositive() {
    assertEquals(2, run("produce", "--dataset", "taylor", "--topic", "t", "--speedup", "0"));
    assertEquals("streamcast: --speedup: 0.0 is not a positive number (e.g. --speedup 1800)",
        err.toString().lines().findFirst().orElse(""));
  }

  @Test
  void shouldExitTwoWithOneLineWhenTopicNameInvalid() {
    assertEquals(2, run("produce", "--dataset", "taylor", "--topic", "my topic"));
    assertEquals("streamcast: --topic: \"my topic\" is not a valid Kafka topic name (1 to 249 letters, digits, "
        + "'.', '_' and '-')" + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldExitTwoNamingFileWhenFileMissing(@TempDir Path dir) {
    Path missing = dir.resolve("none.csv");
    assertEquals(2, run("produce", "--file", missing.toString(), "--topic", "t"));
    assertEquals(missing + ": no such file" + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldExitTwoNamingLineWhenCsvIsBad(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.csv"), "key,timestamp,value\na,2000-01-01T00:00:00Z,1\na,noon,2\n");
    assertEquals(2, run("produce", "--file", file.toString(), "--topic", "t"));
    assertEquals(file + ":3: column timestamp: \"noon\" is not an ISO-8601 time (e.g. 2000-06-05T00:30:00Z)"
        + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldReadStandardInputWhenFileIsDash() {
    assertEquals(2, run(Map.of(), "key,timestamp,value\nk,2000-01-01T00:00:00Z,x\n", "produce", "--file", "-",
        "--topic", "t"));
    assertEquals("stdin:2: column value: \"x\" is not a number" + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldNameFieldAndLineWhenWideStandardInputHasBadCell() {
    assertEquals(2, run(Map.of(), "key,timestamp,temp,wind\nk,2000-01-01T00:00:00Z,1.5,\nk,2000-01-02T00:00:00Z,2,"
        + "calm\n", "produce", "--file", "-", "--topic", "t"));
    assertEquals("stdin:3: column wind: \"calm\" is not a number" + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldExitTwoListingDatasetsWhenDatasetUnknown() {
    assertEquals(2, run("produce", "--dataset", "weather", "--topic", "t"));
    assertEquals("dataset \"weather\" is not bundled (choose one of taylor, eustockmarkets, vega_weather)"
        + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldExitTwoNamingVariableWhenBootstrapVariableIsBad() {
    assertEquals(2, run(Map.of("STREAMCAST_BOOTSTRAP", "localhost"), "", "produce", "--dataset", "taylor",
        "--topic", "t"));
    assertEquals("environment: STREAMCAST_BOOTSTRAP: \"localhost\" is not a list of host:port (e.g. localhost:9092 "
        + "or broker1:9092,broker2:9092)" + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldPreferFlagOverVariableWhenBothGiven() {
    assertEquals(2, run(Map.of("STREAMCAST_BOOTSTRAP", "localhost"), "", "produce", "--dataset", "taylor",
        "--topic", "t", "--bootstrap", "nohost"));
    assertTrue(err.toString().startsWith("environment: STREAMCAST_BOOTSTRAP"),
        "every layer is validated, the environment before the flags: " + err);
  }

  @Test
  void shouldExitTwoNamingFileWhenKafkaConfigMissing(@TempDir Path dir) {
    Path missing = dir.resolve("client.properties");
    assertEquals(2, run(Map.of("STREAMCAST_KAFKA_CONFIG", missing.toString()), "", "produce", "--dataset",
        "taylor", "--topic", "t"));
    assertEquals(missing + ": no such Kafka properties file (named by env STREAMCAST_KAFKA_CONFIG)"
        + System.lineSeparator(), err.toString());
  }

  @Test
  void shouldExitOneNamingBootstrapWhenClusterDoesNotAnswer() {
    assertEquals(1, run("produce", "--dataset", "taylor", "--topic", "t", "--bootstrap", "127.0.0.1:1",
        "--timeout", "2s"));
    assertEquals("streamcast: Kafka at 127.0.0.1:1 did not answer within 2 s (creating topics t); is the broker "
        + "running and the address right?", err.toString().strip());
  }

  @Test
  void shouldExitTwoWhenTimeoutIsNotADuration() {
    assertEquals(2, run("produce", "--dataset", "taylor", "--topic", "t", "--timeout", "5 minuts"));
    assertTrue(err.toString().startsWith("streamcast: Invalid value for option '--timeout': \"5 minuts\" is not a "
        + "duration (try 30s, 5m, 1h)"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
  }

  @Test
  void shouldExitTwoWithOneLineNamingTheHelpWhenAnOptionIsUnknown() {
    assertEquals(2, run("produce", "--dataset", "taylor", "--topic", "t", "--sped", "9"));
    assertEquals("streamcast: Unknown options: '--sped', '9' (see 'streamcast produce --help')",
        err.toString().strip());
  }
}
