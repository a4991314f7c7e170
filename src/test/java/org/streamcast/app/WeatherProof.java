package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.dataset.Pacer;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Step;
import org.streamcast.kafka.EventProducer;
import org.streamcast.kafka.StepSerde;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.testing.HiddenStateProbe;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.TopologySerdes;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.SeriesSteps;
import org.streamcast.training.Trainer;

/**
 * What the crash, failover and fuzz proofs share: the bundled daily weather of two cities (eight keys, with holes
 * punched in the first two years so that imputation and a reset run), a pipeline spec serving a small GRU, that GRU
 * trained briefly (two epochs of large mini-batches on the first four months, once per JVM), and the reference every
 * streamed forecast must equal: each key's steps, in order, through the shared {@link KeyStepper} with the same
 * model, uninterrupted, in this JVM.
 *
 * <p>The spec takes the series key from the Kafka record key ({@code keyField: null}), so there is no repartition:
 * a key's events reach its task in the order produced and the run is deterministic whatever the timing, which is
 * what lets a crashed, restarted or failed-over run be compared with an uninterrupted one record for record.
 */
final class WeatherProof {
  /** The spec with {@code NAME} in place of the pipeline name. */
  static final String SPEC = String.join("\n",
      "name: NAME",
      "input: {keyField: null}",
      "window: {step: 1d, aggregation: last, grace: 0s}",
      "model: {type: gru, hiddenSize: 8, context: 14, horizon: 3, seasonalLags: [7], calendar: [day_of_week],",
      "        gaps: {policy: impute, maxImputed: 2}}",
      "training: {epochs: 2, patience: 1, seed: 11, batchSize: 128, history: 400d}",
      "");
  /** Training data ends here. */
  static final Instant TRAIN_UNTIL = Instant.parse("2012-05-01T00:00:00Z");
  /** Holes are punched only before this, so every partition has data on the last days of each phase. */
  static final Instant HOLES_UNTIL = Instant.parse("2014-01-01T00:00:00Z");
  /** Largest difference allowed between a streamed and a reference forecast value. */
  static final double TOLERANCE = 1e-9;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static ModelArtifact trained;

  private WeatherProof() {}

  /** The spec of a pipeline called {@code name}. */
  static PipelineSpec spec(String name) {
    return SpecLoader.parse(name + ".yaml", SPEC.replace("NAME", name));
  }

  /**
   * The same pipeline reading the series key from the events' {@code key} field (the default), so that events are
   * repartitioned by key; deterministic only while the input topic has one partition.
   */
  static PipelineSpec keyedSpec(String name) {
    return SpecLoader.parse(name + ".yaml", SPEC.replace("NAME", name).replace("input: {keyField: null}\n", ""));
  }

  /** Writes the spec of {@code name} to {@code dir/name.yaml} and returns the file. */
  static Path specFile(Path dir, String name) throws IOException {
    return Files.writeString(dir.resolve(name + ".yaml"), SPEC.replace("NAME", name), StandardCharsets.UTF_8);
  }

  /**
   * The eight weather series of New York and Seattle up to {@code until} (exclusive), in event-time order, with single
   * missing days (imputed) and one five-day hole in {@code Seattle/wind} (longer than {@code maxImputed}: a reset).
   */
  static List<Observation> rows(Instant until) {
    List<Observation> rows = new ArrayList<>();
    int i = 0;
    for (Observation o : Datasets.read("vega_weather")) {
      boolean hole = o.time().isBefore(HOLES_UNTIL) && (i % 97 == 50 || (i % 331 == 100 && i % 2 == 0)
          || o.key().equals("Seattle/wind") && o.time().isAfter(Instant.parse("2013-05-01T00:00:00Z"))
              && o.time().isBefore(Instant.parse("2013-05-07T00:00:00Z")));
      if (!hole && o.time().isBefore(until)) {
        rows.add(o);
      }
      i++;
    }
    return Replay.inEventTimeOrder(rows);
  }

  /**
   * The GRU every proof serves: the spec's model trained on the rows before {@link #TRAIN_UNTIL} (two epochs, hidden
   * size 8), with weights from the hidden state to every output ({@link HiddenStateProbe#withHiddenWeights}), so
   * that its forecasts depend on each key's hidden state. Trained once per JVM, by the first test class that asks.
   */
  static synchronized ModelArtifact model() {
    if (trained == null) {
      PipelineSpec spec = spec("proof");
      List<Observation> history = rows(TRAIN_UNTIL).stream()
          .sorted(java.util.Comparator.comparing(Observation::key).thenComparing(Observation::time)).toList();
      // Outputs that training put back to their baseline ignore the hidden state, and a lost state would go unseen.
      trained = HiddenStateProbe.withHiddenWeights(new Trainer().train(spec.model(), spec.training(),
          SeriesSteps.of("vega_weather", history, spec), List.of(), "vega_weather",
          ProgressListener.NONE).artifact(), 11);
    }
    return trained;
  }

