package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.domain.Observation;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.ModelArtifact;
import org.streamcast.registry.ModelTopic;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.PoisonedArtifacts;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;
import org.streamcast.training.Trainer;

/**
 * target/streamcast-serving.jar as a child process on the real broker, with the shipped electricity spec: it serves the
 * model published to the model topic before it started, swaps in one published while it runs, answers every HTTP
 * endpoint and stops cleanly, and neither its console nor its log file shows a class it does not carry (the jar leaves
 * DL4J, the broker, charts, benchmarks, training and retraining out: any path that reaches them fails here).
 */
@ExtendWith(KafkaExtension.class)
class ServingJarIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern MISSING_CLASS =
      Pattern.compile("NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError|NoSuchFieldError|LinkageError");

  @Test
  void shouldServeEveryEndpointWithoutAMissingClassWhenRunFromTheServingJar(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("serving").replace('_', '-');
    // the shipped spec under another name, so its topics are this test's own
    Path specFile = dir.resolve(name + ".yaml");
    Files.writeString(specFile, Files.readString(Path.of("topologies/electricity.yaml")).replace("electricity", name));
    PipelineSpec spec = SpecLoader.load(specFile);
    FeatureSpec features = Trainer.featureSpec(spec.model(), List.of());
    ModelArtifact first = PoisonedArtifacts.random(features, Instant.parse("2026-01-01T00:00:00Z"), 1);
    ModelArtifact next = PoisonedArtifacts.random(features, Instant.parse("2026-02-01T00:00:00Z"), 2);
    Path log = dir.resolve("serving.log");
    Path classes = dir.resolve("classes.log");

    // the model in service at start-up comes from the model topic, as in production
    publish(kafka, name, ArtifactFormat.write(first, 10, null));
    try (StreamcastProcess p = StreamcastProcess.start(StreamcastProcess.servingJar(), dir.resolve("run.out"),
        List.of("-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector", "-Xmx512m",
            "-Xlog:class+load=info:file=" + classes),
        Map.of(), List.of("run", "--topology", specFile.toString(), "--bootstrap", kafka.bootstrapServers(),
            "--state-dir", dir.resolve("state").toString(),
            "--http-port", "0", "--log-file", log.toString()))) {
      Matcher running = p.awaitLine(Pattern.compile("metrics at http://localhost:(\\d+)/metrics"), WAIT);
      String base = "http://localhost:" + running.group(1);
      Await.await(() -> get(base + "/ready").statusCode() == 200, WAIT, "ready");

      List<Observation> rows = Datasets.read("taylor");
      kafka.produce(spec.input().topic(), events(rows.subList(0, 800)));
      List<ConsumerRecord<String, String>> forecasts = kafka.consume(spec.output().forecasts(), 5, WAIT,
          IsolationLevel.READ_COMMITTED);
      assertTrue(forecasts.stream().allMatch(r -> r.value().contains("\"modelVersion\":10,")),
          forecasts.get(0).value());

      // a model published to the topic is swapped in live
      publish(kafka, name, ArtifactFormat.write(next, 20, null));
      Await.await(() -> modelVersion(get(base + "/metrics").body(), name) == 20, WAIT, "model 20 in service");
      kafka.produce(spec.input().topic(), events(rows.subList(800, 810)));
      Await.await(() -> get(base + "/forecasts/taylor").body().contains("\"modelVersion\":20,"), WAIT,
          "a forecast by model 20");

      for (String path : List.of("/", "/live", "/health", "/ready", "/metrics", "/forecasts/taylor",
          "/state/taylor", "/forecasts/taylor?pipeline=" + name, "/state/taylor?pipeline=" + name)) {
        HttpResponse<String> r = get(base + path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(!r.body().isEmpty(), path);
      }
      assertEquals(404, get(base + "/forecasts/nobody").statusCode());
      assertEquals(404, get(base + "/nowhere").statusCode());
      assertTrue(get(base + "/metrics").body().contains("streamcast_forecasts_out_total"),
          "the pipeline's meters are served");

      p.destroy();
      assertEquals(0, p.awaitExit(WAIT), p.output());
      assertEquals(List.of(), missingClasses(p.output()), "console:\n" + p.output());
      assertEquals(List.of(), missingClasses(Files.readString(log)), "log file");
      String loaded = Files.readString(classes);
      assertTrue(Pattern.compile("org\\.streamcast\\.model\\.RecurrentForecaster source: \\S*streamcast-serving\\.jar")
          .matcher(loaded).find(), "the model kernel came from the serving jar");
    }
  }

  @Test
  void shouldCarryNoTrainingBrokerChartOrBenchmarkCodeWhenPackaged() throws Exception {
    Path jar = StreamcastProcess.servingJar();
    assertTrue(Files.size(jar) <= 40_000_000L, "the serving jar is " + Files.size(jar) + " bytes, above 40 MB");
    List<String> forbidden = List.of("org/deeplearning4j/", "org/nd4j/", "org/bytedeco/", "org/datavec/",
        "kafka/server/", "org/apache/kafka/raft/", "org/apache/kafka/metadata/", "scala/", "org/knowm/xchart/",
        "org/apache/pdfbox/", "org/openjdk/jmh/", "org/streamcast/training/", "org/streamcast/retrain/",
        "org/streamcast/bench/", "org/streamcast/kafka/EmbeddedKafkaBroker", "org/streamcast/cli/TrainCommand");
    try (JarFile zip = new JarFile(jar.toFile())) {
      List<String> carried = zip.stream().map(ZipEntry::getName)
          .filter(n -> forbidden.stream().anyMatch(n::startsWith)).limit(10).toList();
      assertEquals(List.of(), carried);
      assertTrue(zip.getEntry("org/streamcast/cli/ServingMain.class") != null);
      assertEquals("org.streamcast.cli.ServingMain",
          zip.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  private static void publish(TestKafka kafka, String pipeline, byte[] artifact) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(ModelTopic.NAME, pipeline, artifact)).get();
    }
  }

  private static List<String> missingClasses(String text) {
    return text.lines().filter(l -> MISSING_CLASS.matcher(l).find()).toList();
  }

  /** The version the metrics say is in service for {@code pipeline}, or -1. */
  private static long modelVersion(String metrics, String pipeline) {
    Matcher m = Pattern.compile("streamcast_model_version\\{[^}]*pipeline=\"" + Pattern.quote(pipeline)
        + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  private static List<KeyValue<String, String>> events(List<Observation> rows) {
    return rows.stream().map(o -> KeyValue.pair(o.key(), String.format(Locale.ROOT,
        "{\"key\":\"%s\",\"ts\":\"%s\",\"value\":%s}", o.key(), o.time(), o.value()))).toList();
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
