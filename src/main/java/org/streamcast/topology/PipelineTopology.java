package org.streamcast.topology;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.kafka.StepSerde;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelHolder;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.quality.Intervals;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;

/**
 * Builds the topology of one pipeline from its spec. A pure function: no I/O, no clocks, the same spec gives the
 * same {@link Topology#describe()} (kept in {@code topologies/<name>.topology.txt} and checked by a test).
 *
 * <pre>
 * input ─ parse-events ─┬─ (rejected) ─ dead-letter-rejected ─ dlq
 *                       └─ (accepted) ─ [events-by-key repartition if the key is a JSON field]
 *                          ─ resample (windows, clock stores) ─┬─ (late/skew) ─ dlq
 *                                                              └─ (steps) ─┬─ series
 *                                                                          └─ forecast (key state) ─┬─ forecasts
 *                                                                                                   ├─ (anomalies) ─ anomalies
 *                                                                                                   └─ (failed) ─ dlq
 * </pre>
 */
public final class PipelineTopology {
  /** Source node of the input topic. */
  public static final String SOURCE = "events-source";
  /** Parses and validates events. */
  public static final String PARSE = "parse-events";
  /** Repartition of accepted events by series key (only when the key comes from a JSON field). */
  public static final String REPARTITION = "events-by-key";
  /** Tumbling-window resampling. */
  public static final String RESAMPLE = "resample";
  /** Store: each key's open windows. */
  public static final String WINDOWS_STORE = "resample-windows";
  /** Store: the task's stream time. */
  public static final String CLOCK_STORE = "resample-clock";
  /** Advances each key's model state and forecasts. */
  public static final String FORECAST = "forecast";
  /** Store: each key's {@link ServingState} (its model part and its quality part). */
  public static final String KEY_STATE_STORE = "forecast-key-state";
  /** Store: the task's key counts, kept as the key states change ({@link KeyLedger}). */
  public static final String KEY_COUNTS_STORE = "forecast-key-counts";
  /** Store: when each key last stepped, coarsely: the index the key-expiry sweep walks ({@link KeyLedger}). */
  public static final String KEY_SEEN_STORE = "forecast-key-seen";

  /** Takes the anomaly out of its routed record. */
  public static final String ANOMALY_VALUES = "anomaly-values";
  /** Sink of the anomalies topic (only when {@code output.anomalies} is on). */
  public static final String ANOMALIES_SINK = "anomalies-sink";

  private PipelineTopology() {}

  /** Builds the topology of {@code spec} serving its baseline model; see {@link #build(PipelineSpec, ModelHolder,
   * PipelineObserver)}. */
  public static Topology build(PipelineSpec spec, PipelineObserver observer) {
    return build(spec, new ModelHolder(baseline(spec)), observer);
  }

  /** Builds the topology of {@code spec} with its own quality windows; see {@link #build(PipelineSpec, ModelHolder,
   * PipelineScores, PipelineObserver)}. */
  public static Topology build(PipelineSpec spec, ModelHolder models, PipelineObserver observer) {
    return build(spec, models, quality(spec), observer);
  }

  /**
   * Builds the topology of {@code spec}; {@code models} gives the model to serve at each record (swapped by the
   * registry), {@code quality} collects the live scores of every key (and gives the pipeline's intervals),
   * {@code observer} receives the countable events.
   */
  public static Topology build(PipelineSpec spec, ModelHolder models, PipelineScores quality,
      PipelineObserver observer) {
    return build(spec, models, quality, observer, 0);
  }

  /**
   * {@link #build(PipelineSpec, ModelHolder, PipelineScores, PipelineObserver)} with the keyed state spread over
   * {@code statePartitions} partitions (the by-key repartition topic's count; 0: as many as the input topic has).
   * A pipeline that keys by a JSON field pins it to the count its state was built with: Kafka Streams refuses to start
   * when an existing repartition topic has fewer partitions than the input, so an input topic grown to scale out its
   * producers stopped the pipeline at every start.
   */
  public static Topology build(PipelineSpec spec, ModelHolder models, PipelineScores quality,
      PipelineObserver observer, int statePartitions) {
    return build(spec, models, quality, observer, statePartitions,
        DecodedStates.capacity(KeyStateSerde.maxBytes(spec), Runtime.getRuntime().maxMemory()));
  }

