package org.streamcast.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Forecast;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.ModelHolder;
import org.streamcast.topology.TopologySerdes;
import org.streamcast.metrics.PipelineMeters;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.StreamsSettings;

/**
 * One pipeline's Kafka Streams instance. A thread that dies of an unexpected error shuts the client down (state
 * {@code ERROR}): exactly-once state is then resumed from the changelog by a restart, never by a half-working
 * process.
 */
public final class PipelineRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);

  private final PipelineSpec spec;
  private final KafkaStreams streams;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ModelHolder models;
  private KeyQueries<KeyState> forecasts;
  private KeyQueries<KeyState> states;

  /**
   * Builds (does not start) the pipeline.
   *
   * @param spec     the pipeline
   * @param props    Kafka Streams properties, see {@link StreamsSettings#of}
   * @param registry where the pipeline's meters go
   */
  public PipelineRuntime(PipelineSpec spec, Properties props, ModelHolder models, MeterRegistry registry) {
    this.spec = spec;
    this.models = models;
    PipelineMeters meters = new PipelineMeters(spec.name());
    meters.bindTo(registry);
    new org.streamcast.metrics.ModelMeters(spec.name(), models, java.time.Clock.systemUTC()).bindTo(registry);
    Topology topology = PipelineTopology.build(spec, models, meters);
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      LOG.error("pipeline {} failed: {}", spec.name(), e.toString(), e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams,
        List.of(io.micrometer.core.instrument.Tag.of("pipeline", spec.name()))).bindTo(registry);
  }

  /** Sets up the interactive queries answered at {@code self} (this instance's {@code application.server}). */
  void queries(HostInfo self) {
    forecasts = new KeyQueries<>(streams, PipelineTopology.KEY_STATE_STORE, self, "/forecasts/",
        (key, s) -> s.forecastOrigin() == KeyState.NO_STEP ? null : TopologySerdes.toJson(latest(key, s)));
    states = new KeyQueries<>(streams, PipelineTopology.KEY_STATE_STORE, self, "/state/",
        StreamcastApp::stateJson);
  }

  /** {@code GET /forecasts/{key}}: the key's latest forecast. */
  KeyQueries<KeyState> forecasts() {
    return forecasts;
  }

  /** {@code GET /state/{key}}: steps seen, model version, last step time. */
  KeyQueries<KeyState> states() {
    return states;
  }

  private Forecast latest(String key, KeyState s) {
    Forecaster current = models.current();
    String model = current.version() == s.modelVersion() ? current.name() : "v" + s.modelVersion();
    double[] values = s.forecast();
    List<Forecast.Point> points = new ArrayList<>(values.length);
    long stepMs = spec.window().step().toMillis();
    for (int h = 1; h <= values.length; h++) {
      points.add(new Forecast.Point(h, Instant.ofEpochMilli(s.forecastOrigin() + h * stepMs), values[h - 1]));
    }
    return new Forecast(key, spec.name(), Instant.ofEpochMilli(s.forecastOrigin()), model, s.modelVersion(), points);
  }

  /** The model holder of this pipeline. */
  public ModelHolder models() {
    return models;
  }

  /** Starts processing. */
  public void start() {
    streams.start();
  }

  /** The pipeline. */
  public PipelineSpec spec() {
    return spec;
  }

  /** The Kafka Streams client, for interactive queries. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Whether the instance is processing (RUNNING; a rebalance counts as not ready). */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Whether the instance has failed for good (ERROR, or shutting down after a failure). */
  public boolean hasFailed() {
    return streams.state() == KafkaStreams.State.ERROR || failure.get() != null;
  }

  /** The failure that stopped the pipeline, if any. */
  public Throwable failure() {
    return failure.get();
  }

  /** Default topic layout of the pipeline: output topics get as many partitions as the input topic. */
  public Map<String, String> outputTopics() {
    return Map.of("series", spec.output().series(), "forecasts", spec.output().forecasts(),
        "dlq", spec.output().deadLetters());
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
