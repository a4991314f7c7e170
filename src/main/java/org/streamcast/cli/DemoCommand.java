package org.streamcast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
      description = "Port for metrics and queries; taken if free, else a free one is picked (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting an embedded broker.")
  String bootstrap;

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
    PipelineSpec pipeline = bundledSpec(pipelineName);
    List<Observation> observations = Datasets.read(dataset);
    Replay replay = Replay.of(observations, Replay.Pacing.speedup(speedup != null ? speedup
        : Math.max(1, spanOf(observations).toMillis() / (double) DEFAULT_REPLAY.toMillis())));
    PrintWriter out = spec.commandLine().getOut();
    StopSignal stop = StopSignal.install();
    Path stateDir = Files.createTempDirectory("streamcast-demo-state");
    try (EmbeddedKafkaBroker broker = bootstrap == null ? EmbeddedKafkaBroker.builder().build().start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      out.printf("streamcast demo: %s (%,d events, %s) -> pipeline %s on Kafka at %s%s%n", dataset, replay.size(),
          replay.pacing().describe(), pipelineName, servers, broker == null ? "" : " (embedded)");
      out.flush();
      RuntimeSettings settings = settings(servers, stateDir, httpPort);
      try (StreamcastApp app = startApp(pipeline, settings, stateDir, servers)) {
        out.printf("metrics: http://localhost:%d/metrics   forecasts: http://localhost:%d/forecasts/%s%n",
            app.httpPort(), app.httpPort(), observations.get(0).key());
        out.flush();
        return run(app, pipeline, settings, replay, stop, out);
      }
    } finally {
      stop.done();
      deleteQuietly(stateDir);
    }
  }

  private int run(StreamcastApp app, PipelineSpec pipeline, RuntimeSettings settings, Replay replay, StopSignal stop,
      PrintWriter out) throws Exception {
    AtomicBoolean stopProducing = new AtomicBoolean();
    AtomicInteger produced = new AtomicInteger();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try (EventProducer p = new EventProducer(settings.clientProperties(), true)) {
        p.send(pipeline.input().topic(), replay, Pacer.system(), produced::set, stopProducing::get);
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
        view.print(out, produced.get(), replay.size());
        if (app.hasFailed() || producerFailure.get() != null) {
          Throwable t = producerFailure.get() != null ? producerFailure.get()
              : app.pipelines().values().iterator().next().failure();
          spec.commandLine().getErr().println("streamcast demo: failed: " + t);
          return Streamcast.EXIT_FAILURE;
        }
      }
      stopProducing.set(true);
      producer.join(10_000);
      view.print(out, produced.get(), replay.size());
    }
    out.println("streamcast demo: stopped cleanly");
    out.flush();
    return 0;
  }

  private StreamcastApp startApp(PipelineSpec pipeline, RuntimeSettings settings, Path stateDir, String servers)
      throws IOException {
    try {
      return StreamcastApp.start(List.of(new StreamcastApp.Pipeline(pipeline, settings)));
    } catch (BindException e) {
      LOG.info("demo: port {} is taken, picking a free one", settings.httpPort());
      return StreamcastApp.start(List.of(new StreamcastApp.Pipeline(pipeline, settings(servers, stateDir, 0))));
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
