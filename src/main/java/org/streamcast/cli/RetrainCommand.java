package org.streamcast.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.streamcast.bench.RetrainBench;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.kafka.EmbeddedKafkaBroker;
import org.streamcast.metrics.HttpApi;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.registry.ModelKeys;
import org.streamcast.retrain.Judgement;
import org.streamcast.retrain.RetrainJob;
import org.streamcast.retrain.RetrainSchedule;
import org.streamcast.retrain.SeriesTopicReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code streamcast retrain}: the side job. Once, or with {@code --every} until Ctrl-C: read the pipeline's series
 * topic, train a challenger, judge it against the model in service, publish it to {@code streamcast.models} if it
 * wins.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Retrain a pipeline's model from its <pipeline>.series topic (the span of the spec's training.history, up to "
            + "the newest step), judge the challenger against the model in service on the most recent fifth of the "
            + "history it did not train on (MASE over horizons 1..H), and publish it to streamcast.models only if its "
            + "scores are finite, it beats the pipeline's baseline, and it beats the model in service (if any) by the "
            + "spec's training.promoteMargin.",
        "A large fleet is handled within the spec's training budget: the history is held compactly (4 bytes a step) "
            + "up to training.maxHistoryBytes, beyond it as a seeded sample of keys; the challenger trains on a "
            + "stratified sample of training.maxKeys keys, training.maxWindows windows an epoch, for at most "
            + "training.maxDuration, and is judged on its own sample of training.judgeKeys keys; the output states "
            + "the sample sizes and the confidence of the decision.",
        "Running pipelines pick a published model up between two records; keys re-warm their hidden state from "
            + "their stored context. Exit code 0 after a judgement (promoted, rejected or skipped for lack of "
            + "history), 1 when Kafka fails, 2 for a bad spec or flag."})
