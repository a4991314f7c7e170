package org.streamcast.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.app.PipelineTopics;
import org.streamcast.config.Durations;
import org.streamcast.config.KafkaNames;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.dataset.Datasets;
import org.streamcast.dataset.Pacer;
import org.streamcast.dataset.Replay;
import org.streamcast.dataset.SeriesCsvReader;
import org.streamcast.dataset.WideCsvReader;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Timestamped;
import org.streamcast.domain.UserFiles;
import org.streamcast.kafka.EventProducer;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.kafka.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/**
 * {@code streamcast produce}: replays a {@code key,timestamp,value} or wide {@code key,timestamp,field1,...} CSV (a
 * file, standard input or a bundled dataset) to a topic as JSON events, in event-time order across keys, as fast as
 * the broker takes them or paced by {@code --speedup} or {@code --rate}. Creates the topic when it is missing.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Replay a key,timestamp,value CSV to a Kafka topic as JSON events, in event-time order across keys.",
        "Events look like {\"key\": ..., \"ts\": ISO-8601, \"value\": ...}; a wide CSV key,timestamp,field1,... "
            + "(no value column) gives {\"key\": ..., \"ts\": ..., \"field1\": ..., ...}, an empty cell leaving its "
            + "field out. The record key is the series key and the record timestamp the event time. Without --speedup "
            + "or --rate it sends as fast as the broker takes them.",
        "Creates the topic if it is missing, with retention.ms=-1: replayed events carry historic timestamps, which "
            + "time-based retention would delete within minutes."},
    footer = {"", "Environment: STREAMCAST_BOOTSTRAP, STREAMCAST_KAFKA_CONFIG (flags win).",
        "Example: streamcast produce --dataset taylor --topic electricity.events --speedup 1800"})
public final class ProduceCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ProduceCommand.class);

  /** The most standard input read: it is held whole before it is parsed, as a file is not. */
  static final int MAX_STDIN_BYTES = 1 << 30;

  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to write the events to.")
  String topic;

  @ArgGroup(exclusive = true)
  Pace pace;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the topic if it has to be created (default: ${DEFAULT-VALUE}, as `run` creates).")
  int partitions;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
      description = "How long to wait for the cluster to answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  /** Where the events come from: exactly one of a file (or stdin) and a bundled dataset. */
  static final class Source {
    @Option(names = "--file", paramLabel = "CSV",
        description = "key,timestamp,value or wide key,timestamp,field1,... CSV file with a header; - reads standard "
            + "input.")
    String file;

    @Option(names = "--dataset", paramLabel = "NAME",
        description = "A bundled dataset: taylor, eustockmarkets or vega_weather.")
    String dataset;
  }

  /** How fast: at most one of a speedup of event time and a fixed rate. */
  static final class Pace {
    @Option(names = "--speedup", paramLabel = "N",
        description = "Replay N times faster than event time (event-time gaps divided by N).")
    Double speedup;

    @Option(names = "--rate", paramLabel = "N", description = "Send N events per second.")
    Double rate;
  }

  @Override
  public Integer call() throws Exception {
    KafkaNames.checkTopic("streamcast", "--topic", topic);
    Replay.Pacing pacing = pacing();
    if (partitions < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--partitions: " + partitions + " is not a positive number of partitions");
    }
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    RuntimeSettings settings = kafka.resolve(PipelineSpec.Runtime.NONE, env.variables());
    String from = source.dataset != null ? source.dataset : "-".equals(source.file) ? "stdin" : source.file;
    Events<?> events = read(env.stdin(), pacing);
    Replay.Summary summary = events.replay().summary();
    LOG.info("produce: {} events of {} key(s){} from {} to {} at {}, {}", summary.records(), summary.keys(),
        events.fields() == null ? "" : " with fields " + String.join(",", events.fields()), from, topic,
        settings.bootstrapServers(), pacing.describe()
            + (pacing.mode() == Replay.Pacing.Mode.AS_FAST_AS_POSSIBLE ? ""
                : " (about " + Durations.format(roundToSeconds(events.replay().plannedDuration())) + ")"));
    Map<String, Object> client = settings.clientProperties();
    ensureTopic(client, settings.bootstrapServers(), summary);
    EventProducer.Result result = send(events, client, env);
    printSummary(result, summary, settings.bootstrapServers());
    return 0;
  }

  private Replay.Pacing pacing() {
    if (pace == null) {
      return Replay.Pacing.asFastAsPossible();
    }
    String option = pace.speedup != null ? "--speedup" : "--rate";
    double factor = pace.speedup != null ? pace.speedup : pace.rate;
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + ": " + factor + " is not a positive number (e.g. " + option + " 1800)");
    }
    return pace.speedup != null ? Replay.Pacing.speedup(factor) : Replay.Pacing.rate(factor);
  }

  /**
   * What to send and how to write it as JSON.
   *
   * @param replay the events in replay order
   * @param json   an event's JSON
   * @param fields a wide file's value fields (null for {@code key,timestamp,value})
   */
  private record Events<T extends Timestamped>(Replay<T> replay, Function<? super T, String> json,
      List<String> fields) {
    EventProducer.Result sendWith(EventProducer producer, String topic, IntConsumer progress, BooleanSupplier stop)
        throws InterruptedException {
      return producer.send(topic, replay.observations(), json, replay.schedule(Pacer.system())::awaitDue, progress,
          stop);
    }
  }

  /** Reads the source: a bundled dataset, or a {@code key,timestamp,value} or wide CSV (file or standard input). */
  private Events<?> read(InputStream stdin, Replay.Pacing pacing) throws IOException {
    if (source.dataset != null) {
      return narrow(Datasets.open(source.dataset), pacing);
    }
    if ("-".equals(source.file)) {
      // read whole (a replay is held in memory to be ordered anyway), so the header can decide the format
      byte[] bytes;
      try {
        bytes = UserFiles.read(stdin, "stdin", MAX_STDIN_BYTES, "a replay from standard input (give --file)");
      } catch (UserFiles.Refused e) {
        throw new SpecException(e.getMessage());
      }
      if (WideCsvReader.isWide("stdin", reader(bytes))) {
        return wide(WideCsvReader.readEvents("stdin", new ByteArrayInputStream(bytes)), pacing);
      }
      return narrow(SeriesCsvReader.open("stdin", new ByteArrayInputStream(bytes)), pacing);
    }
    Path file = Path.of(source.file);
    if (Files.isRegularFile(file) && WideCsvReader.isWide(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        return wide(WideCsvReader.readEvents(file.toString(), in), pacing);
      }
    }
    return narrow(SeriesCsvReader.open(file), pacing);
  }

  private static Events<Observation> narrow(SeriesCsvReader reader, Replay.Pacing pacing) {
    try (reader) {
      Events<Observation> events = new Events<>(Replay.of(reader, pacing), EventProducer::json, null);
      reader.ignoredSummary().ifPresent(LOG::warn);
      reader.missingSummary().ifPresent(LOG::warn);
      return events;
    }
  }

  /**
   * A wide file's rows as events with a field per value column; an empty cell leaves its field out of the event (a
   * pipeline takes a missing covariate as a missing reading and dead-letters an event without its target,
   * {@code missing-field}): said once, up front.
   */
  private static Events<Measurement> wide(WideCsvReader.Table table, Replay.Pacing pacing) {
    List<String> fields = new ArrayList<>();
    fields.add(table.target());
    fields.addAll(table.covariates());
    List<Measurement> blank = table.rows().stream()
        .filter(m -> Arrays.stream(m.values()).anyMatch(Double::isNaN)).toList();
    if (!blank.isEmpty()) {
      LOG.warn("produce: {} of {} rows have an empty cell (the first: key {} at {}); their events leave that field "
          + "out: a pipeline takes a missing covariate as a missing reading and dead-letters an event without its "
          + "target (missing-field)", blank.size(),
          table.rows().size(), blank.get(0).key(), blank.get(0).time());
    }
    List<String> names = List.copyOf(fields);
    return new Events<>(Replay.of(table.rows(), pacing), m -> EventProducer.json(names, m), names);
  }

  private static BufferedReader reader(byte[] bytes) {
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
  }

  /**
   * Creates the topic unless it exists, like {@code run} does ({@link PipelineTopics}: size-based retention, since
   * replayed events carry historic timestamps that time-based retention would delete within minutes). An existing
   * topic whose retention would do so gets a warning.
   */
  private void ensureTopic(Map<String, Object> client, String bootstrap, Replay.Summary summary)
      throws InterruptedException {
    Map<String, Object> props = new HashMap<>(client);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-produce-admin");
    try (Admin admin = Admin.create(props)) {
      Set<String> created = Topics.ensure(admin, bootstrap, List.of(PipelineTopics.keepBySize(
          TopicSpec.of(topic, partitions))), timeout);
      if (created.isEmpty()) {
        warnIfRetentionDeletes(admin, summary);
      } else {
        LOG.info("produce: created topic {} with {} partitions (retention.ms=-1)", topic, partitions);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " (no answer within "
          + Durations.format(timeout) + ")", e);
    }
  }

  private void warnIfRetentionDeletes(Admin admin, Replay.Summary summary)
      throws InterruptedException, ExecutionException, TimeoutException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .get(resource);
    ConfigEntry retention = config == null ? null : config.get(TopicConfig.RETENTION_MS_CONFIG);
    if (retention == null || retention.value() == null || summary.first() == null) {
      return;
    }
    long retentionMs = Long.parseLong(retention.value());
    if (retentionMs >= 0 && summary.first().isBefore(Instant.now().minusMillis(retentionMs))) {
      LOG.warn("produce: topic {} deletes records older than retention.ms={} by their timestamps; these events "
          + "start at {} and will be deleted soon (set retention.ms=-1 on the topic to keep them)", topic,
          retentionMs, summary.first());
    }
  }

  private EventProducer.Result send(Events<?> events, Map<String, Object> client, CliEnvironment env)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "streamcast-produce-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean paced = events.replay().pacing().mode() != Replay.Pacing.Mode.AS_FAST_AS_POSSIBLE;
    try (EventProducer producer = new EventProducer(client, paced);
         Progress progress = Progress.start("produce " + topic, "rec", events.replay().size(), env.terminal(),
             System.err, LOG)) {
      return events.sendWith(producer, topic, progress::stepTo, stop::get);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running and has been released above
      }
    }
  }

  private void printSummary(EventProducer.Result result, Replay.Summary summary, String bootstrap) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s %,d of %,d records (%d %s) to %s at %s%n",
        result.stopped() ? "stopped after producing" : "produced", result.sent(), summary.records(), summary.keys(),
        summary.keys() == 1 ? "key" : "keys", topic, bootstrap);
    if (summary.records() > 0) {
      out.printf(Locale.ROOT, "event time %s .. %s%n", summary.first(), summary.last());
    }
    out.printf(Locale.ROOT, "%.2f s, %,.0f records/s%n", result.elapsed().toNanos() / 1e9, result.rate());
    out.flush();
  }

  private static Duration roundToSeconds(Duration d) {
    return Duration.ofSeconds(Math.max(1, Math.round(d.toMillis() / 1000.0)));
  }
}