  /** {@link #build(PipelineSpec, ModelHolder, PipelineScores, PipelineObserver, int)} keeping at most {@code decoded}
   * keys' states decoded per task ({@link DecodedStates}). */
  static Topology build(PipelineSpec spec, ModelHolder models, PipelineScores quality, PipelineObserver observer,
      int statePartitions, int decoded) {
    StreamsBuilder builder = new StreamsBuilder();
    EventParser parser = new EventParser(spec.input());

    KStream<String, Routed> parsed = builder
        .stream(spec.input().topic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
            .withTimestampExtractor(new RecordTimestamps()).withName(SOURCE))
        .process(() -> new ParseProcessor(parser), Named.as(PARSE));
    Map<String, KStream<String, Routed>> parseRoutes = parsed.split(Named.as("parsed-"))
        .branch((k, v) -> v instanceof Routed.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("accepted"));
    deadLetters(parseRoutes.get("parsed-rejected"), "rejected", spec, observer);

    KStream<String, Routed> accepted = parseRoutes.get("parsed-accepted");
    if (spec.input().keyField() != null) {
      Repartitioned<String, Routed> byKey = Repartitioned.with(Serdes.String(), TopologySerdes.acceptedBinary())
          .withName(REPARTITION);
      accepted = accepted.repartition(statePartitions > 0 ? byKey.withNumberOfPartitions(statePartitions) : byKey);
    }
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(WINDOWS_STORE), Serdes.String(), OpenWindows.BinarySerde.serde()).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CLOCK_STORE), Serdes.String(), clockSerde(observer)).withCachingEnabled());
    KStream<String, Routed> resampled = accepted.process(
        () -> new ResampleProcessor(spec.window(), spec.input().fieldOrder(), spec.input().timeField(), observer,
            WINDOWS_STORE, CLOCK_STORE, spec.state().keyIdleTimeout()),
        Named.as(RESAMPLE), WINDOWS_STORE, CLOCK_STORE);
    Map<String, KStream<String, Routed>> resampleRoutes = resampled.split(Named.as("resampled-"))
        .branch((k, v) -> v instanceof Routed.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("steps"));
    deadLetters(resampleRoutes.get("resampled-rejected"), "late", spec, observer);

    KStream<String, Routed> closed = resampleRoutes.get("resampled-steps");
    closed.mapValues(v -> ((Routed.Closed) v).step(), Named.as("steps")).to(spec.output().series(),
        Produced.with(Serdes.String(), StepSerde.json(spec.input().covariates())).withName("series-sink"));

    int capacity = historyCapacity(spec);
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(KEY_STATE_STORE), Serdes.String(), KeyStateSerde.serde(capacity)).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(KEY_COUNTS_STORE), Serdes.String(), KeyLedger.countsSerde())
        .withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(KEY_SEEN_STORE), Serdes.String(), KeyLedger.seenSerde()).withCachingEnabled());
    long stepMs = spec.window().step().toMillis();
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), stepMs);
    java.util.Set<String> watch = java.util.Set.copyOf(spec.watch());
    KStream<String, Routed> served = closed.processValues(
        () -> new ForecastProcessor(spec.name(), spec.input(), models, servingStep(spec, stepper, quality), capacity,
            KEY_STATE_STORE, decoded, observer, watch,
            new KeyLedger(spec.name(), observer, stepMs, spec.state().keyIdleTimeout())),
        Named.as(FORECAST), KEY_STATE_STORE, KEY_COUNTS_STORE, KEY_SEEN_STORE);
    var routes = served.split(Named.as("served-"))
        .branch((k, v) -> v instanceof Routed.Rejected, Branched.as("failed"));
    if (spec.output().anomalies() != null) {
      routes = routes.branch((k, v) -> v instanceof Routed.Flagged, Branched.as("anomalies"));
    }
    Map<String, KStream<String, Routed>> servedRoutes = routes.defaultBranch(Branched.as("forecasts"));
    deadLetters(servedRoutes.get("served-failed"), "failed", spec, observer);
    if (spec.output().anomalies() != null) {
      servedRoutes.get("served-anomalies")
          .mapValues(v -> ((Routed.Flagged) v).anomaly(), Named.as(ANOMALY_VALUES))
          .to(spec.output().anomalies(),
              Produced.with(Serdes.String(), TopologySerdes.anomalyJson()).withName(ANOMALIES_SINK));
    }
    servedRoutes.get("served-forecasts")
        .mapValues(v -> ((Routed.Published) v).forecast(), Named.as("forecast-values"))
        .to(spec.output().forecasts(),
            Produced.with(Serdes.String(), TopologySerdes.forecastJson()).withName("forecasts-sink"));
    return builder.build();
  }

  /**
   * The serving step of {@code spec}'s keys (one per stream task: it holds scratch space), recording into the
   * pipeline's {@code quality}; the backtest builds the same.
   */
  public static ServingStep servingStep(PipelineSpec spec, KeyStepper stepper, PipelineScores quality) {
    return new ServingStep(spec.name(), stepper, spec.window().step().toMillis(), quality, Intervals.DEFAULT_RATE,
        anomalies(spec));
  }

  /**
   * The anomaly settings the serving step applies: the spec's when it has an anomalies topic; none (no check, no
   * clipping, nothing counted) when {@code output.anomalies} is off.
   */
  public static PipelineSpec.Anomalies anomalies(PipelineSpec spec) {
    return spec.output().anomalies() == null ? null : spec.anomalies();
  }

  /** Empty live-quality windows for {@code spec}: its horizon's scored horizons and its interval levels. */
  public static PipelineScores quality(PipelineSpec spec) {
    return new PipelineScores(ScoredHorizons.of(spec.model().horizon()), spec.intervals());
  }

  /** Values of history each key keeps: the context plus the longest seasonal lag (and at least the baseline's season). */
  public static int historyCapacity(PipelineSpec spec) {
    return spec.model().historyCapacity();
  }

  /** The model served until a trained one exists: seasonal naive with the longest seasonal lag (naive without). */
  public static SeasonalNaiveForecaster baseline(PipelineSpec spec) {
    return SeasonalNaiveForecaster.baseline(spec.model().seasonalLags(), spec.model().horizon());
  }

  /**
   * The stream-time clock's values: longs, but an entry that is not 8 bytes (garbage in the changelog) reads as
   * absent, counted and logged, so the task starts instead of failing at every restart; stream time then restarts
   * from the next event.
   */
  static org.apache.kafka.common.serialization.Serde<Long> clockSerde(PipelineObserver observer) {
    org.apache.kafka.common.serialization.Serde<Long> longs = Serdes.Long();
    return Serdes.serdeFrom(longs.serializer(), (topic, bytes) -> {
      if (bytes == null || bytes.length == Long.BYTES) {
        return longs.deserializer().deserialize(topic, bytes);
      }
      observer.stateEntryReset();
      org.slf4j.LoggerFactory.getLogger(PipelineTopology.class).warn(
          "stream time entry of {} bytes cannot be decoded; stream time restarts from the next event", bytes.length);
      return null;
    });
  }

  private static void deadLetters(KStream<String, Routed> rejected, String name, PipelineSpec spec,
      PipelineObserver observer) {
    PipelineSpec.Input input = spec.input();
    rejected
        .process(() -> new DeadLetterProcessor(spec.name(), observer, input.maxKeyBytes(), input.maxRecordBytes()),
            Named.as("dead-letter-" + name))
        .to(spec.output().deadLetters(),
            Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq-" + name + "-sink"));
  }
}
