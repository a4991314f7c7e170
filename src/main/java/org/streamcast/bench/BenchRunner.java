package org.streamcast.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.topology.StreamsSettings;

/**
 * Runs the benchmark's phases in order — throughput (pass-through and pipeline passes interleaved, so both see the
 * same machine), latency (a run of each), state at scale — and collects the figures, the targets and the
 * consistency checks into a {@link BenchResult}. All names carry a fresh run id; everything the run creates on the
 * cluster and on disk is deleted again.
 */
public final class BenchRunner {
  /** Seed of the workload values and the model's weights. */
  public static final long SEED = 42;
  /** The target: pipeline throughput at least this share of the pass-through's, one event per key per step. */
  public static final double THROUGHPUT_TARGET = 0.12;
  /** The target at {@link #EVENTS_PER_STEP_TARGET} events per key per step (the window does most of the work). */
  public static final double THROUGHPUT_TARGET_MANY = 0.30;
  /** Events per key per step of that target: five-minute readings into hourly steps. */
  public static final int EVENTS_PER_STEP_TARGET = 12;
  /** The target: pipeline p99 latency at most this multiple of the pass-through's. */
  public static final double LATENCY_TARGET = 4;
  /** The target: this many keys ... */
  public static final int RESTORE_TARGET_KEYS = 100_000;
  /** ... restored within this time. */
  public static final Duration RESTORE_TARGET = Duration.ofSeconds(15);

  private static final double MIB = 1024.0 * 1024.0;

  private final BenchPlan plan;
  private final boolean recordKey;
  private final RuntimeSettings base;
  private final String broker;
  private final BenchListener listener;
  private final BooleanSupplier cancelled;

