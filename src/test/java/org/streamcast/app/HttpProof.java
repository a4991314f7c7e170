package org.streamcast.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.testing.TestKafka;

/** What the HTTP proofs share: a small hourly pipeline, its settings on the test broker, events, and GETs. */
final class HttpProof {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpProof() {}

  /** An hourly pipeline called {@code name} serving the seasonal-naive baseline until a model is published. */
  static PipelineSpec spec(String name) {
    return SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, context: 8, horizon: 3, seasonalLags: [2], calendar: []}",
        "training: {history: 30d}",
        ""));
  }

  /** Settings on the test broker with {@code state} as the state directory and a free HTTP port. */
  static RuntimeSettings settings(TestKafka kafka, Path state) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, Map.of(),
        new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
  }

  /** Hours [0, hours) of each key, value {@code base + key index + hour}. */
  static List<Observation> hours(List<String> keys, int hours, double base) {
    List<Observation> out = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      for (int k = 0; k < keys.size(); k++) {
        out.add(new Observation(keys.get(k), T0.plusSeconds(3600L * h), base + k + h));
      }
    }
    return out;
  }

  /** Sends {@code events} to {@code topic} as fast as possible and waits until the broker has them. */
  static void produce(TestKafka kafka, String topic, List<Observation> events) throws InterruptedException {
    try (EventProducer producer = new EventProducer(kafka.clientProps(), true)) {
      producer.send(topic, Replay.inEventTimeOrder(events), EventProducer.Schedule.NOW, n -> { },
          () -> false);
    }
  }

  /** {@code GET http://127.0.0.1:port<pathAndQuery>} with a deadline. */
  static HttpResponse<String> get(int port, String pathAndQuery, Duration timeout) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(timeout)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #get(int, String, Duration)} with a 10 s deadline. */
  static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return get(port, pathAndQuery, Duration.ofSeconds(10));
  }
}
