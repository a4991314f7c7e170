package org.streamcast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
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
            + "partition count). Serves /metrics, /health, /ready, /forecasts/{key} and /state/{key} on the HTTP "
            + "port."},
    footer = {"", "Environment: every option --x-y has the variable STREAMCAST_X_Y; precedence is defaults < spec "
        + "runtime section < environment < flags.",
        "Example: streamcast run --topology topologies/electricity.yaml --bootstrap localhost:9092"})
public final class RunCommand implements Callable<Integer> {
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

  @Mixin
  RuntimeOptions runtime = new RuntimeOptions();

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
    StopSignal stop = StopSignal.install();
    try (StreamcastApp app = StreamcastApp.start(pipelines)) {
      spec.commandLine().getOut().printf("streamcast running %s against %s; metrics at http://localhost:%d/metrics"
          + "; Ctrl-C stops%n", app.pipelines().keySet(), pipelines.get(0).settings().bootstrapServers(),
          app.httpPort());
      spec.commandLine().getOut().flush();
      return awaitStopOrFailure(app, stop, spec.commandLine().getErr());
    } finally {
      stop.done();
    }
  }

  /** Reads a model artifact for {@code spec}; a missing, unreadable or mismatched file is a one-line error. */
  static Forecaster loadModel(Path file, PipelineSpec spec) {
    ModelArtifact artifact;
    try {
      artifact = ModelArtifact.read(file);
    } catch (java.io.IOException | RuntimeException e) {
      throw new SpecException("--model: " + file + ": not a readable streamcast model (" + e.getMessage() + ")");
    }
    if (artifact.features().horizon() < spec.model().horizon()) {
      throw new SpecException("--model: " + file + ": forecasts " + artifact.features().horizon()
          + " steps, pipeline " + spec.name() + " needs " + spec.model().horizon());
    }
    int capacity = org.streamcast.model.KeyState.historyCapacity(spec.model());
    if (artifact.features().historyLength() > capacity) {
      throw new SpecException("--model: " + file + ": needs " + artifact.features().historyLength()
          + " steps of history, pipeline " + spec.name() + " keeps " + capacity + " (context + longest lag)");
    }
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
