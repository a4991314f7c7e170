package org.streamcast.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.streamcast.config.PipelineSpec;
import org.streamcast.dataset.Datasets;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.kafka.Topics;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.retrain.Judgement;
import org.streamcast.retrain.RetrainJob;
import org.streamcast.training.EpochStats;
import org.streamcast.training.ProgressListener;

/**
 * The retrainer at fleet scale: fills a series topic with {@code N} keys × {@code S} steps (each key a copy of the
 * bundled {@code taylor} series shifted in time by a random offset, scaled by a log-normal factor, plus 2% noise),
 * then runs one retraining of a fresh pipeline (no champion) on it and reports the read time, the heap (the most
 * used, sampled every 50 ms, and the most live after a collection), the training time per epoch, the judging time and
 * the decision. Sizes run one after the other in one process; the same seed fills the same topic.
 */
public final class RetrainBench {
  private static final int PARTITIONS = 4;

  /** One size's figures. */
  public record Row(int keys, int steps, Duration fill, Duration read, Duration train, int epochs, Duration perEpoch,
      Duration judge, Duration total, long peakHeap, long peakLive, String decision, double challengerMase,
      double baselineMase, String reason) {}

  private final PipelineSpec spec;
  private final Map<String, Object> client;
  private final PrintWriter out;
  private final long seed;

  /**
   * @param spec   the pipeline whose model and training settings are benchmarked (its series topic is replaced)
   * @param client Kafka client properties
   * @param out    where progress lines and the table go
   * @param seed   the fill's seed
   */
  public RetrainBench(PipelineSpec spec, Map<String, Object> client, PrintWriter out, long seed) {
    this.spec = spec;
    this.client = Map.copyOf(client);
    this.out = out;
    this.seed = seed;
  }

  /** Fills and retrains at each size; returns the rows (also printed as a table). */
  public List<Row> run(List<Integer> sizes, int steps) {
    List<Row> rows = new ArrayList<>();
    for (int keys : sizes) {
      String topic = "bench-retrain-" + keys + "x" + steps + "-" + seed + ".series";
      long t0 = System.nanoTime();
      fill(client, topic, keys, steps, spec.window().step(), seed);
      Duration fill = Duration.ofNanos(System.nanoTime() - t0);
      out.printf(Locale.ROOT, "filled %s: %d keys x %d steps in %d s%n", topic, keys, steps, fill.toSeconds());
      out.flush();
      Row r = retrain(topic, keys, steps, fill);
      rows.add(r);
      out.printf(Locale.ROOT, "%d keys: %s (%s)%n", keys, r.decision(), r.reason());
      print(List.of(r)); // each size's row as soon as it is measured: a long run may be stopped
    }
    out.println("all sizes:");
    print(rows);
    return rows;
  }

