package org.streamcast.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.kafka.Topics;
import org.streamcast.metrics.HttpApi;
import org.streamcast.metrics.LivePage;
import org.streamcast.metrics.ModelRejections;
import org.streamcast.metrics.ProcessMeters;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelHolder;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Rejection;
import org.streamcast.model.SealedArtifact;
import org.streamcast.registry.ModelFollower;
import org.streamcast.registry.ModelTopic;
import org.streamcast.registry.ServableModels;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.topology.StreamsSettings;

/**
 * A streamcast process: one Kafka Streams instance per pipeline, their topics, the meters and the HTTP port
 * ({@code /metrics}, {@code /health}, {@code /ready}, {@code /forecasts/{key}}, {@code /state/{key}}, and the
 * built-in page {@code /} with its data {@code /live}; with several pipelines, {@code ?pipeline=NAME} picks one for
 * the key queries, the first is the default).
 */
public final class StreamcastApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamcastApp.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One pipeline of the process.
   *
   * @param spec     the pipeline
   * @param settings its resolved runtime settings
   * @param model    a model pinned for the pipeline's lifetime, or {@code null} to follow {@value ModelTopic#NAME}
   *                 (the latest model published there, loaded before the first record; the seasonal-naive baseline
   *                 while there is none)
   */
  public record Pipeline(PipelineSpec spec, RuntimeSettings settings, Forecaster model) {
    /** A pipeline following the model topic. */
    public Pipeline(PipelineSpec spec, RuntimeSettings settings) {
      this(spec, settings, null);
    }
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, PipelineRuntime> runtimes = new LinkedHashMap<>();
  private final Map<String, ModelHolder> models = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private volatile boolean closedCleanly = true;
  private final PublicKey modelKey;
  private HttpApi http;
  private FollowerSupervisor follower;

  private StreamcastApp(PublicKey modelKey) {
    this.modelKey = modelKey;
  }

  /**
   * Creates the topics, binds the HTTP port and starts every pipeline.
   *
   * @param pipelines the pipelines with their resolved settings; the first one's HTTP port is the process's
   */
  public static StreamcastApp start(List<Pipeline> pipelines) throws IOException {
    return start(pipelines, null);
  }

  /**
   * Creates the topics, binds the HTTP port and starts every pipeline.
   *
   * @param pipelines the pipelines with their resolved settings; the first one's HTTP port is the process's
   * @param modelKey  when not {@code null}, models from {@value ModelTopic#NAME} are taken into service only when
   *                  signed by the matching private key (Ed25519)
   */
  public static StreamcastApp start(List<Pipeline> pipelines, PublicKey modelKey) throws IOException {
    StreamcastApp app = new StreamcastApp(modelKey);
    try {
      app.startAll(pipelines);
      return app;
    } catch (Throwable e) {
      // an Error too (e.g. out of memory while catching up): nothing of a half-started app may keep the JVM alive
      app.close();
      throw e;
    }
  }

  private void startAll(List<Pipeline> pipelines) throws IOException {
    ProcessMeters process = new ProcessMeters();
    process.bindTo(registry);
    closeables.add(process);

    for (Pipeline p : pipelines) {
      StreamsSettings.of(p.spec(), p.settings()); // every spec's limits checked before anything starts
    }
    RuntimeSettings first = pipelines.get(0).settings();
    http = new HttpApi(first.httpHost(), first.httpPort(), registry::scrape, this::isReady);
    closeables.add(http);
    for (Pipeline p : pipelines) {
      PipelineSpec spec = p.spec();
      Properties props = StreamsSettings.of(spec, p.settings());
      int statePartitions;
      try (Admin admin = Admin.create(p.settings().clientProperties())) {
        PipelineTopics.ensure(admin, p.settings().bootstrapServers(), spec, TOPIC_TIMEOUT);
        statePartitions = PipelineTopics.statePartitions(admin, p.settings().bootstrapServers(), spec,
            props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), TOPIC_TIMEOUT);
      }
      props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised(first.httpHost()) + ":" + http.port());
      ModelHolder holder = new ModelHolder(p.model() != null ? p.model() : PipelineTopology.baseline(spec));
      PipelineRuntime runtime = new PipelineRuntime(spec, props, statePartitions, holder, registry);
      runtimes.put(spec.name(), runtime);
      models.put(spec.name(), holder);
      closeables.add(runtime);
      HostInfo self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
      runtime.queries(self);
    }
    followModels(pipelines);
    http.route("/forecasts/", (key, query) -> {
      PipelineRuntime r = pipeline(query);
      return r == null ? unknownPipeline(query) : r.forecasts().get(key, isLocal(query));
    });
    http.route("/state/", (key, query) -> {
      PipelineRuntime r = pipeline(query);
      return r == null ? unknownPipeline(query) : r.states().get(key, isLocal(query));
    });
    LivePage page = new LivePage(runtimes.values().stream().map(PipelineRuntime::page).toList(), Clock.systemUTC());
    http.route("/", (rest, query) -> page.page());
    http.route("/live", (rest, query) -> page.live());
    String kernel = RecurrentNetwork.activeKernel();
    LOG.info("serving kernel: {}{}", kernel, kernel.equals("scalar")
        ? " (1.5-2x slower than the vector kernel; start the JVM with --add-modules jdk.incubator.vector for the "
            + "vector kernel)" : "");
    for (PipelineRuntime r : runtimes.values()) {
      r.start();
      LOG.info("pipeline {} started: input {}, forecasts {}; {}", r.spec().name(), r.spec().input().topic(),
          r.spec().output().forecasts(), pipelines.get(0).settings().describe());
    }
  }

  /**
   * Loads the newest published model that verifies of every pipeline without a pinned one, before any record is
   * processed, and swaps in every later one between records (hot-swap; each key re-warms its hidden state on its next
   * record). Start-up and run time apply the same checks (format, signature, servable, version above the one in
   * service); a refused model is counted and the pipeline keeps what it serves.
   */
  private void followModels(List<Pipeline> pipelines) {
    Map<String, PipelineSpec> followed = new LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      if (p.model() == null) {
        followed.put(p.spec().name(), p.spec());
      }
    }
    if (followed.isEmpty()) {
      return;
    }
    Map<String, Object> client = pipelines.get(0).settings().clientProperties();
    Topics.ensure(client, List.of(ModelTopic.spec()), TOPIC_TIMEOUT);
    ModelRejections rejections = new ModelRejections(registry);
    followed.keySet().forEach(rejections::register);
    ModelFollower.Listener listener = (name, model, coordinates) -> adopt(followed.get(name), model, coordinates);
    follower = new FollowerSupervisor(() -> new ModelFollower(client, followed.keySet(), modelKey,
        rejections::count), listener);
    closeables.add(follower);
    follower.start(TOPIC_TIMEOUT);
  }

  /** Takes {@code model} into service for {@code spec}'s pipeline, or says why not. */
  private Optional<ModelFollower.Refusal> adopt(PipelineSpec spec, Optional<SealedArtifact> model, String from) {
    ModelHolder holder = models.get(spec.name());
    if (model.isEmpty()) {
      Forecaster old = holder.swap(PipelineTopology.baseline(spec));
      LOG.info("pipeline {}: model withdrawn at {}; serving the baseline instead of {} v{}", spec.name(), from,
          old.name(), old.version());
      return Optional.empty();
    }
    Forecaster current = holder.current();
    long version = model.get().version();
    if (version <= current.version()) {
      return Optional.of(new ModelFollower.Refusal(Rejection.STALE_VERSION, "version " + version
          + " is not above v" + current.version() + " in service"));
    }
    Optional<String> mismatch = ServableModels.mismatch(spec, model.get().artifact());
    if (mismatch.isPresent()) {
      return Optional.of(new ModelFollower.Refusal(Rejection.UNSERVABLE, mismatch.get()));
    }
    Forecaster next = ServableModels.serve(spec, model.get().artifact(), version);
    Forecaster old = holder.swap(next);
    LOG.info("pipeline {}: now serving {} v{} from {} (was {} v{}); keys re-warm on their next record",
        spec.name(), next.name(), next.version(), from, old.name(), old.version());
    return Optional.empty();
  }

  /** The host other instances reach this one at: the bound address, or {@code localhost} when bound to all. */
  private static String advertised(String httpHost) {
    return httpHost.equals("0.0.0.0") || httpHost.equals("::") ? "localhost" : httpHost;
  }

  /** The pipeline {@code ?pipeline=NAME} names (the first without it), or null when there is none of that name. */
  private PipelineRuntime pipeline(String query) {
    String name = param(query, "pipeline");
    return name == null ? runtimes.values().iterator().next() : runtimes.get(name);
  }

  private HttpApi.Response unknownPipeline(String query) {
    return HttpApi.Response.json(404, "{\"error\":\"pipeline " + HttpApi.escape(param(query, "pipeline"))
        + " not found\",\"pipelines\":[" + String.join(",", runtimes.keySet().stream()
            .map(n -> "\"" + HttpApi.escape(n) + "\"").toList()) + "]}");
  }

  private static boolean isLocal(String query) {
    if (query == null) {
      return false;
    }
    for (String part : query.split("&")) {
      if (part.equals("local")) {
        return true;
      }
    }
    return false;
  }

  private static String param(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String part : query.split("&")) {
      if (part.startsWith(name + "=")) {
        try {
          return java.net.URLDecoder.decode(part.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return part.substring(name.length() + 1); // a malformed escape names no pipeline: 404 with it as given
        }
      }
    }
    return null;
  }

  /**
   * Ready once every pipeline is RUNNING and serves a model or its baseline (a pipeline following the model topic has
   * loaded the latest published model, or found none, before it starts), and the model follower runs (while a dead
   * one waits for its restart, the process would miss new models).
   */
  public boolean isReady() {
    return !runtimes.isEmpty() && runtimes.values().stream()
        .allMatch(r -> r.isRunning() && r.models().current() != null)
        && (follower == null || follower.isFollowing());
  }

  /** How often the model follower was restarted after dying. */
  public int followerRestarts() {
    return follower == null ? 0 : follower.restarts();
  }

  /** Whether a pipeline has failed for good (the process should exit non-zero). */
  public boolean hasFailed() {
    return runtimes.values().stream().anyMatch(PipelineRuntime::hasFailed);
  }

  /** The running pipelines by name. */
  public Map<String, PipelineRuntime> pipelines() {
    return java.util.Collections.unmodifiableMap(runtimes);
  }

  /** The model holder of a pipeline (the registry swaps models through it). */
  public ModelHolder models(String pipeline) {
    return models.get(pipeline);
  }

  /** The meter registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The bound HTTP port. */
  public int httpPort() {
    return http.port();
  }

  /**
   * Stops everything this app started, the last started first. A part that does not stop cleanly (Kafka Streams not
   * down within its bound, a failing close) is logged and the others still stop: see {@link #closedCleanly()}.
   */
  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        closedCleanly = false;
        LOG.warn("closing {} failed: {}", closeables.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    registry.close();
  }

  /** After {@link #close()}: whether every part stopped cleanly (what a command's exit code reports). */
  public boolean closedCleanly() {
    return closedCleanly;
  }
}
