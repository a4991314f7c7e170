package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Observation;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelArtifact;
import org.streamcast.testing.HiddenStateProbe;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;
import org.streamcast.testing.TopicTail;

/**
 * Exactly once through crashes: {@code streamcast run} (exactly_once_v2, a fixed trained GRU whose hidden states
 * carry over from step to step) is killed with SIGKILL three times while events stream in, each time after some but
 * not all of the current chunk's forecasts were committed, and restarted: twice on its state directory, once with the
 * state directory deleted, so that the key states come back from the changelog alone. A read_committed consumer of
 * the forecasts must then see exactly one forecast per key and origin, none missing, each equal to the uninterrupted
 * run's; the series, each closed step once.
 */
@ExtendWith(KafkaExtension.class)
class CrashRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern HTTP_PORT = Pattern.compile("metrics at http://localhost:(\\d+)/metrics");
  /** Events per second while a chunk streams in: paced, so its forecasts are committed over seconds, not at once. */
  private static final double RATE = 500;
  /** The stream ends here; chunk boundaries in between. */
  private static final List<Instant> CHUNKS = Stream.of("2012-01-01", "2012-07-01", "2012-10-01", "2013-01-01",
      "2013-04-01").map(d -> Instant.parse(d + "T00:00:00Z")).toList();

  @TempDir
  static Path shared;
  private static Path modelFile;
  private static Forecaster model;
  private static List<Observation> rows;
  private static Map<String, double[]> reference;

  @BeforeAll
  static void trainModelAndReference() throws Exception {
    PipelineSpec spec = WeatherProof.spec("crash");
    rows = WeatherProof.rows(CHUNKS.get(CHUNKS.size() - 1));
    ModelArtifact artifact = WeatherProof.model();
    modelFile = shared.resolve("gru.scm");
    artifact.write(modelFile);
    model = WeatherProof.serving(artifact);
    reference = WeatherProof.reference(spec, model, rows);
    // A restored or taken-over key without its hidden state would forecast differently: far beyond the tolerance.
    HiddenStateProbe.assertHiddenStateMatters(spec, model, rows, WeatherProof.TOLERANCE);
  }

  @Test
  void shouldEmitEachForecastExactlyOnceAsUninterruptedWhenKilledThreeTimesMidStream(TestKafka kafka,
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    String name = TestKafka.uniqueName("crash").replace('_', '-');
    PipelineSpec spec = WeatherProof.spec(name);
    Path specFile = WeatherProof.specFile(dir, name);
    Path state = dir.resolve("state");
    // static membership: a restarted instance takes its place in the group at once instead of after the dead
    // member's session timeout; a short transaction timeout: the restart without its state directory has a new
    // transactional id, so the killed run's open transaction is aborted by timeout, not fenced
    Path clientConfig = Files.writeString(dir.resolve("client.properties"), String.join("\n",
        "main.consumer.group.instance.id=" + name + "-instance",
        "producer.transaction.timeout.ms=5000", ""), StandardCharsets.UTF_8);
    List<String> args = List.of("run", "--topology", specFile.toString(), "--model", modelFile.toString(),
        "--bootstrap", kafka.bootstrapServers(), "--state-dir", state.toString(), "--http-port", "0",
        "--kafka-config", clientConfig.toString(), "--processing-guarantee", "exactly_once_v2");

    List<Integer> killedAt = new ArrayList<>();
    StreamcastProcess last = null;
    TopicTail forecasts = null;
    TopicTail series = null;
    try {
      for (int chunk = 0; chunk < CHUNKS.size() - 1; chunk++) {
        if (chunk == 2) {
          deleteRecursively(state); // this restart has nothing but the changelogs
        }
        StreamcastProcess app = start(dir, chunk, args);
        last = app;
        if (forecasts == null) {
          forecasts = TopicTail.open(kafka, spec.output().forecasts(), IsolationLevel.READ_COMMITTED);
          series = TopicTail.open(kafka, spec.output().series(), IsolationLevel.READ_COMMITTED);
        }
        Instant from = CHUNKS.get(chunk);
        Instant to = CHUNKS.get(chunk + 1);
        List<Observation> events = rows.stream().filter(o -> !o.time().isBefore(from) && o.time().isBefore(to))
            .toList();
        LOG.info("run #{} ready; streaming {} events from {}", chunk, events.size(), from);
        if (chunk == CHUNKS.size() - 2) {
          WeatherProof.produce(kafka.clientProps(), spec.input().topic(), events);
          break; // the last run goes to the end
        }
        CompletableFuture<Integer> producing = WeatherProof.produceAsync(kafka.clientProps(), spec.input().topic(),
            events, RATE);
        // kill once some, not all, of this chunk's forecasts are committed
        int before = WeatherProof.countBefore(reference, from);
        int after = WeatherProof.countBefore(reference, to);
        int threshold = before + (after - before) * 3 / 10;
        int seen = forecasts.awaitCount(n -> n >= threshold, WAIT, threshold + " committed forecasts");
        app.destroyForcibly();
        app.awaitExit(Duration.ofSeconds(30));
        killedAt.add(seen);
        assertTrue(seen > before && seen < after, "killed mid-chunk: " + seen + " committed forecasts, " + before
            + " before the chunk, " + after + " after it");
        LOG.info("run #{} killed at {} committed forecasts ({} before this chunk, {} after it); producer done: {}",
            chunk, seen, before, after, producing.isDone());
        assertEquals(events.size(), producing.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      forecasts.awaitCount(n -> n >= reference.size(), WAIT, reference.size() + " committed forecasts");
      last.destroy(); // SIGTERM: a clean stop ends the last transaction, so everything left is visible
      assertEquals(0, last.awaitExit(Duration.ofSeconds(60)), last.output());
      int total = forecasts.readToEnd(Duration.ofSeconds(30));
      double worst = WeatherProof.assertEqualsReference(forecasts.records(), reference, model.version());
      series.readToEnd(Duration.ofSeconds(30));
      WeatherProof.assertSeriesExactlyOnce(series.records(), rows);
      LOG.info("killed at {} committed forecasts; {} forecasts in the end, {} expected; largest difference {}",
          killedAt, total, reference.size(), worst);
      assertEquals(3, killedAt.size());
    } finally {
      if (forecasts != null) {
        forecasts.close();
        series.close();
      }
      if (last != null) {
        last.close();
      }
    }
  }

  /** Starts {@code run} and waits until its pipeline is RUNNING. */
  private static StreamcastProcess start(Path dir, int n, List<String> args) {
    StreamcastProcess app = StreamcastProcess.start(dir.resolve("run-" + n + ".log"),
        StreamcastProcess.DEFAULT_JVM_OPTIONS, Map.of(), args);
    int port = Integer.parseInt(app.awaitLine(HTTP_PORT, START).group(1));
    Await.await(() -> {
      if (!app.isAlive()) {
        throw new AssertionError("run exited with " + app.awaitExit(Duration.ZERO) + ":\n" + app.output());
      }
      return WeatherProof.ready(port);
    }, START, "run #" + n + " ready on port " + port);
    return app;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
