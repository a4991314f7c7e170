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
import org.streamcast.model.SealedArtifact;
import org.streamcast.registry.ModelKeys;
import org.streamcast.registry.ServableModels;
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
    footer = {"", "Environment: the runtime options have variables: STREAMCAST_BOOTSTRAP, STREAMCAST_KAFKA_CONFIG, "
            + "STREAMCAST_STATE_DIR, STREAMCAST_HTTP_PORT, STREAMCAST_HTTP_HOST, STREAMCAST_APPLICATION_ID_PREFIX, "
            + "STREAMCAST_PROCESSING_GUARANTEE; precedence is defaults < spec runtime section < environment < flags. "
            + "The model keys have STREAMCAST_MODEL_PUBLIC_KEY and STREAMCAST_SIGNING_KEY. "
            + "--topology, --model, --with-retrainer, --log-file and --verbose are flags only.",
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

  @Option(names = "--with-retrainer",
      description = "Also run the retrainer in this process for every pipeline with a training.schedule (for small "
          + "setups; `streamcast retrain --every` is the same job as its own process).")
  boolean withRetrainer;

  @Mixin
  RuntimeOptions runtime = new RuntimeOptions();

  @Mixin
  LogOptions logs = new LogOptions();

  @Mixin
  ModelKeyOptions modelKeys = new ModelKeyOptions();

  @Override
  public Integer call() throws Exception {
    if (withRetrainer && parent != null && parent.edition() == Streamcast.Edition.SERVING) {
      throw new SpecException("--with-retrainer: not in the serving jar (it never trains); run "
          + "`streamcast retrain --every` from the full streamcast.jar as its own process");
    }
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    List<PipelineSpec> specs = SpecLoader.loadAll(topologies);
    ModelKeys keys = modelKeys.keys(env.variables());
    Forecaster served = model == null ? null : loadModel("--model", model, specs.get(0), keys.publicKey());
    List<StreamcastApp.Pipeline> pipelines = new ArrayList<>();
    for (PipelineSpec s : specs) {
      pipelines.add(new StreamcastApp.Pipeline(s, runtime.resolve(s.runtime(), env.variables()),
          pipelines.isEmpty() ? served : null));
    }
    Path logFile = ConsoleLogging.toFile(logs.logFile != null ? logs.logFile
        : pipelines.get(0).settings().stateDir().resolve("streamcast.log"),
        logs.logFile != null ? "--log-file" : "--state-dir (its log file)", logs.verbose);
    spec.commandLine().getOut().printf("streamcast: full logs in %s%n", logFile);
    spec.commandLine().getOut().flush();
    StopSignal stop = StopSignal.install();
    StreamcastApp app = null;
    int code;
    try {
      app = StreamcastApp.start(pipelines, keys.publicKey());
      String host = shownHost(pipelines.get(0).settings().httpHost());
      spec.commandLine().getOut().printf("streamcast running %s against %s; live page at http://%s:%d/, "
          + "metrics at http://%s:%d/metrics; Ctrl-C stops%n", app.pipelines().keySet(),
          pipelines.get(0).settings().bootstrapServers(), host, app.httpPort(), host, app.httpPort());
      spec.commandLine().getOut().flush();
      // AutoCloseable, not the retrainer's type: the serving jar carries no retrain classes
      AutoCloseable retrainers = withRetrainer ? InProcessRetrainers.start(app, pipelines, keys) : () -> { };
      try {
        code = awaitStopOrFailure(app, stop, spec.commandLine().getErr());
      } finally {
        retrainers.close();
      }
    } finally {
      if (app != null) {
        app.close();
      }
      stop.done();
    }
    return cleanExit(code, app, spec.commandLine().getErr());
  }

  /**
   * {@code code}, unless a stop that was asked for did not end cleanly (a part of the app did not stop in time):
   * then exit 1 with one line, so a supervisor can tell a clean stop from one that may have left work behind.
   */
  static int cleanExit(int code, StreamcastApp app, java.io.PrintWriter err) {
    if (code == 0 && !app.closedCleanly()) {
      err.println("streamcast: stopped, but not cleanly (see the lines above and the log file)");
      err.flush();
      return Streamcast.EXIT_FAILURE;
    }
    return code;
  }

  /** Where a person on this machine reaches the HTTP port: localhost for loopback or every interface. */
  static String shownHost(String httpHost) {
    return httpHost.equals("127.0.0.1") || httpHost.equals("0.0.0.0") || httpHost.equals("::")
        ? "localhost" : httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
  }

  /** Reads a model artifact for {@code spec}; a missing, unreadable or mismatched file is a one-line error. */
  static Forecaster loadModel(Path file, PipelineSpec spec) {
    return loadModel("--model", file, spec, null);
  }

  /** Reads a model artifact given with {@code option} for {@code spec}; problems are one-line errors. */
  static Forecaster loadModel(String option, Path file, PipelineSpec spec) {
    return loadModel(option, file, spec, null);
  }

  /**
   * Reads and verifies a model artifact given with {@code option} for {@code spec}, signed by the private key of
   * {@code publicKey} when that is not {@code null}; problems are one-line errors.
   */
  static Forecaster loadModel(String option, Path file, PipelineSpec spec, java.security.PublicKey publicKey) {
    SealedArtifact sealed;
    try {
      sealed = ModelArtifact.open(file, publicKey);
    } catch (java.io.IOException | RuntimeException e) {
      throw new SpecException(option + ": " + file + ": not a readable streamcast model (" + e.getMessage() + ")");
    }
    ServableModels.mismatch(spec, sealed.artifact()).ifPresent(reason -> {
      throw new SpecException(option + ": " + file + ": " + reason);
    });
    return new RecurrentForecaster(sealed.artifact(), sealed.version(), sealed.artifact().features().historyLength());
  }

  /** Waits for a stop signal (exit 0) or a pipeline failure (exit 1). */
  static int awaitStopOrFailure(StreamcastApp app, StopSignal stop, java.io.PrintWriter err)
      throws InterruptedException {
    while (!stop.await(Duration.ofMillis(500))) {
      if (app.hasFailed()) {
        app.pipelines().values().stream().filter(p -> p.failure() != null).findFirst().ifPresent(p ->
            err.println("streamcast: pipeline " + p.spec().name() + " failed: "
                + p.failure().getClass().getSimpleName() + ": " + Streamcast.describe(p.failure())));
        return Streamcast.EXIT_FAILURE;
      }
    }
    return 0;
  }
}
