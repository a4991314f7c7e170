package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;
import org.streamcast.config.RuntimeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The runtime flags as picocli parses them, resolved over a spec and environment variables. */
class RuntimeOptionsTest {

  @Command(name = "run")
  static final class RunLike implements Runnable {
    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    @Override
    public void run() {
      // parsing only
    }
  }

  private static RuntimeOptions parse(String... args) {
    RunLike command = new RunLike();
    new CommandLine(command).parseArgs(args);
    return command.options;
  }

  private static final PipelineSpec.Runtime SPEC = new PipelineSpec.Runtime("spec:1", Path.of("/spec"), 1111,
      "spec", ProcessingGuarantee.AT_LEAST_ONCE, Map.of());

  @Test
  void shouldLayerFlagsOverEnvironmentOverSpecOverDefaultsWhenResolving() {
    RuntimeSettings s = parse("--bootstrap", "flag:3", "--http-port", "0")
        .resolve(SPEC, Map.of("STREAMCAST_HTTP_PORT", "2222", "STREAMCAST_STATE_DIR", "/env"));
    assertEquals("flag:3", s.bootstrapServers());
    assertEquals(0, s.httpPort());
    assertEquals(Path.of("/env"), s.stateDir());
    assertEquals("spec", s.applicationIdPrefix());
    assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, s.processingGuarantee());
  }

  @Test
  void shouldKeepDefaultsWhenNothingGiven() {
    RuntimeSettings s = parse().resolve(PipelineSpec.Runtime.NONE, Map.of());
    assertEquals(RuntimeSettings.defaults(), s);
  }

  @Test
  void shouldReadEveryFlagWhenAllGiven() {
    RuntimeSettings s = parse("--bootstrap", "a:1,b:2", "--state-dir", "/flag", "--http-port", "9",
        "--application-id-prefix", "team", "--processing-guarantee", "AT-LEAST-ONCE")
        .resolve(SPEC, Map.of());
    assertEquals(new RuntimeSettings("a:1,b:2", Path.of("/flag"), 9, "team", ProcessingGuarantee.AT_LEAST_ONCE, null,
        Map.of(), s.origins()), s);
    assertEquals("flag --processing-guarantee", s.origin("processing-guarantee"));
  }

  @Test
  void shouldRejectUnknownGuaranteeWhenParsing() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse("--processing-guarantee", "exactly_once"));
    assertEquals("Invalid value for option '--processing-guarantee': \"exactly_once\" is not one of "
        + "exactly_once_v2, at_least_once", e.getMessage());
  }
  @Test
  void shouldReadEveryVariableTheRunHelpNamesWhenSetAndNameAnOptionOfRun() {
    CommandLine run = new CommandLine(new RunCommand());
    String footer = String.join(" ", run.getCommandSpec().usageMessage().footer());
    java.util.Set<String> named = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("STREAMCAST_[A-Z_]+").matcher(footer);
    while (m.find()) {
      named.add(m.group());
    }
    Map<String, String> samples = Map.of("STREAMCAST_BOOTSTRAP", "env:1", "STREAMCAST_KAFKA_CONFIG", "/env.properties",
        "STREAMCAST_STATE_DIR", "/env", "STREAMCAST_HTTP_PORT", "7", "STREAMCAST_HTTP_HOST", "0.0.0.0",
        "STREAMCAST_APPLICATION_ID_PREFIX", "envp", "STREAMCAST_PROCESSING_GUARANTEE", "at_least_once");
    assertEquals(new java.util.TreeSet<>(samples.keySet()), named, footer);
    RuntimeSettings s = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, samples,
        RuntimeSettings.Overrides.NONE);
    for (String variable : named) {
      String option = variable.substring("STREAMCAST_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      assertEquals(variable, RuntimeSettings.envName("--" + option));
      assertEquals("env " + variable, s.origin(option), variable + " is read");
      org.junit.jupiter.api.Assertions.assertNotNull(run.getCommandSpec().findOption("--" + option),
          "run has --" + option);
    }
    assertEquals("0.0.0.0", s.httpHost());
    assertEquals("0.0.0.0", parse("--http-host", "0.0.0.0").resolve(PipelineSpec.Runtime.NONE, Map.of()).httpHost());
    assertEquals(RuntimeSettings.DEFAULT_HTTP_HOST, parse().resolve(PipelineSpec.Runtime.NONE, Map.of()).httpHost());
  }

  @Test
  void shouldRejectAHostWithSpacesOrSlashesWhenGivenAsVariable() {
    org.streamcast.config.SpecException e = assertThrows(org.streamcast.config.SpecException.class,
        () -> RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
            Map.of("STREAMCAST_HTTP_HOST", "http://x/"), RuntimeSettings.Overrides.NONE));
    assertTrue(e.getMessage().contains("STREAMCAST_HTTP_HOST") && e.getMessage().contains("http://x/"),
        e.getMessage());
  }
}