  /** The table, Markdown. */
  public void print(List<Row> rows) {
    out.println("| keys × steps | fill | read | train (epochs, per epoch) | judge | retrain total | peak heap used "
        + "| peak live heap | decision | challenger / baseline MASE |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %,d × %,d | %d s | %d s | %d s (%d, %.1f s) | %d s | %d s | %d MiB | %d MiB | %s "
              + "| %.4f / %.4f |%n", r.keys(), r.steps(), r.fill().toSeconds(), r.read().toSeconds(),
          r.train().toSeconds(), r.epochs(), r.perEpoch().toMillis() / 1000.0, r.judge().toSeconds(),
          r.total().toSeconds(), r.peakHeap() >> 20, r.peakLive() >> 20, r.decision(), r.challengerMase(),
          r.baselineMase());
    }
    out.flush();
  }

  /**
   * Fills {@code topic} (created with 4 partitions if missing) with {@code keys} keys × {@code steps} steps of
   * length {@code step}, as the pipeline writes its series topic: shifted, scaled copies of {@code taylor} plus
   * noise, keyed by key, timestamped by step start, step by step across keys. The same seed writes the same values.
   */
  public static void fill(Map<String, Object> client, String topic, int keys, int steps, Duration step, long seed) {
    Topics.ensure(client, List.of(TopicSpec.of(topic, PARTITIONS)), Duration.ofSeconds(30));
    double[] base = Datasets.read("taylor").stream().mapToDouble(Observation::value).toArray();
    double mean = 0;
    for (double v : base) {
      mean += v;
    }
    mean /= base.length;
    double sd = 0;
    for (double v : base) {
      sd += (v - mean) * (v - mean);
    }
    sd = Math.sqrt(sd / base.length);
    Random random = new Random(seed);
    int[] offset = new int[keys];
    double[] scale = new double[keys];
    String[] names = new String[keys];
    for (int k = 0; k < keys; k++) {
      offset[k] = random.nextInt(base.length);
      scale[k] = Math.exp(random.nextGaussian()) / mean;
      names[k] = String.format(Locale.ROOT, "meter-%06d", k);
    }
    Map<String, Object> props = new HashMap<>(client);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    Serializer<Step> ser = StepSerde.json().serializer();
    Instant t0 = Instant.parse("2000-06-05T00:00:00Z");
    long stepMs = step.toMillis();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < steps; i++) {
        Instant at = t0.plusMillis(i * stepMs);
        for (int k = 0; k < keys; k++) {
          double v = scale[k] * (base[(offset[k] + i) % base.length] + 0.02 * sd * random.nextGaussian());
          Step s = new Step(names[k], at, v, 1);
          p.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), names[k], ser.serialize(topic, s)));
        }
      }
      p.flush();
    }
  }

  private Row retrain(String topic, int keys, int steps, Duration fill) {
    String name = "bench-" + keys;
    PipelineSpec s = new PipelineSpec(name, spec.input(), spec.window(), spec.model(), spec.training(),
        new PipelineSpec.Output(name + ".forecasts", topic, name + ".dlq"), spec.intervals(), List.of(),
        spec.runtime());
    AtomicLong readDone = new AtomicLong();
    AtomicLong trainStart = new AtomicLong();
    AtomicLong trainEnd = new AtomicLong();
    AtomicLong judgeStart = new AtomicLong();
    List<EpochStats> epochs = new ArrayList<>();
    ProgressListener training = new ProgressListener() {
      @Override
      public void started(int maxEpochs, int trainWindows, int validationWindows, int keyCount, int available,
          Duration budget) {
        trainStart.set(System.nanoTime());
        out.printf(Locale.ROOT, "  training on %d keys, %d windows sampled of %d, %d validation windows, budget %s%n",
            keyCount, trainWindows, available, validationWindows, budget);
        out.flush();
      }

      @Override
      public void epochFinished(EpochStats stats) {
        epochs.add(stats);
        out.printf(Locale.ROOT, "  epoch %d: train %.4f validation %.4f (%d s)%n", stats.epoch(), stats.trainLoss(),
            stats.validationLoss(), stats.elapsed().toSeconds());
        out.flush();
      }

      @Override
      public void finished(int epochsRun, int bestEpoch, boolean stoppedEarly) {
        trainEnd.set(System.nanoTime());
      }
    };
    RetrainJob.Listeners listeners = new RetrainJob.Listeners((read, total) -> readDone.set(System.nanoTime()),
        training, (done, total, message) -> judgeStart.compareAndSet(0, System.nanoTime()));
    HeapWatch heap = HeapWatch.start();
    long began = System.nanoTime();
    Judgement j;
    try {
      TrainingMeters meters = new TrainingMeters(name);
      meters.bindTo(new SimpleMeterRegistry()); // the run counts its outcome; nothing scrapes it here
      j = new RetrainJob(s, client, listeners, meters, null).run();
    } finally {
      heap.stop();
    }
    long end = System.nanoTime();
    Duration train = Duration.ofNanos(trainEnd.get() - trainStart.get());
    Duration perEpoch = epochs.isEmpty() ? Duration.ZERO : train.dividedBy(epochs.size());
    return new Row(keys, steps, fill, Duration.ofNanos(readDone.get() - began), train, epochs.size(), perEpoch,
        Duration.ofNanos(end - (judgeStart.get() == 0 ? end : judgeStart.get())), Duration.ofNanos(end - began),
        heap.peakUsed(), heap.peakLive(), j.decision().tag(), Judgement.mean(j.candidateMase()),
        Judgement.mean(j.baselineMase()), j.reason());
  }

  /** Samples the heap every 50 ms on a daemon thread. */
  private static final class HeapWatch implements Runnable {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long peakLive;
    private Thread thread;

    static HeapWatch start() {
      System.gc();
      HeapWatch w = new HeapWatch();
      w.thread = new Thread(w, "retrain-bench-heap");
      w.thread.setDaemon(true);
      w.thread.start();
      return w;
    }

    @Override
    public void run() {
      while (running) {
        sample();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample() {
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long live = 0;
      for (MemoryPoolMXBean p : pools) {
        var u = p.getCollectionUsage();
        live += u == null ? 0 : u.getUsed();
      }
      peakUsed = Math.max(peakUsed, used);
      peakLive = Math.max(peakLive, live);
    }

    void stop() {
      running = false;
      thread.interrupt();
      sample();
    }

    long peakUsed() {
      return peakUsed;
    }

    long peakLive() {
      return peakLive;
    }
  }
}
