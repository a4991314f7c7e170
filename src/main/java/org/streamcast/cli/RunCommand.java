package org.streamcast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.retrain.RetrainJob;
import org.streamcast.retrain.RetrainSchedule;
import org.streamcast.retrain.SeriesTopicReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code streamcast run}: runs pipelines against any Kafka cluster until Ctrl-C or SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Run one or more pipelines against a Kafka cluster until Ctrl-C or SIGTERM.",
        "Each pipeline is one Kafka Streams application (id <prefix>-<name>); start more processes with the same "
            + "specs to scale out over the input partitions. Missing topics are created (outputs with the input's "
            + "partition count). Serves the live page /, /metrics, /health, /ready, /forecasts/{key} and "
            + "/state/{key} on the HTTP port."},
    footer = {"", "Environment: every option --x-y has the variable STREAMCAST_X_Y; precedence is defaults < spec "
        + "runtime section < environment < flags.",
        "Example: streamcast run --topology topologies/electricity.yaml --bootstrap localhost:9092"})
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--topology", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Pipeline spec(s) (YAML), e.g. topologies/electricity.yaml.")
  List<Path> topologies;

  @Option(names = "--model", paramLabel = "FILE",
      description = "Serve this model artifact (from `streamcast train`) from the start instead of the seasonal-naive "
          + "baseline; with several pipelines, it serves the first.")
  Path model;

  @Option(names = "--with-retrainer",
      description = "Also run the retrainer in this process for every pipeline with a training.schedule (for small "
          + "setups; `streamcast retrain --every` is the same job as its own process).")
  boolean withRetrainer;

  @Mixin
  RuntimeOptions runtime = new RuntimeOptions();

  @Mixin
  LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    List<PipelineSpec> specs = SpecLoader.loadAll(topologies);
    Forecaster served = model == null ? null : loadModel(model, specs.get(0));
    List<StreamcastApp.Pipeline> pipelines = new ArrayList<>();
    for (PipelineSpec s : specs) {
      pipelines.add(new StreamcastApp.Pipeline(s, runtime.resolve(s.runtime(), env.variables()),
          pipelines.isEmpty() ? served : null));
    }
    Path logFile = ConsoleLogging.toFile(logs.logFile != null ? logs.logFile
        : pipelines.get(0).settings().stateDir().resolve("streamcast.log"), logs.verbose);
    spec.commandLine().getOut().printf("streamcast: full logs in %s%n", logFile);
    spec.commandLine().getOut().flush();
    StopSignal stop = StopSignal.install();
    try (StreamcastApp app = StreamcastApp.start(pipelines)) {
      spec.commandLine().getOut().printf("streamcast running %s against %s; live page at http://localhost:%d/, "
          + "metrics at http://localhost:%d/metrics; Ctrl-C stops%n", app.pipelines().keySet(),
          pipelines.get(0).settings().bootstrapServers(), app.httpPort(), app.httpPort());
      spec.commandLine().getOut().flush();
      List<RetrainSchedule> retrainers = withRetrainer ? retrainers(app, pipelines) : List.of();
      try {
        return awaitStopOrFailure(app, stop, spec.commandLine().getErr());
      } finally {
        retrainers.forEach(RetrainSchedule::close);
      }
    } finally {
      stop.done();
    }
  }

  /** A retrainer per pipeline with a schedule, counting into the app's registry and logging its progress. */
  private static List<RetrainSchedule> retrainers(StreamcastApp app, List<StreamcastApp.Pipeline> pipelines) {
    List<RetrainSchedule> out = new ArrayList<>();
    for (StreamcastApp.Pipeline p : pipelines) {
      java.time.Duration every = p.spec().training().schedule();
      if (every == null) {
        LOG.info("retrain {}: training.schedule is never; not retraining in this process", p.spec().name());
        continue;
      }
      TrainingMeters meters = new TrainingMeters(p.spec().name());
      meters.bindTo(app.registry());
      RetrainJob job = new RetrainJob(p.spec(), p.settings().clientProperties(), new RetrainJob.Listeners(
          SeriesTopicReader.Progress.NONE, new TrainingProgress("train " + p.spec().name(), false, System.err),
          org.streamcast.training.backtest.BacktestListener.NONE), meters, null);
      out.add(RetrainSchedule.start(job, every, every));
    }
    return out;
  }

  /** Reads a model artifact for {@code spec}; a missing, unreadable or mismatched file is a one-line error. */
  static Forecaster loadModel(Path file, PipelineSpec spec) {
    return loadModel("--model", file, spec);
  }

  /** Reads a model artifact given with {@code option} for {@code spec}; problems are one-line errors. */
  static Forecaster loadModel(String option, Path file, PipelineSpec spec) {
    ModelArtifact artifact;
    try {
      artifact = ModelArtifact.read(file);
    } catch (java.io.IOException | RuntimeException e) {
      throw new SpecException(option + ": " + file + ": not a readable streamcast model (" + e.getMessage() + ")");
    }
    org.streamcast.registry.ServableModels.mismatch(spec, artifact).ifPresent(reason -> {
      throw new SpecException(option + ": " + file + ": " + reason);
    });
    return RecurrentForecaster.serving(artifact);
  }

  /** Waits for a stop signal (exit 0) or a pipeline failure (exit 1). */
  static int awaitStopOrFailure(StreamcastApp app, StopSignal stop, java.io.PrintWriter err)
      throws InterruptedException {
    while (!stop.await(Duration.ofMillis(500))) {
      if (app.hasFailed()) {
        app.pipelines().values().stream().filter(p -> p.failure() != null).findFirst().ifPresent(p ->
            err.println("streamcast: pipeline " + p.spec().name() + " failed: " + p.failure()));
        return Streamcast.EXIT_FAILURE;
      }
    }
    return 0;
  }
}
