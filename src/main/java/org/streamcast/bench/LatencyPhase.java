package org.streamcast.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Event-to-output latency of one topology at a fixed rate, as a read-committed consumer downstream sees it.
 *
 * <p>One run per topology, on its own input topic and a new application: first the pre-feed (every key's first
 * {@link BenchPlan#latencyPrefeedSteps()} steps, sent at full speed, so every key is past the model's warm-up; the run
 * waits until it is all committed), then the rest at the fixed rate, step after step, split into passes of
 * {@link BenchPlan#latencySteps()} steps: the warm-up passes, then the measured ones. Each event's send time is noted
 * when it is handed to the producer; each output's arrival when the consumer's poll returns it (same JVM, same
 * monotonic clock).
 *
 * <ul>
 *   <li>Pass-through: an output is its event, re-keyed; its latency is arrival − the event's send time.</li>
 *   <li>Pipeline: a forecast for origin step {@code s} is made when the key's window of step {@code s} closes, which
 *       is when the first event of step {@code s + 1} reaches the key's partition (grace 0): that event triggers it.
 *       Its latency is arrival − the send time of that triggering event (the first key of the partition in step
 *       {@code s + 1}; the workload knows every key's partition). The wait for the window to close is one step of
 *       wall time at the workload's pace ({@code keys / rate}), set by the data rather than by the processing, and is
 *       reported apart: arrival − the send time of the key's own event of step {@code s}.</li>
 * </ul>
 */
final class LatencyPhase {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

  /**
   * One run.
   *
   * @param passes      percentiles per pass, warm-up passes first
   * @param ownEvent    pipeline only: percentiles of arrival − the key's own event (includes the window wait)
   * @param rateSent    events per second the paced part really sent
   * @param misplaced   outputs on another partition than the workload's partition of their key (must be 0)
   */
  record Run(List<LatencySamples.Percentiles> passes, List<LatencySamples.Percentiles> ownEvent, double rateSent,
      long misplaced) {}

  private final BenchEnv env;
  private final Workload workload;

  LatencyPhase(BenchEnv env, Workload workload) {
    this.env = env;
    this.workload = workload;
  }

  /** A run of the pass-through topology. */
  Run passThrough() throws InterruptedException, java.io.IOException {
    return run(false);
  }

  /** A run of the forecasting pipeline. */
  Run full() throws InterruptedException, java.io.IOException {
    return run(true);
  }

  private Run run(boolean pipeline) throws InterruptedException, java.io.IOException {
    BenchPlan plan = env.plan;
    int keys = workload.keys();
    String name = env.name(pipeline ? "latency-full" : "latency-pt");
    String input = name + ".events";
    PipelineSpec spec = BenchSpec.of(name, input);
    String output = pipeline ? spec.output().forecasts() : name + ".out";
    env.probe.createTopic(input, plan.partitions());
    if (!pipeline) {
      env.probe.createTopic(output, plan.partitions());
    }
    String what = pipeline ? "pipeline" : "pass-through";
    int prefeed = plan.latencyPrefeedSteps() * keys;
    int total = plan.latencyRunSteps() * keys;
    int passes = plan.warmupPasses() + plan.passes();
    LatencySamples samples = new LatencySamples(passes, plan.latencySteps() * keys);
    LatencySamples own = new LatencySamples(passes, plan.latencySteps() * keys);
    AtomicLongArray sentAt = new AtomicLongArray(total);
    Run run;
    try (BenchApp app = pipeline ? BenchApp.pipeline(spec, env.settings(name), env.model)
        : BenchApp.passThrough(spec, output, env.settings(name))) {
      app.awaitRunning(BenchEnv.timeoutFor(0), env.cancelled);
      env.listener.started(what + " latency: pre-feed " + plan.latencyPrefeedSteps() + " steps", prefeed, "ev");
      try (EventSender bulk = new EventSender(env.base.clientProperties(), false)) {
        bulk.send(input, workload, 0, prefeed, 0, sentAt, env.listener::progressed, env.cancelled);
        env.probe.awaitCommitted(app.applicationId(), List.of(input), app.internalSources(), env.transactional(),
            BenchEnv.timeoutFor(prefeed), n -> { }, app::failure, env.cancelled);
      } finally {
        env.listener.finished();
      }
      Collector collector = new Collector(output, pipeline, samples, own, sentAt, plan);
      collector.start();
      try {
        env.listener.started(String.format(Locale.ROOT, "%s latency at %,.0f ev/s", what, plan.rate()),
            total - prefeed, "ev");
        try (EventSender paced = new EventSender(env.base.clientProperties(), true)) {
          paced.send(input, workload, prefeed, total, plan.rate(), sentAt, env.listener::progressed, env.cancelled);
        } finally {
          env.listener.finished();
        }
        collector.awaitAll(DRAIN_TIMEOUT, app);
      } finally {
        collector.finish();
      }
      double rateSent = (total - prefeed - 1) / ((sentAt.get(total - 1) - sentAt.get(prefeed)) / 1e9);
      List<LatencySamples.Percentiles> main = new ArrayList<>();
      List<LatencySamples.Percentiles> ownEvent = new ArrayList<>();
      for (int p = 0; p < passes; p++) {
        main.add(samples.percentiles(p));
        ownEvent.add(own.percentiles(p));
      }
      run = new Run(main, pipeline ? ownEvent : List.of(), rateSent, collector.misplaced.get());
    }
    env.cleanUp(name);
    return run;
  }

  /** Reads the output as it is committed and turns each record into a latency sample. */
  private final class Collector implements Runnable {
    private final String topic;
    private final boolean pipeline;
    private final LatencySamples samples;
    private final LatencySamples own;
    private final AtomicLongArray sentAt;
    private final int firstStep;
    private final int passSteps;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread thread = new Thread(this, "streamcast-bench-latency-collector");
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong misplaced = new AtomicLong();
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

    Collector(String topic, boolean pipeline, LatencySamples samples, LatencySamples own, AtomicLongArray sentAt,
        BenchPlan plan) {
      thread.setDaemon(true);
      this.topic = topic;
      this.pipeline = pipeline;
      this.samples = samples;
      this.own = own;
      this.sentAt = sentAt;
      this.firstStep = plan.latencyPrefeedSteps();
      this.passSteps = plan.latencySteps();
    }

    /** Starts reading; returns once the consumer is positioned at the output's current end. */
    void start() throws InterruptedException {
      thread.start();
      ready.await();
    }

    @Override
    public void run() {
      Map<String, Object> props = new HashMap<>(env.base.clientProperties());
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-bench-latency");
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
        List<TopicPartition> parts = env.probe.partitions(topic);
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve now: only outputs of the paced part are read
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
        throw new IllegalStateException("output on " + topic + " with unknown key " + r.key());
      }
      if (r.partition() != workload.partition(k)) {
        misplaced.incrementAndGet();
      }
      int step = Workload.stepOf(r.timestamp());
      int trigger = pipeline ? step + 1 : step;
      int pass = (trigger - firstStep) / passSteps;
      if (trigger < firstStep || pass >= samples.passes()) {
        throw new IllegalStateException("output on " + topic + " for step " + step + " of key " + r.key()
            + " outside the paced part");
      }
      int triggerKey = pipeline ? workload.firstKeyOf(workload.partition(k)) : k;
      samples.add(pass, arrived - sentAt.get(trigger * keys + triggerKey));
      if (pipeline) {
        own.add(pass, arrived - sentAt.get(step * keys + k));
      }
      seen.incrementAndGet();
    }

    void awaitAll(Duration timeout, BenchApp app) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      long expected = samples.expected();
      while (seen.get() < expected) {
        if (failure.get() != null) {
          throw new IllegalStateException("reading " + topic + " failed: " + failure.get().getMessage(),
              failure.get());
        }
        if (app.failure() != null) {
          throw new IllegalStateException("application " + app.applicationId() + " failed: " + app.failure(),
              app.failure());
        }
        if (env.cancelled.getAsBoolean()) {
          throw new InterruptedException("cancelled");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen.get() + " of " + expected + " outputs reached " + topic
              + " within " + timeout.toSeconds() + " s of the last event");
        }
        Thread.sleep(20);
      }
    }

    void finish() throws InterruptedException {
      stopping.set(true);
      thread.join(10_000);
    }
  }
}