public final class RetrainCommand implements Callable<Integer> {
  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--topology", required = true, paramLabel = "FILE",
      description = "The pipeline's spec (YAML), e.g. topologies/electricity.yaml.")
  Path topology;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--every", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Run again this long after each run finishes, until Ctrl-C (e.g. 1h); without it, run once.")
  Duration every;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Also write every challenger (promoted or not) to DIR as <pipeline>-v<version>-<decision>.model.")
  Path out;

  @Mixin
  ModelKeyOptions modelKeys = new ModelKeyOptions();

  @Option(names = "--http-port", paramLabel = "N",
      description = "With --every: serve /metrics and /health on this port (env STREAMCAST_HTTP_PORT; default: none).")
  Integer httpPort;

  @Option(names = "--http-host", paramLabel = "HOST",
      description = "With --http-port: the address to bind (default: 127.0.0.1; env STREAMCAST_HTTP_HOST).")
  String httpHost;

  @Option(names = "--bench", paramLabel = "KEYS", split = ",",
      description = "Benchmark instead: on an embedded broker (or --bootstrap), fill a series topic with KEYS keys x "
          + "--bench-steps steps of the spec's step (each key a shifted, scaled copy of the bundled taylor series plus "
          + "noise), retrain a fresh pipeline of the spec's model and training settings on it, and print read time, "
          + "peak heap, training time per epoch and the decision; one size after another, e.g. 1000,10000,20000.")
  List<Integer> bench;

  @Option(names = "--bench-steps", paramLabel = "N", defaultValue = "2688",
      description = "Steps per key of --bench (default: ${DEFAULT-VALUE}, 56 days of half hours).")
  int benchSteps;

  @Option(names = "--bench-max-keys", paramLabel = "N",
      description = "With --bench: train on at most N keys (overrides training.maxKeys), e.g. all of them to compare "
          + "a model trained on a sample with one trained on the whole fleet.")
  Integer benchMaxKeys;

  @Override
  public Integer call() throws Exception {
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    PipelineSpec pipeline = SpecLoader.load(topology);
    if (bench != null) {
      return bench(pipeline);
    }
    for (String benchOnly : List.of("--bench-steps", "--bench-max-keys")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(benchOnly)) {
        throw new SpecException("streamcast retrain: " + benchOnly + ": only with --bench");
      }
    }
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      // checked before the run, not when its first challenger is written
      throw new SpecException("streamcast retrain: --out: " + out + ": is a file, not a directory");
    }
    if (every != null && (every.isZero() || every.isNegative())) {
      throw new SpecException("streamcast retrain: --every: " + every + " is not a positive duration");
    }
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), pipeline.runtime(),
        env.variables(), new RuntimeSettings.Overrides(kafka.bootstrap, null, httpPort, httpHost, null, null,
            kafka.kafkaConfig)).loadKafkaConfig();
    ModelKeys keys = modelKeys.keys(env.variables());
    PrintWriter stdout = spec.commandLine().getOut();
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    TrainingMeters meters = new TrainingMeters(pipeline.name());
    meters.bindTo(registry);
    try (ProgressReporter reading = new ProgressReporter("read " + pipeline.output().series(), env.terminal());
         ProgressReporter scoring = new ProgressReporter("judge " + pipeline.name(), env.terminal());
         TrainingProgress training = new TrainingProgress("train " + pipeline.name(), env.terminal(), System.err)) {
      SeriesTopicReader.Progress read = new SeriesTopicReader.Progress() {
        @Override
        public void read(long done, long total) {
          reading.update(done, total, "records");
        }

        @Override
        public void read(long done, long total, long fleet, int held) {
          reading.update(done, total, "records, " + fleet + " keys read, " + held + " held");
        }
      };
      RetrainJob job = new RetrainJob(pipeline, settings.clientProperties(), new RetrainJob.Listeners(read, training,
          scoring::update), meters, out, keys);
      if (every == null) {
        Judgement j = job.run();
        print(stdout, pipeline, j);
        return 0;
      }
      boolean serve = !"default".equals(settings.origin("http-port"));
      try (HttpApi http = serve
          ? new HttpApi(settings.httpHost(), settings.httpPort(), registry::scrape, () -> true) : null) {
        RetrainSchedule schedule = RetrainSchedule.start(job, Duration.ZERO, every);
        stdout.printf("streamcast retrain %s every %s against %s%s; Ctrl-C stops%n", pipeline.name(), every,
            settings.bootstrapServers(), http == null ? "" : "; metrics at http://localhost:" + http.port()
                + "/metrics");
        stdout.flush();
        StopSignal stop = StopSignal.install();
        try {
          stop.await(Duration.ofDays(365_000)); // the schedule runs on its own thread until the stop signal
        } finally {
          stop.done();
          schedule.close();
        }
      }
      return 0;
    } finally {
      registry.close();
    }
  }

  private int bench(PipelineSpec pipeline) {
    for (int k : bench) {
      if (k < 1) {
        throw new SpecException("streamcast retrain: --bench: " + k + " is not a positive number of keys");
      }
    }
    if (benchSteps < 2) {
      throw new SpecException("streamcast retrain: --bench-steps: " + benchSteps + " is less than 2");
    }
    if (benchMaxKeys != null) {
      if (benchMaxKeys < 1) {
        throw new SpecException("streamcast retrain: --bench-max-keys: " + benchMaxKeys + " is not positive");
      }
      PipelineSpec.Budget b = pipeline.training().budget();
      pipeline = pipeline.withTraining(pipeline.training().withBudget(new PipelineSpec.Budget(benchMaxKeys,
          b.maxWindows(), b.maxDuration(), b.judgeKeys(), b.maxHistoryBytes())));
    }
    PrintWriter stdout = spec.commandLine().getOut();
    try (EmbeddedKafkaBroker broker = kafka.bootstrap == null ? EmbeddedKafkaBroker.builder().build().start()
        : null) {
      String servers = broker == null ? kafka.bootstrap : broker.bootstrapServers();
      RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
          java.util.Map.of(), new RuntimeSettings.Overrides(servers, null, null, null, null, null, kafka.kafkaConfig))
          .loadKafkaConfig();
      stdout.printf("streamcast retrain --bench %s: broker %s, heap limit %d MiB%n", bench, servers,
          Runtime.getRuntime().maxMemory() >> 20);
      stdout.flush();
      new RetrainBench(pipeline, settings.clientProperties(), stdout, pipeline.training().seed())
          .run(bench, benchSteps);
    }
    return 0;
  }

  private static String cell(double[] mase, int h) {
    return mase.length >= h ? String.format(Locale.ROOT, "%.4f", mase[h - 1]) : "";
  }

  /** The judgement for a person: decision, reason, MASE at a few horizons. */
  static void print(PrintWriter out, PipelineSpec pipeline, Judgement j) {
    out.printf("retrain %s: %s: %s%n", pipeline.name(), j.decision().tag(), j.reason());
    double[] c = j.candidateMase();
    double[] p = j.championMase();
    double[] b = j.baselineMase();
    if (c.length > 0) {
      out.printf("%8s %12s %12s %12s%n", "h", "challenger", p.length > 0 ? "champion" : "", "baseline");
      for (int h : java.util.List.of(1, c.length / 4, c.length / 2, c.length).stream().distinct()
          .filter(h -> h >= 1).toList()) {
        out.printf(Locale.ROOT, "%8d %12.4f %12s %12s%n", h, c[h - 1], cell(p, h), cell(b, h));
      }
    }
    out.flush();
  }
}
