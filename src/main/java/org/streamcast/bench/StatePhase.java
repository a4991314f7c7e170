package org.streamcast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.streamcast.config.PipelineSpec;
import org.streamcast.serving.ServingState;
import org.streamcast.topology.PipelineTopology;

/**
 * State at scale: the pipeline builds the state of {@link BenchPlan#restoreKeys()} keys ({@link
 * BenchPlan#restoreSteps()} steps each), is stopped, loses its local state directory, and is started again: it
 * restores every store from its changelog before it is RUNNING. Measured: the key-state store's size on disk (after
 * the build and after the restore, each with the application closed, so RocksDB has flushed), its changelog's size on
 * the broker, the records restored, the restore time (first store starting to restore to the last one done) and the
 * time from the restart to RUNNING; the keys are counted in the store (interactive queries) before and after.
 */
final class StatePhase {
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The results.
   *
   * @param keysBuilt            keys in the store after the build
   * @param keysRestored         keys in the store after the restore with a hidden state of the model's size
   * @param warmKeysRestored     restored keys holding a forecast
   * @param buildRecordsPerSecond input records per second while building (informational: many more keys)
   * @param storeBytesBuilt      the key-state store on disk after the build
   * @param storeBytesRestored   the key-state store on disk after the restore
   * @param changelogBytes       the key-state changelog on the broker
   * @param recordsRestored      changelog records restored, by store (in the order the stores finished)
   * @param restoreSeconds       from the first store starting to restore to the last one done
   * @param restartSeconds       from creating the application to RUNNING
   * @param memory               the process's memory with the restored application open
   */
  record Result(long keysBuilt, long keysRestored, long warmKeysRestored, double buildRecordsPerSecond,
      long storeBytesBuilt, long storeBytesRestored, long changelogBytes, Map<String, Long> recordsRestored,
      double restoreSeconds, double restartSeconds, ProcessMemory memory) {}

  private final BenchEnv env;

  StatePhase(BenchEnv env) {
    this.env = env;
  }

  Result run() throws InterruptedException {
    BenchPlan plan = env.plan;
    int keys = plan.restoreKeys();
    int events = keys * plan.restoreSteps();
    Workload workload = new Workload(keys, plan.partitions(), BenchRunner.SEED);
    String name = env.name("state");
    String input = name + ".events";
    PipelineSpec spec = env.spec(name, input);
    var settings = env.settings(name);
    String applicationId = settings.applicationId(name);
    String keyStateChangelog = applicationId + "-" + PipelineTopology.KEY_STATE_STORE + "-changelog";

    env.probe.createTopic(input, plan.partitions());
    env.listener.started(String.format(Locale.ROOT, "state: produce %,d events (%,d keys)", events, keys), events,
        "ev");
    try (EventSender sender = new EventSender(env.base.clientProperties(), false)) {
      sender.send(input, workload, 0, events, 0, null, env.listener::progressed, env.cancelled);
    } finally {
      env.listener.finished();
    }

    long keysBuilt;
    double buildRate;
    try (BenchApp.Streams app = BenchApp.pipelineStreams(spec, settings, env.model, null)) {
      long running = app.awaitRunning(BenchEnv.timeoutFor(0), env.cancelled);
      env.listener.started(String.format(Locale.ROOT, "state: build %,d keys", keys), events, "rec");
      long done;
      try {
        done = env.probe.awaitCommitted(applicationId, List.of(input), app.internalSources(), env.transactional(),
            BenchEnv.timeoutFor(events), env.listener::progressed, app::failure, env.cancelled);
      } finally {
        env.listener.finished();
      }
      buildRate = events / ((done - running) / 1e9);
      keysBuilt = countKeys(app.streams())[0];
    }
    Path stateDir = settings.stateDir();
    long storeBytesBuilt = storeBytes(stateDir, applicationId);
    long changelogBytes = env.probe.logBytes(t -> t.equals(keyStateChangelog));
    long changelogRecords = 0;
    for (var e : env.probe.endOffsets(changelogPartitions(applicationId)).entrySet()) {
      changelogRecords += e.getValue();
    }
    BenchEnv.deleteRecursively(stateDir);

    Restores restores = new Restores();
    double restartSeconds;
    long[] counts;
    ProcessMemory memory;
    long started = System.nanoTime();
    env.listener.started(String.format(Locale.ROOT, "state: restore %,d keys", keys), changelogRecords, "rec");
    try (BenchApp.Streams app = BenchApp.pipelineStreams(spec, settings, env.model, restores)) {
      long running;
      try {
        running = app.awaitRunning(BenchEnv.timeoutFor(changelogRecords), env.cancelled);
      } finally {
        env.listener.finished();
      }
      restartSeconds = (running - started) / 1e9;
      counts = countKeys(app.streams());
      memory = ProcessMemory.sample();
    }
    long storeBytesRestored = storeBytes(stateDir, applicationId);
    env.cleanUp(name);
    return new Result(keysBuilt, counts[1], counts[2], buildRate, storeBytesBuilt, storeBytesRestored, changelogBytes,
        restores.byStore(), restores.seconds(),
        restartSeconds, memory);
  }

