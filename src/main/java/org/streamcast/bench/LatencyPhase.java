package org.streamcast.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.streamcast.config.PipelineSpec;

/**
 * Event-to-output latency of both topologies at a fixed rate, as a read-committed consumer downstream sees it.
 *
 * <p>Each topology is a new application on its own input topic. Both start, then each gets its pre-feed (every
 * key's first {@link BenchPlan#latencyPrefeedSteps()} steps at full speed, so every key is past the model's warm-up;
 * the phase waits until it is all committed). Then the passes of {@link BenchPlan#latencySteps()} steps each (the
 * warm-up passes, then the measured ones) are sent at the fixed rate, alternating: pass 1 to the pass-through, pass 1
 * to the pipeline, pass 2 to the pass-through, ... Each waits until all its outputs arrived, so only one topology
 * works at a time, and both see the machine in the same state as nearly as it can be arranged. Each event's send time
 * is noted when it is handed to the producer; each output's arrival when the consumer's poll returns it (same JVM,
 * same monotonic clock).
 *
 * <ul>
 *   <li>Pass-through: an output is its event, re-keyed; its latency is arrival − the event's send time.</li>
 *   <li>Pipeline: a forecast for origin step {@code s} is made when the key's window of step {@code s} closes, which
 *       is when the first event of step {@code s + 1} reaches the key's partition (grace 0): that event triggers it,
 *       with every other window of the partition. Its latency is arrival − the send time of that triggering event
 *       (the first key of the partition in step {@code s + 1}; the workload knows every key's partition). The wait
 *       for the window to close is up to one step of wall time at the workload's pace ({@code keys / rate}), set by
 *       the data rather than by the processing, and is reported apart: arrival − the send time of the key's own
 *       event of step {@code s}.</li>
 * </ul>
 */
final class LatencyPhase {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

  /**
   * One topology's results.
   *
   * @param passes    percentiles per pass, warm-up passes first
   * @param ownEvent  pipeline only: percentiles of arrival − the key's own event (includes the window wait)
   * @param rateSent  events per second the paced passes really sent (mean over passes)
   * @param misplaced outputs on another partition than the workload's partition of their key (must be 0)
   */
  record Run(List<LatencySamples.Percentiles> passes, List<LatencySamples.Percentiles> ownEvent, double rateSent,
      long misplaced) {}

  /**
   * Both topologies' results.
   *
   * @param passThrough the reference
   * @param pipeline    the forecasting pipeline
   */
  record Result(Run passThrough, Run pipeline) {}

  private final BenchEnv env;
  private final Workload workload;

  LatencyPhase(BenchEnv env, Workload workload) {
    this.env = env;
    this.workload = workload;
  }

  Result run() throws InterruptedException, java.io.IOException {
    BenchPlan plan = env.plan;
    int passes = plan.warmupPasses() + plan.passes();
    Side pt = new Side(false);
    Side full = new Side(true);
    try {
      pt.start();
      full.start();
      pt.prefeed();
      full.prefeed();
      pt.collector.start();
      full.collector.start();
      for (int p = 0; p < passes; p++) {
        pt.pass(p);
        full.pass(p);
      }
      return new Result(pt.result(), full.result());
    } finally {
      try {
        pt.close();
      } finally {
        full.close();
      }
    }
  }

  /** One topology: its application, input, output and samples. */
  private final class Side {
    private final boolean pipeline;
    private final String what;
    private final String name;
    private final String input;
    private final PipelineSpec spec;
    private final String output;
    private final LatencySamples samples;
    private final LatencySamples own;
    private final AtomicLongArray sentAt;
    private final Collector collector;
    private final List<Double> rates = new ArrayList<>();
    private BenchApp app;
    private EventSender paced;

    Side(boolean pipeline) {
      BenchPlan plan = env.plan;
      int keys = workload.keys();
      int passes = plan.warmupPasses() + plan.passes();
      this.pipeline = pipeline;
      this.what = pipeline ? "pipeline" : "pass-through";
      this.name = env.name(pipeline ? "latency-full" : "latency-pt");
      this.input = name + ".events";
      this.spec = env.spec(name, input);
      this.output = pipeline ? spec.output().forecasts() : name + ".out";
      this.samples = new LatencySamples(passes, plan.latencySteps() * keys);
      this.own = new LatencySamples(passes, plan.latencySteps() * keys);
      this.sentAt = new AtomicLongArray(plan.latencyRunSteps() * keys);
      this.collector = new Collector(this);
    }

    void start() throws InterruptedException, java.io.IOException {
      env.probe.createTopic(input, env.plan.partitions());
      if (!pipeline) {
        env.probe.createTopic(output, env.plan.partitions());
      }
      app = pipeline ? BenchApp.pipeline(spec, env.settings(name), env.model)
          : BenchApp.passThrough(spec, output, env.settings(name));
      app.awaitRunning(BenchEnv.timeoutFor(0), env.cancelled);
      paced = new EventSender(env.base.clientProperties(), true);
    }

    void prefeed() throws InterruptedException {
      int events = env.plan.latencyPrefeedSteps() * workload.keys();
      env.listener.started(what + " latency: pre-feed " + env.plan.latencyPrefeedSteps() + " steps", events, "ev");
      try (EventSender bulk = new EventSender(env.base.clientProperties(), false)) {
        bulk.send(input, workload, 0, events, 0, sentAt, env.listener::progressed, env.cancelled);
        env.probe.awaitCommitted(app.applicationId(), List.of(input), app.internalSources(), env.transactional(),
            BenchEnv.timeoutFor(events), n -> { }, app::failure, env.cancelled);
      } finally {
        env.listener.finished();
      }
    }

