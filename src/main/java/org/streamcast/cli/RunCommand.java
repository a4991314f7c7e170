package org.streamcast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
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

  @Mixin
  RuntimeOptions runtime = new RuntimeOptions();

  @Override
  public Integer call() throws Exception {
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    List<PipelineSpec> specs = SpecLoader.loadAll(topologies);
    List<StreamcastApp.Pipeline> pipelines = new ArrayList<>();
    for (PipelineSpec s : specs) {
      pipelines.add(new StreamcastApp.Pipeline(s, runtime.resolve(s.runtime(), env.variables())));
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
