package org.streamcast.bench;

import java.util.List;
import org.streamcast.config.PipelineSpec;

/**
 * Records per second of one topology over the whole throughput workload, which was written to the input topic
 * beforehand: each pass is a new application (new id, empty state) that reads the topic from the start; the clock
 * runs from the moment it is RUNNING until every input record is processed and committed (seen in its committed
 * offsets). Between passes, its topics and state are deleted.
 */
final class ThroughputPhase {
  /**
   * One pass.
   *
   * @param recordsPerSecond input records per second
   * @param seconds          from RUNNING to all committed
   * @param outputs          records on its output topic (forecasts, or pass-through events), read committed
   * @param windowsClosed    windows the pipeline closed (its meter), or -1 for the pass-through
   * @param recordsWritten   records the application's producers sent (outputs, repartition, changelogs) per input
   *                         record
   * @param bytesWritten     bytes they sent over the network (batched, compressed as configured) per input record
   */
  record Pass(double recordsPerSecond, double seconds, long outputs, long windowsClosed, double recordsWritten,
      double bytesWritten) {}

  private final BenchEnv env;
  private final Workload workload;
  private final String input;

  ThroughputPhase(BenchEnv env, Workload workload) {
    this.env = env;
    this.workload = workload;
    this.input = env.name("throughput") + ".events";
  }

  /** Writes the workload to the input topic. */
  void produce() throws InterruptedException {
    int events = env.plan.throughputEvents();
    env.probe.createTopic(input, env.plan.partitions());
    env.listener.started("produce " + String.format(java.util.Locale.ROOT, "%,d", events) + " events", events, "ev");
    try (EventSender sender = new EventSender(env.base.clientProperties(), false)) {
      sender.send(input, workload, 0, events, 0, null, env.listener::progressed, env.cancelled);
    } finally {
      env.listener.finished();
    }
  }

  /** One pass of the pass-through topology. */
  Pass passThrough(String label, int pass) throws InterruptedException {
    String name = env.name("pt" + pass);
    PipelineSpec spec = env.spec(name, input);
    String output = name + ".out";
    env.probe.createTopic(output, env.plan.partitions());
    double seconds;
    double records;
    double bytes;
    try (BenchApp app = BenchApp.passThrough(spec, output, env.settings(name))) {
      seconds = measure(label, app);
      records = app.producerTotal("record-send-total");
      bytes = app.producerTotal("outgoing-byte-total");
    }
    long outputs = env.probe.count(output);
    env.cleanUp(name);
    int events = env.plan.throughputEvents();
    return new Pass(events / seconds, seconds, outputs, -1, records / events, bytes / events);
  }

  /** One pass of the forecasting pipeline. */
  Pass full(String label, int pass) throws InterruptedException, java.io.IOException {
    String name = env.name("full" + pass);
    PipelineSpec spec = env.spec(name, input);
    double seconds;
    long windows;
    double records;
    double bytes;
    try (BenchApp.Pipeline app = BenchApp.pipeline(spec, env.settings(name), env.model)) {
      seconds = measure(label, app);
      windows = app.windowsClosed();
      records = app.producerTotal("record-send-total");
      bytes = app.producerTotal("outgoing-byte-total");
    }
    long forecasts = env.probe.count(spec.output().forecasts());
    env.cleanUp(name);
    int events = env.plan.throughputEvents();
    return new Pass(events / seconds, seconds, forecasts, windows, records / events, bytes / events);
  }

  private double measure(String label, BenchApp app) throws InterruptedException {
    int events = env.plan.throughputEvents();
    long running = app.awaitRunning(BenchEnv.timeoutFor(0), env.cancelled);
    env.listener.started(label, events, "rec");
    try {
      long done = env.probe.awaitCommitted(app.applicationId(), List.of(input), app.internalSources(),
          env.transactional(), BenchEnv.timeoutFor(events), env.listener::progressed, app::failure, env.cancelled);
      return (done - running) / 1e9;
    } finally {
      env.listener.finished();
    }
  }

  /** Forecasts the pipeline must emit in one pass: each key's closed steps from its warm-up on. */
  long expectedForecasts() {
    return (long) workload.keys() * (env.plan.steps() - env.model.warmup());
  }

  /** Windows the pipeline must close in one pass: every step of every key but the last. */
  long expectedWindows() {
    return (long) workload.keys() * (env.plan.steps() - 1);
  }
}