  private List<TopicPartition> changelogPartitions(String applicationId) {
    List<TopicPartition> out = new java.util.ArrayList<>();
    for (String t : env.probe.topics(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))) {
      out.addAll(env.probe.partitions(t));
    }
    return out;
  }

  /** Keys in the key-state store: all, those with a hidden state of the model's size, those with a forecast. */
  private long[] countKeys(KafkaStreams streams) throws InterruptedException {
    long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
    while (true) {
      try {
        ReadOnlyKeyValueStore<String, ServingState> store = streams.store(StoreQueryParameters.fromNameAndType(
            PipelineTopology.KEY_STATE_STORE, QueryableStoreTypes.<String, ServingState>keyValueStore()));
        long all = 0;
        long hidden = 0;
        long warm = 0;
        try (KeyValueIterator<String, ServingState> it = store.all()) {
          while (it.hasNext()) {
            KeyValue<String, ServingState> kv = it.next();
            all++;
            if (kv.value.corruption() == null && kv.value.model().hidden().length == env.model.stateSize()) {
              hidden++;
            }
            if (kv.value.corruption() == null && kv.value.isWarm()) {
              warm++;
            }
          }
        }
        return new long[] {all, hidden, warm};
      } catch (InvalidStateStoreException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the key-state store could not be queried: " + e.getMessage(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The key-state store of every task of the application under {@code stateDir}. */
  private static long storeBytes(Path stateDir, String applicationId) {
    Path app = stateDir.resolve(applicationId);
    if (!Files.isDirectory(app)) {
      return 0;
    }
    try (Stream<Path> tasks = Files.list(app)) {
      return tasks.mapToLong(t -> BenchEnv.sizeOf(t.resolve("rocksdb").resolve(PipelineTopology.KEY_STATE_STORE)))
          .sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + app + ": " + e.getMessage(), e);
    }
  }

  /** Times the restoration and counts the records restored, per store and in all. */
  private final class Restores implements StateRestoreListener {
    private final Map<String, Long> byStore = new LinkedHashMap<>();
    private long all;
    private long firstStart;
    private long lastEnd;

    synchronized double seconds() {
      return (lastEnd - firstStart) / 1e9;
    }

    synchronized Map<String, Long> byStore() {
      return new LinkedHashMap<>(byStore);
    }

    @Override
    public synchronized void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
      long now = System.nanoTime();
      if (firstStart == 0) {
        firstStart = now;
      }
      lastEnd = Math.max(lastEnd, now);
    }

    @Override
    public synchronized void onBatchRestored(TopicPartition partition, String store, long batchEndOffset,
        long restored) {
      all += restored;
      byStore.merge(store, restored, Long::sum);
      env.listener.progressed(all);
    }

    @Override
    public synchronized void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      byStore.putIfAbsent(store, 0L);
      lastEnd = Math.max(lastEnd, System.nanoTime());
    }
  }
}
