package org.streamcast.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelHolder;
import org.streamcast.topology.EventParser;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.StreamsSettings;

/**
 * A running application under measurement: the pass-through reference, the pipeline as {@code streamcast run} runs it
 * ({@link StreamcastApp}: Kafka Streams plus meters and HTTP), or the bare pipeline topology in a Kafka Streams
 * instance (for the state phase, which needs a restore listener and interactive queries). All use
 * {@link StreamsSettings#of} with the same runtime settings, so they differ only in their topology.
 */
abstract class BenchApp implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final String applicationId;
  private final List<String> internalSources;

  private BenchApp(String applicationId, List<String> internalSources) {
    this.applicationId = applicationId;
    this.internalSources = List.copyOf(internalSources);
  }

  /** The Kafka Streams application id (also its consumer group). */
  String applicationId() {
    return applicationId;
  }

  /** Topics the application both writes and reads (its repartition topics). */
  List<String> internalSources() {
    return internalSources;
  }

  abstract boolean running();

  /** The Kafka Streams instance. */
  abstract KafkaStreams streams();

  /**
   * The sum of a metric of the application's producers ({@code producer-metrics} group), e.g.
   * {@code record-send-total} or {@code outgoing-byte-total}: what the application wrote, changelogs included.
   */
  double producerTotal(String metric) {
    double sum = 0;
    for (var e : streams().metrics().entrySet()) {
      if (e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(metric)
          && e.getValue().metricValue() instanceof Number n) {
        sum += n.doubleValue();
      }
    }
    return sum;
  }

  /** Why the application stopped, or null. */
  abstract Throwable failure();

  @Override
  public abstract void close();

  /** Waits until the application is RUNNING (all its tasks assigned and restored); returns that instant. */
  long awaitRunning(Duration timeout, BooleanSupplier cancelled) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!running()) {
      if (failure() != null) {
        throw new IllegalStateException("application " + applicationId + " failed: " + failure(), failure());
      }
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("application " + applicationId + " was not RUNNING within "
            + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    return System.nanoTime();
  }

  /** The pass-through topology reading the spec's input and writing {@code output}, started. */
  static Streams passThrough(PipelineSpec spec, String output, RuntimeSettings settings) {
    Properties props = StreamsSettings.of(spec, settings);
    return new Streams(new KafkaStreams(
        PassThroughTopology.build(spec.input().topic(), output, new EventParser(spec.input())), props),
        settings.applicationId(spec.name()), List.of(), null);
  }

  /** The pipeline as {@code streamcast run --model} runs it, started. */
  static Pipeline pipeline(PipelineSpec spec, RuntimeSettings settings, Forecaster model) throws java.io.IOException {
    return new Pipeline(StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings, model))), spec,
        settings.applicationId(spec.name()));
  }

  /** The pipeline's topology in a bare Kafka Streams instance, with an optional restore listener, started. */
  static Streams pipelineStreams(PipelineSpec spec, RuntimeSettings settings, Forecaster model,
      StateRestoreListener restoreListener) {
    Properties props = StreamsSettings.of(spec, settings);
    KafkaStreams streams = new KafkaStreams(
        PipelineTopology.build(spec, new ModelHolder(model), PipelineObserver.NONE), props);
    String id = settings.applicationId(spec.name());
    return new Streams(streams, id, repartitionTopics(spec, id), restoreListener);
  }

  /** The repartition topics of a pipeline's application: one when the key comes from a JSON field, else none. */
  static List<String> repartitionTopics(PipelineSpec spec, String applicationId) {
    return spec.input().keyField() == null ? List.of()
        : List.of(applicationId + "-" + PipelineTopology.REPARTITION + "-repartition");
  }

  /** A Kafka Streams instance of its own. */
  static final class Streams extends BenchApp {
    private final KafkaStreams streams;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Streams(KafkaStreams streams, String applicationId, List<String> internalSources,
        StateRestoreListener restoreListener) {
      super(applicationId, internalSources);
      this.streams = streams;
      streams.setUncaughtExceptionHandler(e -> {
        failure.compareAndSet(null, e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      if (restoreListener != null) {
        streams.setGlobalStateRestoreListener(restoreListener);
      }
      streams.start();
    }

    @Override
    KafkaStreams streams() {
      return streams;
    }

    @Override
    boolean running() {
      return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    Throwable failure() {
      Throwable t = failure.get();
      if (t == null && streams.state() == KafkaStreams.State.ERROR) {
        return new IllegalStateException("Kafka Streams is in state ERROR");
      }
      return t;
    }

    /**
     * Stops the instance and leaves the consumer group at once, as a graceful stop does. (Kafka Streams stays in the
     * group by default; a new instance of the same application would then wait out the old member's session,
     * {@code session.timeout.ms}, 45 s by default, before it gets the partitions.)
     */
    @Override
    public void close() {
      streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  /** A {@link StreamcastApp} running one pipeline. */
  static final class Pipeline extends BenchApp {
    private final StreamcastApp app;
    private final PipelineSpec spec;

    Pipeline(StreamcastApp app, PipelineSpec spec, String applicationId) {
      super(applicationId, repartitionTopics(spec, applicationId));
      this.app = app;
      this.spec = spec;
    }

    @Override
    KafkaStreams streams() {
      return app.pipelines().get(spec.name()).streams();
    }

    /** Windows closed so far, from the pipeline's own meter. */
    long windowsClosed() {
      var counter = app.registry().find("streamcast.windows.closed").tag("pipeline", spec.name()).counter();
      return counter == null ? -1 : Math.round(counter.count());
    }

    @Override
    boolean running() {
      return app.isReady();
    }

    @Override
    Throwable failure() {
      return app.pipelines().values().stream().map(p -> p.failure()).filter(t -> t != null).findFirst()
          .orElse(app.hasFailed() ? new IllegalStateException("pipeline " + spec.name() + " failed") : null);
    }

    @Override
    public void close() {
      app.close();
    }
  }
}
