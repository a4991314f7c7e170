package org.streamcast.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.metrics.LivePage;
import org.streamcast.metrics.ModelMeters;
import org.streamcast.metrics.PipelineMeters;
import org.streamcast.model.ModelHolder;
import org.streamcast.quality.PipelineScores;
import org.streamcast.serving.ServingState;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.StreamsSettings;
import org.streamcast.topology.TopologySerdes;

/**
 * One pipeline's Kafka Streams instance. A thread that dies of an unexpected error shuts the client down (state
 * {@code ERROR}): exactly-once state is then resumed from the changelog by a restart, never by a half-working
 * process.
 */
public final class PipelineRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);
  /** How long a stop waits for Kafka Streams to close (commit, flush the stores, leave the group). */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final PipelineSpec spec;
  private final KafkaStreams streams;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ModelHolder models;
  private final PipelineScores quality;
  private final PipelineMeters meters;
  private final KafkaStreamsMetrics streamsMetrics;
  private KeyQueries<ServingState> forecasts;
  private KeyQueries<ServingState> states;

  /**
   * Builds (does not start) the pipeline.
   *
   * @param spec     the pipeline
   * @param props    Kafka Streams properties, see {@link StreamsSettings#of}
   * @param statePartitions partitions of the keyed state ({@link PipelineTopics#statePartitions}; 0: the input's)
   * @param registry where the pipeline's meters go
   */
  public PipelineRuntime(PipelineSpec spec, Properties props, int statePartitions, ModelHolder models,
      MeterRegistry registry) {
    this.spec = spec;
    this.models = models;
    this.quality = PipelineTopology.quality(spec);
    this.meters = new PipelineMeters(spec, quality);
    meters.bindTo(registry);
    new ModelMeters(spec.name(), models, Clock.systemUTC()).bindTo(registry);
    Topology topology = PipelineTopology.build(spec, models, quality, meters, statePartitions);
    this.streams = new KafkaStreams(topology, StreamsSettings.observed(props, meters));
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      LOG.error("pipeline {} failed: {}", spec.name(), e.toString(), e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    this.streamsMetrics = new KafkaStreamsMetrics(streams, List.of(Tag.of("pipeline", spec.name())));
    streamsMetrics.bindTo(registry);
  }

  /** Sets up the interactive queries answered at {@code self} (this instance's {@code application.server}). */
  void queries(HostInfo self) {
    forecasts = new KeyQueries<>(streams, PipelineTopology.KEY_STATE_STORE, self, spec.name(), "/forecasts/",
        (key, s) -> !s.isWarm() ? null
            : TopologySerdes.toJson(KeyStateJson.latest(spec, models.current(), key, s)));
    states = new KeyQueries<>(streams, PipelineTopology.KEY_STATE_STORE, self, spec.name(), "/state/",
        (key, s) -> KeyStateJson.state(spec, models.current(), key, s));
  }

  /** {@code GET /forecasts/{key}}: the key's latest forecast with its intervals. */
  KeyQueries<ServingState> forecasts() {
    return forecasts;
  }

  /**
   * {@code GET /state/{key}}: steps seen, model version, last step time, the key's rolling quality, and per horizon
   * the source serving it with its live-protection test.
   */
  KeyQueries<ServingState> states() {
    return states;
  }

  /** This pipeline as the built-in page shows it. */
  LivePage.Source page() {
    return new LivePage.Source(spec, models, quality, meters.watchedKeys());
  }

  /** The pipeline's live quality windows on this instance. */
  public PipelineScores quality() {
    return quality;
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
    Map<String, String> out = new java.util.LinkedHashMap<>(Map.of("series", spec.output().series(),
        "forecasts", spec.output().forecasts(), "dlq", spec.output().deadLetters()));
    if (spec.output().anomalies() != null) {
      out.put("anomalies", spec.output().anomalies());
    }
    return Map.copyOf(out);
  }

  @Override
  public void close() {
    boolean stopped = streams.close(CLOSE_TIMEOUT);
    streamsMetrics.close();
    if (!stopped) {
      throw new IllegalStateException("pipeline " + spec.name() + ": Kafka Streams did not stop within "
          + CLOSE_TIMEOUT.toSeconds() + " s");
    }
  }
}