  /**
   * @param plan      the sizes
   * @param recordKey whether the pipeline takes the series key from the record key (no repartition) rather than
   *                  from the JSON field
   * @param base      cluster settings: bootstrap servers, guarantee, pass-through client properties (state directory,
   *                  port and application ids are the run's own)
   * @param broker    how the broker runs, for the report (e.g. {@code embedded in this JVM})
   * @param listener  hears progress
   * @param cancelled checked while waiting; true ends the run with {@link InterruptedException}
   */
  public BenchRunner(BenchPlan plan, boolean recordKey, RuntimeSettings base, String broker, BenchListener listener,
      BooleanSupplier cancelled) {
    this.plan = plan;
    this.recordKey = recordKey;
    this.base = base;
    this.broker = broker;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /** Runs everything and returns the result. */
  public BenchResult run() throws InterruptedException, IOException {
    Instant began = Instant.now();
    long t0 = System.nanoTime();
    String runId = UUID.randomUUID().toString().substring(0, 6);
    Path stateRoot = Files.createTempDirectory("streamcast-bench-");
    RecurrentForecaster model = BenchModel.serving(BenchSpec.of("bench", "bench.events"), SEED);
    try (KafkaProbe probe = new KafkaProbe(base.clientProperties())) {
      BenchEnv env = new BenchEnv(plan, recordKey, base, model, runId, stateRoot, probe, listener, cancelled);
      Workload workload = new Workload(plan.keys(), plan.partitions(), SEED);
      List<Figure> figures = new ArrayList<>();
      List<BenchResult.Target> targets = new ArrayList<>();
      List<BenchResult.Check> checks = new ArrayList<>();

      ThroughputPhase throughput = new ThroughputPhase(env, new Workload(plan.keys(), plan.partitions(), SEED,
          plan.eventsPerStep()));
      throughput.produce();
      List<ThroughputPhase.Pass> pt = new ArrayList<>();
      List<ThroughputPhase.Pass> full = new ArrayList<>();
      int runs = plan.warmupPasses() + plan.passes();
      for (int i = 0; i < runs; i++) {
        pt.add(throughput.passThrough("throughput: pass-through, " + passLabel(i), i));
        listener.passDone(String.format(Locale.ROOT, "pass-through throughput, %s: %,.0f rec/s", passLabel(i),
            pt.get(i).recordsPerSecond()));
        full.add(throughput.full("throughput: pipeline, " + passLabel(i), i));
        listener.passDone(String.format(Locale.ROOT, "pipeline throughput, %s: %,.0f rec/s (%.2f x pass-through)",
            passLabel(i), full.get(i).recordsPerSecond(),
            full.get(i).recordsPerSecond() / pt.get(i).recordsPerSecond()));
      }
      Figure ptRate = figure("pass-through throughput", "rec/s", 0, pt, ThroughputPhase.Pass::recordsPerSecond);
      Figure fullRate = figure("pipeline throughput (exactly-once)".replace("exactly-once",
          base.processingGuarantee().kafkaName()), "rec/s", 0, full, ThroughputPhase.Pass::recordsPerSecond);
      Figure rateRatio = ratio("pipeline / pass-through throughput", pt, full, ThroughputPhase.Pass::recordsPerSecond);
      figures.add(ptRate);
      figures.add(fullRate);
      figures.add(rateRatio);
      figures.add(figure("pass-through records written per input record", "records", 2, pt,
          ThroughputPhase.Pass::recordsWritten));
      figures.add(figure("pipeline records written per input record", "records", 2, full,
          ThroughputPhase.Pass::recordsWritten));
      figures.add(figure("pass-through bytes sent per input record", "B", 0, pt,
          ThroughputPhase.Pass::bytesWritten));
      figures.add(figure("pipeline bytes sent per input record", "B", 0, full, ThroughputPhase.Pass::bytesWritten));
      checks.add(worst("pass-through outputs per pass", plan.throughputEvents(), pt, ThroughputPhase.Pass::outputs));
      checks.add(worst("pipeline windows closed per pass", throughput.expectedWindows(), full,
          ThroughputPhase.Pass::windowsClosed));
      checks.add(worst("pipeline forecasts per pass", throughput.expectedForecasts(), full,
          ThroughputPhase.Pass::outputs));
      probe.deleteTopics(t -> t.startsWith(env.name("throughput") + "."));

      LatencyPhase.Result latency = new LatencyPhase(env, workload).run();
      LatencyPhase.Run ptLatency = latency.passThrough();
      LatencyPhase.Run fullLatency = latency.pipeline();
      figures.add(latencyFigure("pass-through latency p50", ptLatency.passes(), LatencySamples.Percentiles::p50));
      figures.add(latencyFigure("pass-through latency p99", ptLatency.passes(), LatencySamples.Percentiles::p99));
      figures.add(latencyFigure("pass-through latency p99.9", ptLatency.passes(), LatencySamples.Percentiles::p999));
      figures.add(latencyFigure("pipeline latency p50", fullLatency.passes(), LatencySamples.Percentiles::p50));
      Figure fullP99 = latencyFigure("pipeline latency p99", fullLatency.passes(), LatencySamples.Percentiles::p99);
      figures.add(fullP99);
      figures.add(latencyFigure("pipeline latency p99.9", fullLatency.passes(), LatencySamples.Percentiles::p999));
      Figure p99Ratio = latencyRatio(ptLatency.passes(), fullLatency.passes());
      figures.add(p99Ratio);
      figures.add(latencyFigure("pipeline own event -> forecast p50", fullLatency.ownEvent(),
          LatencySamples.Percentiles::p50));
      checks.add(new BenchResult.Check("latency outputs on their key's partition", 0,
          ptLatency.misplaced() + fullLatency.misplaced()));

      StatePhase.Result state = new StatePhase(env).run();
      int keys = plan.restoreKeys();
      figures.add(Figure.single(String.format(Locale.ROOT, "state build throughput (%,d keys)", keys), "rec/s", 0,
          state.buildRecordsPerSecond()));
      figures.add(Figure.single("key-state store on disk after build", "MiB", 1, state.storeBytesBuilt() / MIB));
      figures.add(Figure.single("key-state store on disk after restore", "MiB", 1,
          state.storeBytesRestored() / MIB));
      figures.add(Figure.single("key-state store on disk per key", "B", 0,
          state.storeBytesBuilt() / (double) Math.max(1, state.keysBuilt())));
      figures.add(Figure.single("key-state changelog on the broker", "MiB", 1, state.changelogBytes() / MIB));
      for (var e : state.recordsRestored().entrySet()) {
        figures.add(Figure.single("changelog records restored: " + e.getKey(), "records", 0, e.getValue()));
      }
      figures.add(Figure.single("changelog records restored: all stores", "records", 0,
          state.recordsRestored().values().stream().mapToLong(Long::longValue).sum()));
      figures.add(Figure.single(String.format(Locale.ROOT, "restore of %,d keys (first store start -> last done)",
          keys), "s", 2, state.restoreSeconds()));
      Figure restart = Figure.single(String.format(Locale.ROOT, "restart with empty state dir -> RUNNING (%,d keys)",
          keys), "s", 2, state.restartSeconds());
      figures.add(restart);
      checks.add(new BenchResult.Check("keys in the store after the build", keys, state.keysBuilt()));
      checks.add(new BenchResult.Check("keys restored with a hidden state", keys, state.keysRestored()));
      checks.add(new BenchResult.Check("restored keys holding a forecast",
          plan.restoreSteps() - 1 >= model.warmup() ? keys : 0, state.warmKeysRestored()));
      ProcessMemory m = state.memory();
      figures.add(Figure.single("heap live after GC (at the end)", "MiB", 0, m.heapUsed() / MIB));
      figures.add(Figure.single("heap committed (at the end)", "MiB", 0, m.heapCommitted() / MIB));
      figures.add(Figure.single("RSS (at the end)", "MiB", 0, m.rss() / MIB));
      figures.add(Figure.single("peak RSS", "MiB", 0, m.peakRss() / MIB));

      double throughputTarget = plan.eventsPerStep() == 1 ? THROUGHPUT_TARGET : THROUGHPUT_TARGET_MANY;
      targets.add(new BenchResult.Target("pipeline / pass-through throughput" + (plan.eventsPerStep() == 1 ? ""
          : String.format(Locale.ROOT, ", %d events per key per step", plan.eventsPerStep())),
          String.format(Locale.ROOT, "%.2f", rateRatio.median()), ">= " + throughputTarget
              + (plan.eventsPerStep() == 1 || plan.eventsPerStep() == EVENTS_PER_STEP_TARGET ? ""
                  : " (at " + EVENTS_PER_STEP_TARGET + " events per step)"),
          rateRatio.median() >= throughputTarget));
      targets.add(new BenchResult.Target(String.format(Locale.ROOT, "pipeline / pass-through p99 at %,.0f ev/s",
          plan.rate()), String.format(Locale.ROOT, "%.2f", p99Ratio.median()), "<= " + LATENCY_TARGET,
          p99Ratio.median() <= LATENCY_TARGET));
      targets.add(new BenchResult.Target(String.format(Locale.ROOT, "restart -> RUNNING with %,d keys", keys),
          String.format(Locale.ROOT, "%.2f s", state.restartSeconds()), "<= " + RESTORE_TARGET.toSeconds() + " s"
              + (keys == RESTORE_TARGET_KEYS ? "" : String.format(Locale.ROOT, " for %,d keys", RESTORE_TARGET_KEYS)),
          state.restartSeconds() <= RESTORE_TARGET.toSeconds()));

      Map<String, String> context = context(env, began, Duration.ofNanos(System.nanoTime() - t0), ptLatency,
          fullLatency);
      return new BenchResult(context, figures, targets, checks);
    } finally {
      BenchEnv.deleteRecursively(stateRoot);
    }
  }

  private String passLabel(int i) {
    return i < plan.warmupPasses() ? "warm-up " + (i + 1) + "/" + plan.warmupPasses()
        : "pass " + (i - plan.warmupPasses() + 1) + "/" + plan.passes();
  }

  private <T> Figure figure(String name, String unit, int decimals, List<T> passes, ToDoubleFunction<T> value) {
    List<Double> measured = new ArrayList<>();
    for (int i = plan.warmupPasses(); i < passes.size(); i++) {
      measured.add(value.applyAsDouble(passes.get(i)));
    }
    return new Figure(name, unit, decimals, value.applyAsDouble(passes.get(plan.warmupPasses() - 1)), measured);
  }

  private <T> Figure ratio(String name, List<T> reference, List<T> measured, ToDoubleFunction<T> value) {
    List<Double> pairs = new ArrayList<>();
    for (int i = 0; i < reference.size(); i++) {
      pairs.add(value.applyAsDouble(measured.get(i)) / value.applyAsDouble(reference.get(i)));
    }
    return figure(name, "ratio", 2, pairs, Double::doubleValue);
  }

  private Figure latencyFigure(String name, List<LatencySamples.Percentiles> passes,
      ToDoubleFunction<LatencySamples.Percentiles> value) {
    return figure(name, "ms", 1, passes, value);
  }

  private Figure latencyRatio(List<LatencySamples.Percentiles> pt, List<LatencySamples.Percentiles> full) {
    return ratio("pipeline / pass-through latency p99", pt, full, LatencySamples.Percentiles::p99);
  }

  private static <T> BenchResult.Check worst(String name, long expected, List<T> passes,
      java.util.function.ToLongFunction<T> value) {
    long worst = expected;
    for (T p : passes) {
      long v = value.applyAsLong(p);
      if (Math.abs(v - expected) > Math.abs(worst - expected)) {
        worst = v;
      }
    }
    return new BenchResult.Check(name, expected, worst);
  }

  private Map<String, String> context(BenchEnv env, Instant began, Duration took, LatencyPhase.Run ptLatency,
      LatencyPhase.Run fullLatency) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("machine", machine());
    c.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
        + String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).toList())
        + String.format(Locale.ROOT, ", max heap %,d MiB", Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    c.put("broker", broker);
    c.put("Kafka Streams settings", streamsSettings(env));
    c.put("pipeline", BenchSpec.describe(env.recordKey));
    c.put("model", BenchModel.describe(env.model));
    c.put("throughput workload", String.format(Locale.ROOT,
        "%,d events = %,d keys x %d steps x %d event(s) per key per step, %d partitions, written before the passes; "
            + "each pass a new application reading from the start, timed from RUNNING to all input committed",
        plan.throughputEvents(), plan.keys(), plan.steps(), plan.eventsPerStep(), plan.partitions()));
    c.put("latency workload", String.format(Locale.ROOT,
        "%,d keys; %d steps at full speed (past the model's warm-up), then %d steps per pass at %,.0f events/s "
            + "(sent: pass-through %,.0f/s, pipeline %,.0f/s), passes alternating between the two applications "
            + "(each on its own input topic); pass-through: arrival of the output - send "
            + "of its event; pipeline: arrival of the forecast - send of the event that closed its window (the "
            + "first of the next step in the key's partition); read-committed consumer in this JVM",
        plan.keys(), plan.latencyPrefeedSteps(), plan.latencySteps(), plan.rate(), ptLatency.rateSent(),
        fullLatency.rateSent()));
    c.put("state workload", String.format(Locale.ROOT,
        "%,d keys x %d steps; then the application is closed, its state directory deleted, and started again",
        plan.restoreKeys(), plan.restoreSteps()));
    c.put("passes", plan.warmupPasses() + " warm-up (reported apart) + " + plan.passes()
        + " measured per figure; median and spread (min - max) over the measured ones; ratios are per pass pair");
    c.put("run", began + ", took " + Math.round(took.toSeconds() / 6.0) / 10.0 + " min");
    return c;
  }

  private String streamsSettings(BenchEnv env) {
    String name = env.name("settings");
    Properties p = StreamsSettings.of(env.spec(name, name + ".events"), env.settings(name));
    StreamsConfig config = new StreamsConfig(p);
    Object maxPoll = config.getMainConsumerConfigs("g", "c", 0).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    return String.format(Locale.ROOT,
        "%s, commit.interval.ms %d, statestore.cache.max.bytes %,d, max.poll.records %s, num.stream.threads %d",
        config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
        config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
        config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG), maxPoll,
        config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
  }

  private static String machine() {
    String cpu = "unknown CPU";
    long memKb = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the CPU stays unknown
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores"
        + (memKb > 0 ? String.format(Locale.ROOT, ", %.0f GiB RAM", memKb / 1024.0 / 1024.0) : "") + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }
}
