package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConsoleLoggingTest {
  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() throws Exception {
    System.setErr(stderr);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private static String logFailure(Path file, boolean verbose) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    ConsoleLogging.toFile(file, "--log-file", verbose);
    LoggerFactory.getLogger("org.streamcast.app.PipelineRuntime").error("pipeline p failed: {}", "boom",
        new IllegalStateException("boom", new RuntimeException("root cause")));
    return console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldKeepStackTracesOffTheConsoleAndInTheFileWhenNotVerbose(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("streamcast.log");
    String console = logFailure(file, false);
    assertEquals(1, console.lines().count(), console);
    assertTrue(console.contains("ERROR PipelineRuntime - pipeline p failed: boom"), console);
    String log = Files.readString(file);
    assertTrue(log.contains("java.lang.IllegalStateException: boom") && log.contains("root cause")
        && log.contains("\tat "), log);
  }

  @Test
  void shouldShowStackTracesOnTheConsoleWhenVerbose(@TempDir Path dir) {
    String console = logFailure(dir.resolve("streamcast.log"), true);
    assertTrue(console.contains("java.lang.IllegalStateException: boom") && console.contains("\tat "), console);
    assertFalse(console.lines().count() == 1, console);
  }
}
