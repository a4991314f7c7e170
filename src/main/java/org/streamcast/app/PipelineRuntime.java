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
import org.streamcast.config.PipelineSpec;
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

  /**
   * Builds (does not start) the pipeline.
   *
   * @param spec     the pipeline
   * @param props    Kafka Streams properties, see {@link StreamsSettings#of}
   * @param registry where the pipeline's meters go
   */
  public PipelineRuntime(PipelineSpec spec, Properties props, MeterRegistry registry) {
    this.spec = spec;
    PipelineMeters meters = new PipelineMeters(spec.name());
    meters.bindTo(registry);
    Topology topology = PipelineTopology.build(spec, meters);
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      LOG.error("pipeline {} failed: {}", spec.name(), e.toString(), e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams,
        java.util.List.of(io.micrometer.core.instrument.Tag.of("pipeline", spec.name()))).bindTo(registry);
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
