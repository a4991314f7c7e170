package org.streamcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The third-party Kafka client {@code kcat} (librdkafka; Debian package {@code kafkacat}), to check that the broker
 * speaks the protocol to clients other than Kafka's own Java ones. Records are {@code key=value} lines.
 */
public final class Kcat {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Kcat() {}

  /** The kcat executable; fails with an installation hint when it is missing. */
  public static Path executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, "kcat");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("kcat is not installed; install Debian's kafkacat package: apt-get install -y kafkacat");
  }

  /**
   * Produces {@code key=value} lines to {@code topic}; returns when kcat has delivered them all. Uses the Java
   * client's partitioner (murmur2), as a streamcast user should, so a key lands on the partition Kafka Streams
   * expects and its events are not interleaved with other partitions' on the way to the resampler.
   */
  public static void produce(String bootstrap, String topic, List<String> keyValueLines) {
    run(List.of("-P", "-b", bootstrap, "-t", topic, "-K", "=", "-X", "partitioner=murmur2_random"),
        String.join("\n", keyValueLines) + "\n");
  }

  /**
   * Produces raw {@code key=value} lines ({@code \n}-separated bytes, so keys and values may hold any other byte:
   * invalid UTF-8, NUL, UTF-16) to {@code topic}; returns when kcat has delivered them all.
   */
  public static void produce(String bootstrap, String topic, byte[] keyValueLines) {
    run(List.of("-P", "-b", bootstrap, "-t", topic, "-K", "=", "-X", "partitioner=murmur2_random"), keyValueLines);
  }

  /** Consumes {@code count} records of {@code topic} from the beginning, as {@code key=value} lines. */
  public static List<String> consume(String bootstrap, String topic, int count) {
    String out = run(List.of("-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-c", String.valueOf(count),
        "-f", "%k=%s\\n"), "");
    return out.lines().toList();
  }

  /** Runs kcat with {@code args}, feeding {@code stdin}; returns stdout, fails on a non-zero exit or timeout. */
  public static String run(List<String> args, String stdin) {
    return run(args, stdin.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs kcat with {@code args}, feeding {@code stdin} bytes; returns stdout, fails on a non-zero exit or timeout. */
  public static String run(List<String> args, byte[] stdin) {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      }
      if (!p.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + DEFAULT_TIMEOUT.toSeconds() + " s; stderr: "
            + err.getNow(""));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(command + " exited with " + p.exitValue() + "; stderr: " + err.join());
      }
      return out.join();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