    void pass(int p) throws InterruptedException {
      BenchPlan plan = env.plan;
      int keys = workload.keys();
      int from = (plan.latencyPrefeedSteps() + p * plan.latencySteps()) * keys;
      int to = from + plan.latencySteps() * keys;
      env.listener.started(String.format(Locale.ROOT, "%s latency at %,.0f ev/s, %s", what, plan.rate(),
          passLabel(p)), to - from, "ev");
      try {
        paced.send(input, workload, from, to, plan.rate(), sentAt, env.listener::progressed, env.cancelled);
      } finally {
        env.listener.finished();
      }
      rates.add((to - from - 1) / ((sentAt.get(to - 1) - sentAt.get(from)) / 1e9));
      collector.awaitPass(p);
      LatencySamples.Percentiles q = samples.percentiles(p);
      env.listener.passDone(String.format(Locale.ROOT, "%s latency, %s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms",
          what, passLabel(p), q.p50(), q.p99(), q.p999()));
    }

    private String passLabel(int p) {
      BenchPlan plan = env.plan;
      return p < plan.warmupPasses() ? "warm-up " + (p + 1) + "/" + plan.warmupPasses()
          : "pass " + (p - plan.warmupPasses() + 1) + "/" + plan.passes();
    }

    Run result() {
      List<LatencySamples.Percentiles> main = new ArrayList<>();
      List<LatencySamples.Percentiles> ownEvent = new ArrayList<>();
      for (int p = 0; p < samples.passes(); p++) {
        main.add(samples.percentiles(p));
        ownEvent.add(own.percentiles(p));
      }
      double rate = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      return new Run(main, pipeline ? ownEvent : List.of(), rate, collector.misplaced.get());
    }

    /** Stops the collector and the application and deletes the side's topics and state. */
    void close() throws InterruptedException {
      collector.finish();
      if (paced != null) {
        paced.close();
      }
      if (app != null) {
        app.close();
      }
      env.cleanUp(name);
    }
  }

  /** Reads a side's output as it is committed and turns each record into a latency sample. */
  private final class Collector implements Runnable {
    private final Side side;
    private final Thread thread;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong misplaced = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);

    Collector(Side side) {
      this.side = side;
      this.thread = new Thread(this, "streamcast-bench-latency-" + (side.pipeline ? "pipeline" : "pass-through"));
      thread.setDaemon(true);
    }

    /** Starts reading; returns once the consumer is positioned at the output's current end. */
    void start() throws InterruptedException {
      thread.start();
      ready.await();
      if (failure.get() != null) {
        throw new IllegalStateException("reading " + side.output + " failed: " + failure.get().getMessage(),
            failure.get());
      }
    }

    @Override
    public void run() {
      Map<String, Object> props = new HashMap<>(env.base.clientProperties());
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, thread.getName());
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
        List<TopicPartition> parts = env.probe.partitions(side.output);
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve now: only outputs of the paced passes are read
        ready.countDown();
        while (!stopping.get()) {
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(50));
          long arrived = System.nanoTime();
          for (ConsumerRecord<String, byte[]> r : records) {
            sample(r, arrived);
          }
        }
      } catch (RuntimeException e) {
        failure.set(e);
      } finally {
        ready.countDown();
      }
    }

    private void sample(ConsumerRecord<String, byte[]> r, long arrived) {
      int keys = workload.keys();
      int k = workload.keyIndex(r.key());
      if (k < 0) {
        throw new IllegalStateException("output on " + side.output + " with unknown key " + r.key());
      }
      if (r.partition() != workload.partition(k)) {
        misplaced.incrementAndGet();
      }
      int step = Workload.stepOf(r.timestamp());
      int trigger = side.pipeline ? step + 1 : step;
      int firstStep = env.plan.latencyPrefeedSteps();
      int pass = (trigger - firstStep) / env.plan.latencySteps();
      if (trigger < firstStep || pass >= side.samples.passes()) {
        throw new IllegalStateException("output on " + side.output + " for step " + step + " of key " + r.key()
            + " outside the paced passes");
      }
      int triggerKey = side.pipeline ? workload.firstKeyOf(workload.partition(k)) : k;
      side.samples.add(pass, arrived - side.sentAt.get(trigger * keys + triggerKey));
      if (side.pipeline) {
        side.own.add(pass, arrived - side.sentAt.get(step * keys + k));
      }
    }

    /** Waits until every output of pass {@code p} arrived. */
    void awaitPass(int p) throws InterruptedException {
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      while (side.samples.count(p) < side.samples.expected(p)) {
        if (failure.get() != null) {
          throw new IllegalStateException("reading " + side.output + " failed: " + failure.get().getMessage(),
              failure.get());
        }
        if (side.app.failure() != null) {
          throw new IllegalStateException("application " + side.app.applicationId() + " failed: "
              + side.app.failure(), side.app.failure());
        }
        if (env.cancelled.getAsBoolean()) {
          throw new InterruptedException("cancelled");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + side.samples.count(p) + " of " + side.samples.expected(p)
              + " outputs of a latency pass reached " + side.output + " within " + DRAIN_TIMEOUT.toSeconds()
              + " s of its last event");
        }
        Thread.sleep(10);
      }
    }

    void finish() throws InterruptedException {
      stopping.set(true);
      if (thread.isAlive()) {
        thread.join(10_000);
      }
    }
  }
}
