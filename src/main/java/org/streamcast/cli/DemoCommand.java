package org.streamcast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.app.StreamcastApp;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.dataset.Pacer;
import org.streamcast.dataset.Replay;
import org.streamcast.domain.Observation;
import org.streamcast.kafka.EmbeddedKafkaBroker;
import org.streamcast.kafka.EventProducer;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.model.ModelArtifact;
import org.streamcast.registry.ModelKeys;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.registry.ModelTopic;
import org.streamcast.retrain.RetrainJob;
import org.streamcast.retrain.RetrainSchedule;
import org.streamcast.retrain.SeriesTopicReader;
import org.streamcast.training.SeriesSteps;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;
import org.streamcast.training.backtest.BacktestListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code streamcast demo}: everything on one machine with no services: an embedded broker, a bundled real dataset
 * replayed as events at an accelerated rate, its pipeline, and a compact live view per key.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Run streamcast end to end with no setup: an embedded Kafka broker, a bundled real dataset replayed as events, "
            + "its pipeline, and a live view of steps and forecasts per key. Ctrl-C stops everything.",
        "Datasets and their pipelines: taylor -> topologies/electricity.yaml (half-hourly load), eustockmarkets -> "
            + "topologies/prices.yaml (daily index closes), vega_weather -> topologies/weather.yaml (daily weather)."})
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
  private static final Map<String, String> SPECS = Map.of(
      "taylor", "electricity", "eustockmarkets", "prices", "vega_weather", "weather");
  /** Without --speedup the whole dataset replays in about this long. */
  static final Duration DEFAULT_REPLAY = Duration.ofMinutes(3);
  /** The first model trains on this percentage of the data's time span, which is then replayed at once as history. */
  static final int FIRST_MODEL_SHARE_PERCENT = 25;

  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--dataset", defaultValue = "taylor", paramLabel = "NAME",
      description = "Bundled dataset: taylor, eustockmarkets or vega_weather (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--speedup", paramLabel = "N",
      description = "Replay N times faster than event time (default: the whole dataset in about 3 minutes).")
  Double speedup;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Run this long, then stop and exit 0 (for scripts and tests); default: until Ctrl-C.")
  Duration duration;

  @Option(names = "--http-port", defaultValue = "8080", paramLabel = "N",
      description = "Port for metrics and queries; taken if free, else a free one is picked "
        + "(default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting an embedded broker.")
  String bootstrap;

  @Option(names = "--epochs", defaultValue = "5", paramLabel = "N",
      description = "At most N epochs for the first model and each retraining, so the demo moves quickly "
          + "(default: ${DEFAULT-VALUE}; the spec's own setting is used when lower).")
  int epochs;

  @Option(names = "--retrain-every", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the demo's retrainer judges a new challenger against the model in service "
          + "(default: ${DEFAULT-VALUE}).")
  Duration retrainEvery;

  @Mixin
  LogOptions logs = new LogOptions();

  @picocli.CommandLine.Mixin
  ModelKeyOptions modelKeys = new ModelKeyOptions();

  private ModelKeys keys = ModelKeys.NONE;

  @Option(names = "--refresh", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the live view is printed (default: ${DEFAULT-VALUE}).")
  Duration refresh;

  @Override
  public Integer call() throws Exception {
    String pipelineName = SPECS.get(dataset);
    if (pipelineName == null) {
      throw new SpecException("streamcast demo: --dataset: \"" + dataset + "\" is not one of " + Datasets.NAMES);
    }
    if (speedup != null && !(speedup > 0)) {
      throw new SpecException("streamcast demo: --speedup: " + speedup + " is not a positive number");
    }
    if (epochs < 1) {
      throw new SpecException("streamcast demo: --epochs: " + epochs + " is not a positive number");
    }
    if (retrainEvery.isZero() || retrainEvery.isNegative()) {
      throw new SpecException("streamcast demo: --retrain-every: " + retrainEvery + " is not a positive duration");
    }
    CliEnvironment environment = parent == null ? CliEnvironment.system() : parent.environment();
    ModelKeys keys = modelKeys.keys(environment.variables());
    if (keys.publicKey() != null && keys.signingKey() == null) {
      throw new SpecException("streamcast demo: --model-public-key needs --signing-key: the demo publishes its own "
          + "models, and unsigned ones would be refused");
    }
    this.keys = keys;
    PipelineSpec bundled = bundledSpec(pipelineName);
    PipelineSpec pipeline = bundled.withTraining(bundled.training().withEpochsAtMost(epochs));
    List<Observation> observations = Datasets.read(dataset);
    Instant cut = cut(observations);
    List<Observation> early = observations.stream().filter(o -> o.time().isBefore(cut)).toList();
    List<Observation> rest = observations.stream().filter(o -> !o.time().isBefore(cut)).toList();
    Replay<Observation> history = Replay.of(early, Replay.Pacing.asFastAsPossible());
    Replay<Observation> replay = Replay.of(rest, Replay.Pacing.speedup(speedup != null ? speedup
        : Math.max(1, spanOf(rest).toMillis() / (double) DEFAULT_REPLAY.toMillis())));
    PrintWriter out = spec.commandLine().getOut();
    Path logFile = ConsoleLogging.toFile(logs.logFile != null ? logs.logFile
        : Files.createTempFile("streamcast-demo-", ".log"), "--log-file", logs.verbose);
    out.printf("streamcast demo: full logs in %s%n", logFile);
    out.flush();
    StopSignal stop = StopSignal.install();
    Path stateDir = Files.createTempDirectory("streamcast-demo-state");
    try (EmbeddedKafkaBroker broker = bootstrap == null ? EmbeddedKafkaBroker.builder().build().start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      out.printf("streamcast demo: %s (%,d events up to %s as history, then %,d events %s) -> pipeline %s on Kafka "
          + "at %s%s%n", dataset, history.size(), cut, replay.size(), replay.pacing().describe(), pipelineName, servers,
          broker == null ? "" : " (embedded)");
      out.flush();
      RuntimeSettings settings = settings(servers, stateDir, httpPort);
      firstModel(pipeline, early, settings, out);
      StreamcastApp app = startApp(pipeline, settings, stateDir, servers);
      int code;
      try {
        out.printf("live page: http://localhost:%d/   metrics: http://localhost:%d/metrics   forecasts: "
            + "http://localhost:%d/forecasts/%s%n", app.httpPort(), app.httpPort(), app.httpPort(),
            observations.get(0).key());
        out.flush();
        TrainingMeters meters = new TrainingMeters(pipeline.name());
        meters.bindTo(app.registry());
        RetrainJob job = new RetrainJob(pipeline, settings.clientProperties(), new RetrainJob.Listeners(
            SeriesTopicReader.Progress.NONE, new TrainingProgress("retrain " + pipeline.name(), false, System.err),
            BacktestListener.NONE), meters, null, keys);
        RetrainSchedule retrainer = RetrainSchedule.start(job, retrainEvery, retrainEvery,
            j -> RetrainCommand.print(out, pipeline, j));
        try {
          code = run(app, pipeline, settings, history, replay, stop, out);
        } finally {
          retrainer.close();
        }
      } finally {
        app.close();
      }
      code = RunCommand.cleanExit(code, app, spec.commandLine().getErr());
      if (code == 0) {
        out.println("streamcast demo: stopped cleanly");
        out.flush();
      }
      return code;
    } finally {
      stop.done();
      deleteQuietly(stateDir);
    }
  }

  /**
   * Trains the first model on the history part (with a progress bar in a terminal) and publishes it, so the pipeline
   * serves a real recurrent model from its first record.
   */
  private void firstModel(PipelineSpec pipeline, List<Observation> early, RuntimeSettings settings, PrintWriter out) {
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    String source = "bundled " + dataset + " before " + early.get(early.size() - 1).time();
    TrainedModel trained;
    try (TrainingProgress progress = new TrainingProgress("first model for " + pipeline.name(), env.terminal(),
        System.err)) {
      trained = new Trainer().train(pipeline.model(), pipeline.training(),
          SeriesSteps.of(source, early, pipeline), List.of(), source, progress);
    }
    ModelArtifact a = trained.artifact();
    long version;
    try (ModelPublisher publisher = new ModelPublisher(settings.clientProperties(), keys)) {
      version = publisher.publish(pipeline.name(), a).version();
    }
    out.printf(Locale.ROOT, "first model: %s v%d trained on %,d steps of %d key(s) (%d epochs, validation MSE %.4f); "
        + "published to %s%n", pipeline.model().type().name().toLowerCase(Locale.ROOT),
        version, a.provenance().points(), a.provenance().keys(),
        trained.epochs().size(), trained.kept().validationLoss(), ModelTopic.NAME);
    out.flush();
  }

  /** Where the history part ends: a quarter of the way through the data's time span. */
  static Instant cut(List<Observation> observations) {
    Instant first = observations.stream().map(Observation::time).min(java.util.Comparator.naturalOrder()).orElseThrow();
    return first.plus(spanOf(observations).multipliedBy(FIRST_MODEL_SHARE_PERCENT).dividedBy(100));
  }

  private int run(StreamcastApp app, PipelineSpec pipeline, RuntimeSettings settings, Replay<Observation> history,
      Replay<Observation> replay, StopSignal stop, PrintWriter out) throws Exception {
    AtomicBoolean stopProducing = new AtomicBoolean();
    AtomicInteger produced = new AtomicInteger();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try (EventProducer p = new EventProducer(settings.clientProperties(), true)) {
        p.send(pipeline.input().topic(), history.observations(), history.schedule(Pacer.system())::awaitDue,
            produced::set, stopProducing::get);
        int before = history.size();
        p.send(pipeline.input().topic(), replay.observations(), replay.schedule(Pacer.system())::awaitDue,
            n -> produced.set(before + n), stopProducing::get);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        producerFailure.set(e);
      }
    }, "streamcast-demo-producer");
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    try (LiveView view = new LiveView(pipeline, settings.clientProperties())) {
      producer.start();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || stop.await(Duration.ofNanos(Math.min(left, refresh.toNanos())))) {
          break;
        }
        view.print(out, produced.get(), history.size() + replay.size());
        if (app.hasFailed() || producerFailure.get() != null) {
          Throwable t = producerFailure.get() != null ? producerFailure.get()
              : app.pipelines().values().iterator().next().failure();
          spec.commandLine().getErr().println("streamcast demo: failed: " + t);
          return Streamcast.EXIT_FAILURE;
        }
      }
      stopProducing.set(true);
      producer.join(10_000);
      view.print(out, produced.get(), history.size() + replay.size());
    }
    return 0;
  }

  private StreamcastApp startApp(PipelineSpec pipeline, RuntimeSettings settings, Path stateDir, String servers)
      throws IOException {
    try {
      return StreamcastApp.start(List.of(new StreamcastApp.Pipeline(pipeline, settings)), keys.publicKey());
    } catch (BindException e) {
      LOG.info("demo: port {} is taken, picking a free one", settings.httpPort());
      return StreamcastApp.start(List.of(new StreamcastApp.Pipeline(pipeline, settings(servers, stateDir, 0))),
          keys.publicKey());
    }
  }

  private static RuntimeSettings settings(String servers, Path stateDir, int port) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, Map.of(),
        new RuntimeSettings.Overrides(servers, stateDir, port, "streamcast-demo", null, null));
  }

  /** A shipped spec from the jar ({@code topologies/<name>.yaml}). */
  static PipelineSpec bundledSpec(String name) throws IOException {
    String resource = "/topologies/" + name + ".yaml";
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      return SpecLoader.parse("topologies/" + name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Duration spanOf(List<Observation> observations) {
    var min = observations.stream().map(Observation::time).min(java.util.Comparator.naturalOrder()).orElseThrow();
    var max = observations.stream().map(Observation::time).max(java.util.Comparator.naturalOrder()).orElseThrow();
    return Duration.between(min, max);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", dir, e.toString());
    }
  }
}
