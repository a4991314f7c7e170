package org.streamcast.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.bench.BenchListener;
import org.streamcast.bench.BenchPlan;
import org.streamcast.bench.BenchResult;
import org.streamcast.bench.BenchRunner;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.kafka.EmbeddedKafkaBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code streamcast bench}: the end-to-end benchmark — throughput, latency and state at scale of the forecasting
 * pipeline against a pass-through topology, in one run on one broker (see {@link BenchRunner}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Measure the forecasting pipeline end to end on a real broker against a pass-through Kafka Streams topology "
            + "(parse JSON, emit) with the same settings and guarantee, in one run: records/s of each and their "
            + "ratio; event-to-output latency p50/p99/p99.9 of each at a fixed rate and the ratio of the p99s; the "
            + "state of many keys on disk and the time to restore it from the changelog after the local state "
            + "directory is deleted; heap and RSS at the end.",
        "The pipeline: hourly steps, a GRU with 64 hidden units (random weights through the model artifact format), "
            + "12 steps ahead. One event per key per step, so every event reaches the model.",
        "Runs an embedded broker in this JVM unless --bootstrap is given (STREAMCAST_* variables are ignored). "
            + "Every figure is the median of --passes passes with the spread; the warm-up is reported apart. Prints "
            + "a table and writes bench.csv and bench.md to --out. Exit 1 if a consistency check fails (outputs "
            + "missing, keys not restored); targets missed are reported, not failures."},
    footer = {"", "Example (small, about a minute): streamcast bench --events 60000 --keys 2000 --rate 4000 "
            + "--passes 2 --latency-steps 2 --restore-keys 5000"})
public final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
      description = "Events of the throughput workload, one per key per step (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--events-per-step", paramLabel = "N", defaultValue = "1",
      description = "Events per key per step of the throughput workload, evenly spaced in the step (e.g. 12: "
          + "five-minute readings into hourly steps; --events counts them all; default: ${DEFAULT-VALUE}).")
  int eventsPerStep;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "10000",
      description = "Keys of the throughput and latency workloads (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "5000",
      description = "Events per second while latency is measured (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
      description = "Measured passes per figure; the median and the spread are over them (default: ${DEFAULT-VALUE}).")
  int passes;

  @Option(names = "--warmup-passes", paramLabel = "N", defaultValue = "1",
      description = "Passes before the measured ones, reported apart (default: ${DEFAULT-VALUE}).")
  int warmupPasses;

  @Option(names = "--latency-steps", paramLabel = "N", defaultValue = "5",
      description = "Steps (of --keys events) per latency pass (default: ${DEFAULT-VALUE}).")
  int latencySteps;

  @Option(names = "--restore-keys", paramLabel = "N", defaultValue = "100000",
      description = "Keys of the state-scale phase (default: ${DEFAULT-VALUE}).")
  int restoreKeys;

  @Option(names = "--restore-steps", paramLabel = "N", defaultValue = "27",
      description = "Steps per key in the state-scale phase; 27 takes every key past the model's 25-step warm-up "
          + "(default: ${DEFAULT-VALUE}).")
  int restoreSteps;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the input topics (default: ${DEFAULT-VALUE}, as `run` creates).")
  int partitions;

  @Option(names = "--record-key",
      description = "Run the pipeline with input.keyField: null: it takes the series key from the record key (the "
          + "events' record keys are their series keys) and needs no repartition. Default: the key from the JSON "
          + "field, as the shipped pipelines do.")
  boolean recordKey;

  @Option(names = "--processing-guarantee", paramLabel = "G", defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 or at_least_once, for both topologies (default: ${DEFAULT-VALUE}).")
  String guarantee;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-out",
      description = "Where to write bench.csv and bench.md (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of an embedded broker.")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties passed to every client and both Kafka Streams applications (tuning, "
          + "SASL, SSL).")
  Path kafkaConfig;

  @Override
  public Integer call() throws Exception {
    BenchPlan plan;
    try {
      plan = new BenchPlan(events, keys, rate, passes, warmupPasses, latencySteps, restoreKeys, restoreSteps,
          partitions, eventsPerStep);
    } catch (IllegalArgumentException e) {
      throw new SpecException("streamcast bench: " + e.getMessage());
    }
    PipelineSpec.ProcessingGuarantee g = RuntimeSettings.parseGuarantee("streamcast bench", "--processing-guarantee",
        guarantee);
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    StopSignal stop = StopSignal.install();
    try (EmbeddedKafkaBroker broker = bootstrap == null ? EmbeddedKafkaBroker.builder().build().start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
          Map.of(), new RuntimeSettings.Overrides(servers, null, null, null, g, kafkaConfig)).loadKafkaConfig();
      String where = broker == null ? "external, at " + servers
          : "embedded in this JVM (Kafka " + VersionProvider.kafkaVersion() + ", KRaft, "
              + "one node), at " + servers;
      stderr.printf("streamcast bench: broker %s%n", where);
      stderr.flush();
      BenchResult result;
      try (ListenerProgress listener = new ListenerProgress(env.terminal(), stderr)) {
        result = new BenchRunner(plan, recordKey, settings, where, listener, () -> stopped(stop)).run();
      } catch (InterruptedException e) {
        stderr.println("streamcast bench: stopped before the end; no report written");
        return Streamcast.EXIT_FAILURE;
      }
      stdout.print(result.table());
      Files.createDirectories(out);
      Path csv = out.resolve("bench.csv");
      Path md = out.resolve("bench.md");
      Files.writeString(csv, result.csv(), StandardCharsets.UTF_8);
      Files.writeString(md, result.markdown(), StandardCharsets.UTF_8);
      stdout.printf("wrote %s and %s%n", csv, md);
      stdout.flush();
      if (!result.complete()) {
        stderr.println("streamcast bench: a consistency check failed (see the table): the figures are not valid");
        return Streamcast.EXIT_FAILURE;
      }
      return 0;
    } finally {
      stop.done();
    }
  }

  private static boolean stopped(StopSignal stop) {
    try {
      return stop.await(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Shows the runner's tasks with {@link Progress} (a bar on a terminal, log lines otherwise) and its pass lines. */
  private static final class ListenerProgress implements BenchListener, AutoCloseable {
    private final boolean terminal;
    private final PrintWriter err;
    private final PrintStream errStream;
    private Progress current;

    ListenerProgress(boolean terminal, PrintWriter err) {
      this.terminal = terminal;
      this.err = err;
      this.errStream = new PrintStream(new WriterOutputStream(err), true, StandardCharsets.UTF_8);
    }

    @Override
    public void started(String task, long total, String unit) {
      finished();
      current = Progress.start(task, unit, total, terminal, errStream, LOG);
    }

    @Override
    public void progressed(long done) {
      if (current != null) {
        current.stepTo(done);
      }
    }

    @Override
    public void finished() {
      if (current != null) {
        current.close();
        current = null;
      }
    }

    @Override
    public void passDone(String line) {
      err.println("streamcast bench: " + line);
      err.flush();
    }

    @Override
    public void close() {
      finished();
      errStream.flush();
    }
  }

  /** Bytes to a {@link PrintWriter} (the progress bar writes to a stream; picocli gives writers). */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter writer;

    WriterOutputStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      writer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writer.write(new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      writer.flush();
    }
  }
}
