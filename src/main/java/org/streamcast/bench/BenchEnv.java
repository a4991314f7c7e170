package org.streamcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.model.RecurrentForecaster;

/**
 * What the phases of one run share: the plan, the cluster settings, the served model, a run id that keeps topic and
 * application names apart from earlier runs on the same cluster, a scratch directory for local state, and where
 * progress goes.
 */
final class BenchEnv {
  /** Prefix of the application ids: {@code streamcast-bench-<run>-<part>}. */
  static final String APPLICATION_ID_PREFIX = "streamcast";

  final BenchPlan plan;
  final boolean recordKey;
  final RuntimeSettings base;
  final RecurrentForecaster model;
  final String runId;
  final Path stateRoot;
  final KafkaProbe probe;
  final BenchListener listener;
  final BooleanSupplier cancelled;

  BenchEnv(BenchPlan plan, boolean recordKey, RuntimeSettings base, RecurrentForecaster model, String runId,
      Path stateRoot, KafkaProbe probe, BenchListener listener, BooleanSupplier cancelled) {
    this.plan = plan;
    this.recordKey = recordKey;
    this.base = base;
    this.model = model;
    this.runId = runId;
    this.stateRoot = stateRoot;
    this.probe = probe;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /** A pipeline name of this run: {@code bench-<run>-<part>}; it prefixes its topics. */
  String name(String part) {
    return "bench-" + runId + "-" + part;
  }

  /** The benchmark's pipeline named {@code name} reading {@code inputTopic}. */
  PipelineSpec spec(String name, String inputTopic) {
    return BenchSpec.of(name, inputTopic, recordKey);
  }

  /** The runtime settings of the application for pipeline {@code name}: its own state directory, a free port. */
  RuntimeSettings settings(String name) {
    return new RuntimeSettings(base.bootstrapServers(), stateRoot.resolve(name), 0, APPLICATION_ID_PREFIX,
        base.processingGuarantee(), base.kafkaConfig(), base.kafkaProperties(), base.origins());
  }

  /** Whether the applications run exactly-once (their own topics then hold transaction markers). */
  boolean transactional() {
    return base.processingGuarantee() == PipelineSpec.ProcessingGuarantee.EXACTLY_ONCE_V2;
  }

  /** How long an application may take to process {@code events}: generous, it only catches a stuck run. */
  static Duration timeoutFor(long events) {
    return Duration.ofMinutes(5).plusSeconds(events / 1_000);
  }

  /** Deletes the topics and the local state of pipeline {@code name} (its outputs and its application's topics). */
  void cleanUp(String name) {
    String applicationId = settings(name).applicationId(name);
    probe.deleteTopics(t -> t.startsWith(name + ".") || t.startsWith(applicationId + "-"));
    deleteRecursively(stateRoot.resolve(name));
  }

  /** Deletes a directory tree; a missing one is fine. */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Bytes of the regular files under {@code dir} (0 when missing). */
  static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir + ": " + e.getMessage(), e);
    }
  }
}
