package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * Failover: two {@code streamcast run} processes with the same application id share the four input partitions; each
 * answers queries for every key (fetching the other's keys from it); one is killed with SIGKILL while events stream
 * in, and the other takes over its partitions, restores those keys' hidden states from the changelog and carries on,
 * so that the forecasts (read_committed) are exactly one per key and origin and equal to an uninterrupted
 * single-instance run's, and the series holds each closed step once.
 */
@ExtendWith(KafkaExtension.class)
class FailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern HTTP_PORT = Pattern.compile("metrics at http://localhost:(\\d+)/metrics");
  private static final double RATE = 500;
  /** Both instances see the events before this; one dies while the rest streams in. */
  private static final Instant SPLIT = Instant.parse("2012-07-01T00:00:00Z");
  private static final Instant END = Instant.parse("2012-10-01T00:00:00Z");

  @TempDir
  static Path shared;
  private static Path modelFile;
  private static Forecaster model;
  private static List<Observation> rows;
  private static Map<String, double[]> reference;

  @BeforeAll
  static void trainModelAndReference() throws Exception {
    PipelineSpec spec = WeatherProof.spec("failover");
    rows = WeatherProof.rows(END);
    ModelArtifact artifact = WeatherProof.model();
    modelFile = shared.resolve("gru.scm");
    artifact.write(modelFile);
    model = WeatherProof.serving(artifact);
    reference = WeatherProof.reference(spec, model, rows);
    // A restored or taken-over key without its hidden state would forecast differently: far beyond the tolerance.
    HiddenStateProbe.assertHiddenStateMatters(spec, model, rows, WeatherProof.TOLERANCE);
  }

  @Test
  void shouldKeepForecastsEqualToSingleInstanceWhenOneOfTwoInstancesIsKilled(TestKafka kafka,
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    String name = TestKafka.uniqueName("failover").replace('_', '-');
    PipelineSpec spec = WeatherProof.spec(name);
    Path specFile = WeatherProof.specFile(dir, name);
    // a dead member leaves the group after 6 s (the broker's minimum); its open transaction is aborted after 5 s
    Path clientConfig = Files.writeString(dir.resolve("client.properties"), String.join("\n",
        "main.consumer.session.timeout.ms=6000", "main.consumer.heartbeat.interval.ms=1000",
        "producer.transaction.timeout.ms=5000", ""), StandardCharsets.UTF_8);
    List<String> keys = rows.stream().map(Observation::key).distinct().sorted().toList();

    try (Instance a = Instance.start(dir, "a", kafka, specFile, clientConfig);
         Instance b = Instance.start(dir, "b", kafka, specFile, clientConfig)) {
      a.awaitReady();
      b.awaitReady();
      try (TopicTail forecasts = TopicTail.open(kafka, spec.output().forecasts(), IsolationLevel.READ_COMMITTED);
           TopicTail series = TopicTail.open(kafka, spec.output().series(), IsolationLevel.READ_COMMITTED)) {
        // the first half, with both instances up; its last day stays open, everything before it is forecast
        WeatherProof.produce(kafka.clientProps(), spec.input().topic(),
            rows.stream().filter(o -> o.time().isBefore(SPLIT)).toList());
        int before = WeatherProof.countBefore(reference, SPLIT.minus(Duration.ofDays(1)));
        forecasts.awaitCount(n -> n >= before, WAIT, before + " committed forecasts");

        // each key is owned by exactly one instance, and both answer for every key with the owner's state
        Map<String, String> owners = new TreeMap<>();
        for (String key : keys) {
          String path = "/forecasts/" + encode(key);
          boolean onA = a.get(path + "?local").statusCode() == 200;
          boolean onB = b.get(path + "?local").statusCode() == 200;
          assertTrue(onA != onB, key + " owned by exactly one instance (a: " + onA + ", b: " + onB + ")");
          owners.put(key, onA ? "a" : "b");
          HttpResponse<String> fromA = a.get(path);
          HttpResponse<String> fromB = b.get(path);
          assertEquals(200, fromA.statusCode(), key + " from a: " + fromA.body());
          assertEquals(200, fromB.statusCode(), key + " from b: " + fromB.body());
          assertEquals(fromA.body(), fromB.body(), key + ": both instances give the owner's forecast");
        }
        assertTrue(owners.containsValue("a") && owners.containsValue("b"), "both instances own keys: " + owners);
        LOG.info("owners before the kill: {}", owners);

        // the rest streams in; b dies after some, not all, of its forecasts were committed
        List<Observation> rest = rows.stream().filter(o -> !o.time().isBefore(SPLIT)).toList();
        CompletableFuture<Integer> producing = WeatherProof.produceAsync(kafka.clientProps(), spec.input().topic(),
            rest, RATE);
        int threshold = before + (reference.size() - before) * 3 / 10;
        int seen = forecasts.awaitCount(n -> n >= threshold, WAIT, threshold + " committed forecasts");
        b.process.destroyForcibly();
        b.process.awaitExit(Duration.ofSeconds(30));
        LOG.info("b killed at {} committed forecasts ({} before the second half, {} in all)", seen, before,
            reference.size());
        assertTrue(seen < reference.size(), "killed mid-stream");
        assertEquals(rest.size(), producing.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        forecasts.awaitCount(n -> n >= reference.size(), WAIT, reference.size() + " committed forecasts");
        for (String key : keys) { // a owns every key now, with the state b had built for its keys
          HttpResponse<String> state = a.get("/state/" + encode(key) + "?local");
          assertEquals(200, state.statusCode(), key + " on a after the failover: " + state.body());
        }
        a.process.destroy();
        assertEquals(0, a.process.awaitExit(Duration.ofSeconds(60)), a.process.output());
        int total = forecasts.readToEnd(Duration.ofSeconds(30));
        double worst = WeatherProof.assertEqualsReference(forecasts.records(), reference, model.version());
        series.readToEnd(Duration.ofSeconds(30));
        WeatherProof.assertSeriesExactlyOnce(series.records(), rows);
        LOG.info("{} forecasts, {} expected; largest difference from the single-instance run {}", total,
            reference.size(), worst);
      }
    }
  }

  private static String encode(String key) {
    return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One {@code streamcast run} process with its own state directory and HTTP port. */
  private static final class Instance implements AutoCloseable {
    final StreamcastProcess process;
    private int port;

    private Instance(StreamcastProcess process) {
      this.process = process;
    }

    static Instance start(Path dir, String id, TestKafka kafka, Path specFile, Path clientConfig) {
      return new Instance(StreamcastProcess.start(dir.resolve("run-" + id + ".log"),
          StreamcastProcess.DEFAULT_JVM_OPTIONS, Map.of(), List.of("run", "--topology", specFile.toString(),
              "--model", modelFile.toString(), "--bootstrap", kafka.bootstrapServers(), "--state-dir",
              dir.resolve("state-" + id).toString(), "--http-port", "0", "--kafka-config", clientConfig.toString())));
    }

    void awaitReady() {
      port = Integer.parseInt(process.awaitLine(HTTP_PORT, START).group(1));
      Await.await(() -> {
        if (!process.isAlive()) {
          throw new AssertionError(process + " exited:\n" + process.output());
        }
        return WeatherProof.ready(port);
      }, START, process + " ready on port " + port);
    }

    HttpResponse<String> get(String path) throws Exception {
      return WeatherProof.get(port, path);
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
