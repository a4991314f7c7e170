package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The serving jar's command line: run, describe, schema, models; every other command refused by name in one line. */
class ServingMainTest {

  private static CommandLine commandLine(Streamcast.Edition edition, StringWriter err) {
    CommandLine cl = Streamcast.commandLine(new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]),
        false), edition);
    cl.setErr(new PrintWriter(err));
    return cl;
  }

  @Test
  void shouldNameExactlyTheFullJarsOtherCommandsWhenComparingTheEditions() {
    Set<String> full = new HashSet<>(commandLine(Streamcast.Edition.FULL, new StringWriter()).getSubcommands()
        .keySet());
    Set<String> serving = commandLine(Streamcast.Edition.SERVING, new StringWriter()).getSubcommands().keySet();
    assertEquals(Set.of("help", "run", "describe", "schema", "models"), serving);
    full.removeAll(serving);
    assertEquals(Set.copyOf(ServingMain.FULL_ONLY), full);
  }

  @Test
  void shouldRefuseEachFullOnlyCommandWithOneLineAndExitTwoWhenServing() {
    for (String command : ServingMain.FULL_ONLY) {
      for (List<String> args : List.of(List.of(command, "--help"), List.of("help", command))) {
        StringWriter err = new StringWriter();
        assertEquals(Streamcast.EXIT_USAGE, ServingMain.execute(commandLine(Streamcast.Edition.SERVING, err),
            args.toArray(String[]::new)), args.toString());
        assertEquals("streamcast: '" + command + "' is not in the serving jar (it carries run, describe, schema, "
            + "models and the HTTP endpoints); use the full streamcast.jar", err.toString().strip());
      }
    }
  }

  @Test
  void shouldRefuseTheInProcessRetrainerWithOneLineWhenServing() {
    StringWriter err = new StringWriter();
    assertEquals(Streamcast.EXIT_USAGE, ServingMain.execute(commandLine(Streamcast.Edition.SERVING, err),
        "run", "--topology", "topologies/electricity.yaml", "--with-retrainer"));
    assertEquals("--with-retrainer: not in the serving jar (it never trains); run `streamcast retrain --every` "
        + "from the full streamcast.jar as its own process", err.toString().strip());
  }

  @Test
  void shouldDescribeAShippedTopologyWhenServing() {
    StringWriter out = new StringWriter();
    CommandLine cl = commandLine(Streamcast.Edition.SERVING, new StringWriter());
    cl.setOut(new PrintWriter(out));
    assertEquals(0, ServingMain.execute(cl, "describe", "--topology", "topologies/electricity.yaml"));
    assertTrue(out.toString().startsWith("Topologies:"), out.toString());
  }
}
