package org.streamcast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar streamcast.jar ...} as a child process, for tests that need the real command line (signals, exit
 * codes, crash and restart). Standard output and error go, merged, to one file.
 *
 * <p>The jar is the system property {@value #JAR_PROPERTY} (set by failsafe) or else {@code target/streamcast.jar}.
 * Use try-with-resources: {@link #close()} kills the process if it still runs.
 *
 * <pre>{@code
 * try (StreamcastProcess p = StreamcastProcess.start(dir.resolve("out.log"), "broker", "--port", "0")) {
 *   Matcher ready = p.awaitLine(Pattern.compile("ready at (\\S+)"), Duration.ofSeconds(60));
 *   p.destroy();                                  // SIGTERM
 *   assertEquals(0, p.awaitExit(Duration.ofSeconds(30)));
 * }
 * }</pre>
 */
public final class StreamcastProcess implements AutoCloseable {

  /** The system property naming the jar. */
  public static final String JAR_PROPERTY = "streamcast.jar";
  /** The system property naming the serving jar (run, describe, schema and models). */
  public static final String SERVING_JAR_PROPERTY = "streamcast.serving.jar";
  /**
   * JVM options of a child that steps models, like the {@code streamcast} launcher's: ND4J's small operations need
   * the first two, the serving step's vector kernel the Vector API module.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "--add-modules",
          "jdk.incubator.vector", "-Xmx1g");
  /**
   * JVM options of a child running any other command: as the launcher, without the incubator module, whose JVM
   * warning would be the console's first line.
   */
  public static final List<String> PLAIN_JVM_OPTIONS =
      List.of("-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xmx1g");
  /** The commands the launcher starts with the Vector API module: those that step models. */
  public static final Set<String> MODEL_COMMANDS = Set.of("run", "demo", "backtest", "retrain", "bench");

  private final Process process;
  private final Path output;
  private final List<String> command;

  private StreamcastProcess(Process process, Path output, List<String> command) {
    this.process = process;
    this.output = output;
    this.command = command;
  }

  /** The streamcast jar to run; fails with a hint when it has not been built. */
  public static Path jar() {
    return built(Path.of(System.getProperty(JAR_PROPERTY, "target/streamcast.jar")));
  }

  /** The serving jar ({@value #SERVING_JAR_PROPERTY} or target/streamcast-serving.jar); fails when not built. */
  public static Path servingJar() {
    return built(Path.of(System.getProperty(SERVING_JAR_PROPERTY, "target/streamcast-serving.jar")));
  }

  private static Path built(Path file) {
    Path jar = file.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " does not exist; build it first (mvn -o package -DskipTests)");
    }
    return jar;
  }

  /**
   * Starts {@code streamcast args...} with the JVM options the launcher gives that command ({@link #MODEL_COMMANDS}
   * get the Vector API module), capturing output to {@code outputFile}.
   */
  public static StreamcastProcess start(Path outputFile, String... args) {
    List<String> options = args.length > 0 && MODEL_COMMANDS.contains(args[0]) ? DEFAULT_JVM_OPTIONS
        : PLAIN_JVM_OPTIONS;
    return start(outputFile, options, Map.of(), List.of(args));
  }

  /**
   * Starts {@code java jvmOptions -jar streamcast.jar args} with extra environment variables.
   *
   * @param outputFile receives stdout and stderr, merged (created or truncated)
   */
  public static StreamcastProcess start(Path outputFile, List<String> jvmOptions, Map<String, String> env,
      List<String> args) {
    return start(jar(), outputFile, jvmOptions, env, args);
  }

  /** Starts {@code java jvmOptions -jar jar args} with extra environment variables (another jar of the build). */
  public static StreamcastProcess start(Path jar, Path outputFile, List<String> jvmOptions, Map<String, String> env,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(outputFile.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(new LinkedHashMap<>(env));
    try {
      return new StreamcastProcess(builder.start(), outputFile, List.copyOf(command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Everything the process wrote so far. */
  public String output() {
    try {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output split into lines. */
  public List<String> outputLines() {
    return output().lines().toList();
  }

  /**
   * Waits for an output line matching {@code pattern} ({@link Matcher#find()}) and returns its matcher.
   *
   * @throws AssertionError when the process exits first or the timeout passes, with the output in the message
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout) {
    Optional<Matcher> match = Await.until(() -> findLine(pattern).or(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("process exited with " + process.exitValue() + " before printing a line matching "
            + pattern + "; output:\n" + output());
      }
      return Optional.empty();
    }), Optional::isPresent, timeout, "a line matching " + pattern + " from " + this);
    return match.orElseThrow();
  }

  private Optional<Matcher> findLine(Pattern pattern) {
    return outputLines().stream().map(pattern::matcher).filter(Matcher::find).findFirst();
  }

  /**
   * Waits for the process to end and returns its exit code.
   *
   * @throws AssertionError when it still runs after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(this + " still runs after " + timeout.toMillis() + " ms; output:\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + this, e);
    }
    return process.exitValue();
  }

  /** Asks the process to stop: SIGTERM. */
  public void destroy() {
    process.destroy();
  }

  /** Kills the process: SIGKILL (no shutdown hooks run; a crash). */
  public void destroyForcibly() {
    process.destroyForcibly();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The operating-system process id. */
  public long pid() {
    return process.pid();
  }

  /** The file holding the output. */
  public Path outputFile() {
    return output;
  }

  /** Kills the process if it still runs and waits for it to end. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "streamcast process " + process.pid() + " " + command.subList(command.indexOf("-jar") + 2,
        command.size());
  }
}