  /**
   * The uninterrupted reference: {@code key@origin -> forecast values} for every step whose window closes when
   * {@code rows} are streamed, i.e. every step but each key's last.
   */
  static Map<String, double[]> reference(PipelineSpec spec, Forecaster model, List<Observation> rows) {
    Map<String, List<Observation>> byKey = new LinkedHashMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
    // the pipeline's own serving step: the model is fed what the stream feeds it (anomalies clipped by the key's band)
    ServingStep step = PipelineTopology.servingStep(spec, stepper, PipelineTopology.quality(spec));
    Map<String, double[]> out = new HashMap<>();
    for (var e : byKey.entrySet()) {
      List<Observation> series = e.getValue();
      ServingState s = new ServingState(PipelineTopology.historyCapacity(spec));
      double[] f = new double[model.horizon()];
      for (int t = 0; t < series.size() - 1; t++) {
        Observation o = series.get(t);
        if (step.step(model, e.getKey(), s, o.time().toEpochMilli(), o.value(), f, null) != null) {
          out.put(id(e.getKey(), o.time()), f.clone());
        }
      }
    }
    return out;
  }

  /** How many reference forecasts have an origin before {@code until}. */
  static int countBefore(Map<String, double[]> reference, Instant until) {
    return (int) reference.keySet().stream()
        .filter(id -> Instant.parse(id.substring(id.lastIndexOf('@') + 1)).isBefore(until)).count();
  }

  /** {@code key@origin}. */
  static String id(String key, Instant origin) {
    return key + "@" + origin;
  }

  /** A forecast record's value. */
  static Forecast forecast(ConsumerRecord<byte[], byte[]> r) {
    return TopologySerdes.forecastJson().deserializer().deserialize(r.topic(), r.value());
  }

  /**
   * Asserts that {@code records} hold exactly one forecast per reference {@code key@origin}, none missing and none
   * extra, each made by {@code version} and equal to the reference within {@link #TOLERANCE}.
   *
   * @return the largest difference seen
   */
  static double assertEqualsReference(List<ConsumerRecord<byte[], byte[]>> records, Map<String, double[]> reference,
      long version) {
    Map<String, Integer> seen = new TreeMap<>();
    double worst = 0;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Forecast f = forecast(r);
      String id = id(f.key(), f.origin());
      assertEquals(new String(r.key(), StandardCharsets.UTF_8), f.key(), "record key");
      assertEquals(f.origin().toEpochMilli(), r.timestamp(), "record timestamp = origin");
      seen.merge(id, 1, Integer::sum);
      assertEquals(version, f.modelVersion(), id + ": model version");
      double[] expected = reference.get(id);
      assertTrue(expected != null, "a forecast the uninterrupted run does not make: " + id);
      assertEquals(expected.length, f.points().size(), id + ": horizons");
      for (Forecast.Point p : f.points()) {
        worst = Math.max(worst, Math.abs(p.value() - expected[p.h() - 1]));
      }
    }
    Map<String, Integer> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    assertTrue(duplicated.isEmpty(), duplicated.size() + " (key, origin) forecast more than once, e.g. "
        + duplicated.entrySet().stream().limit(5).toList());
    List<String> missing = reference.keySet().stream().filter(id -> !seen.containsKey(id)).sorted().toList();
    assertTrue(missing.isEmpty(), missing.size() + " forecasts missing, e.g. " + missing.stream().limit(5).toList());
    assertTrue(worst <= TOLERANCE, "largest difference from the uninterrupted run: " + worst);
    return worst;
  }

  /**
   * Asserts that {@code records} of the series topic hold exactly one step per key and closed window, none missing,
   * each with its event's value: every row's day but each key's last (its window never closes).
   */
  static void assertSeriesExactlyOnce(List<ConsumerRecord<byte[], byte[]>> records, List<Observation> rows) {
    Map<String, Double> expected = new HashMap<>();
    Map<String, Observation> last = new HashMap<>();
    for (Observation o : rows) {
      expected.put(id(o.key(), o.time()), o.value());
      last.merge(o.key(), o, (a, b) -> b.time().isAfter(a.time()) ? b : a);
    }
    last.values().forEach(o -> expected.remove(id(o.key(), o.time())));
    Map<String, Double> seen = new HashMap<>();
    var serde = StepSerde.json().deserializer();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Step step = serde.deserialize(r.topic(), r.value());
      Double before = seen.put(id(step.key(), step.start()), step.value());
      assertTrue(before == null, "step " + id(step.key(), step.start()) + " written twice");
    }
    assertEquals(expected, seen, "the series");
  }

  /** Sends {@code rows} as JSON events at {@code perSecond}, in a background thread; the future ends when acked. */
  static CompletableFuture<Integer> produceAsync(Map<String, Object> clientProperties, String topic,
      List<Observation> rows, double perSecond) {
    return CompletableFuture.supplyAsync(() -> {
      try (EventProducer producer = new EventProducer(clientProperties, true)) {
        Replay<Observation> replay = Replay.of(rows, Replay.Pacing.rate(perSecond));
        return producer.send(topic, replay.observations(), replay.schedule(Pacer.system())::awaitDue, n -> { },
            () -> false).sent();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing", e);
      }
    });
  }

  /** Sends {@code rows} as fast as the broker takes them and waits for the acknowledgements. */
  static void produce(Map<String, Object> clientProperties, String topic, List<Observation> rows)
      throws InterruptedException {
    try (EventProducer producer = new EventProducer(clientProperties, false)) {
      producer.send(topic, Replay.inEventTimeOrder(rows), EventProducer.Schedule.NOW, n -> { }, () -> false);
    }
  }

  /** {@code GET http://localhost:port/path}. */
  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Whether {@code GET /ready} answers 200 (false while the port is not open yet). */
  static boolean ready(int port) {
    try {
      return get(port, "/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The served model of a trained artifact. */
  static Forecaster serving(ModelArtifact artifact) {
    return RecurrentForecaster.serving(artifact);
  }
}
