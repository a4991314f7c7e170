package org.streamcast.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Pacer;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EventProducer;
import org.streamcast.testing.Await;
import org.streamcast.testing.TestKafka;

/**
 * A pipeline running in this JVM on the test broker ({@link StreamcastApp}, as {@code streamcast run} starts it),
 * fed with synthetic hourly series by a paced producer: {@value #KEYS} keys with a daily cycle, level and noise of
 * their own, two of them watched.
 */
final class RunningPipeline implements AutoCloseable {
  static final int KEYS = 4;
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  final PipelineSpec spec;
  final RuntimeSettings settings;
  final StreamcastApp app;

  private RunningPipeline(PipelineSpec spec, RuntimeSettings settings, StreamcastApp app) {
    this.spec = spec;
    this.settings = settings;
    this.app = app;
  }

  /** Starts the pipeline {@code name} (horizon 6, season 24, watching k-0 and k-1) and waits until it is ready. */
  static RunningPipeline start(TestKafka kafka, Path stateDir, String name) throws Exception {
    PipelineSpec spec = SpecLoader.parse(name + ".yaml", String.join("\n",
        "name: " + name,
        "window: {step: 1h, aggregation: mean, grace: 0s}",
        "model: {type: gru, hiddenSize: 8, context: 48, horizon: 6, seasonalLags: [24], calendar: [time_of_day]}",
        "training: {history: 30d}",
        "intervals: [0.8, 0.95]",
        "watch: [k-0, k-1]",
        ""));
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), stateDir, 0, null, null, null));
    StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)));
    try {
      Await.await(app::isReady, Duration.ofSeconds(60), "pipeline " + name + " running");
    } catch (AssertionError e) {
      app.close();
      throw e;
    }
    return new RunningPipeline(spec, settings, app);
  }

  /** The synthetic value of key {@code k} at hour {@code t}. */
  static List<Observation> hours(int from, int to, long seed) {
    Random noise = new Random(seed);
    List<Observation> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      for (int k = 0; k < KEYS; k++) {
        double level = 100 * (k + 1);
        double cycle = 10 * (k + 1) * Math.sin(2 * Math.PI * t / 24.0);
        out.add(new Observation("k-" + k, T0.plusSeconds(3600L * t), level + cycle + (k + 1) * noise.nextGaussian()));
      }
    }
    return out;
  }

  /** Produces {@code observations} at {@code perSecond} events per second and waits until the broker has them. */
  void produce(List<Observation> observations, double perSecond) throws InterruptedException {
    try (EventProducer producer = new EventProducer(settings.clientProperties(), true)) {
      Replay<Observation> replay = Replay.of(observations, Replay.Pacing.rate(perSecond));
      producer.send(spec.input().topic(), replay.observations(), replay.schedule(Pacer.system())::awaitDue,
          n -> { }, () -> false);
    }
  }

  /** The app's counter {@code name} (a Micrometer name) for this pipeline. */
  double counter(String name) {
    return app.registry().get(name).tag("pipeline", spec.name()).counter().count();
  }

  /** Waits until this pipeline has published at least {@code n} forecasts. */
  void awaitForecasts(double n, Duration timeout) {
    Await.until(() -> counter("streamcast.forecasts.out"), c -> c >= n, timeout, n + " forecasts published");
  }

  /** Forecasts each key publishes for hours [0, hours): every closed step from the season on. */
  static int forecastsPerKey(int hours) {
    return hours - 1 - 24 + 1;
  }

  @Override
  public void close() {
    app.close();
  }
}
