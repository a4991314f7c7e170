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
import org.streamcast.domain.Step;

/**
 * Builds the topology of one pipeline from its spec. A pure function: no I/O, no clocks, the same spec gives the
 * same {@link Topology#describe()} (kept in {@code topologies/<name>.topology.txt} and checked by a test).
 *
 * <pre>
 * input ─ parse-events ─┬─ (rejected) ─ dead-letter-rejected ─ dlq
 *                       └─ (accepted) ─ [events-by-key repartition if the key is a JSON field]
 *                                      ─ resample (windows, close index, clock stores) ─┬─ (late/skew) ─ dlq
 *                                                                                       └─ (steps) ─ series
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
  /** Store: index of open windows by (end, key), to find the windows that close. */
  public static final String CLOSE_INDEX_STORE = "resample-close-index";
  /** Store: the task's stream time. */
  public static final String CLOCK_STORE = "resample-clock";

  private PipelineTopology() {}

  /** Builds the topology of {@code spec}; {@code observer} receives its countable events. */
  public static Topology build(PipelineSpec spec, PipelineObserver observer) {
    StreamsBuilder builder = new StreamsBuilder();
    EventParser parser = new EventParser(spec.input());
    String dlq = spec.output().deadLetters();

    KStream<String, Routed> parsed = builder
        .stream(spec.input().topic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
        .process(() -> new ParseProcessor(parser, observer), Named.as(PARSE));
    Map<String, KStream<String, Routed>> parseRoutes = parsed.split(Named.as("parsed-"))
        .branch((k, v) -> v instanceof Routed.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("accepted"));
    deadLetters(parseRoutes.get("parsed-rejected"), "rejected", spec.name(), dlq, observer);

    KStream<String, Routed> accepted = parseRoutes.get("parsed-accepted");
    if (spec.input().keyField() != null) {
      accepted = accepted.repartition(
          Repartitioned.with(Serdes.String(), TopologySerdes.acceptedBinary()).withName(REPARTITION));
    }
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(WINDOWS_STORE), Serdes.String(), OpenWindows.BinarySerde.serde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CLOSE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CLOCK_STORE), Serdes.String(), Serdes.Long()));
    KStream<String, Routed> resampled = accepted.process(
        () -> new ResampleProcessor(spec.window(), observer, WINDOWS_STORE, CLOSE_INDEX_STORE, CLOCK_STORE),
        Named.as(RESAMPLE), WINDOWS_STORE, CLOSE_INDEX_STORE, CLOCK_STORE);
    Map<String, KStream<String, Routed>> resampleRoutes = resampled.split(Named.as("resampled-"))
        .branch((k, v) -> v instanceof Routed.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("steps"));
    deadLetters(resampleRoutes.get("resampled-rejected"), "late", spec.name(), dlq, observer);

    KStream<String, Step> steps = resampleRoutes.get("resampled-steps")
        .mapValues(v -> ((Routed.Closed) v).step(), Named.as("steps"));
    steps.to(spec.output().series(),
        Produced.with(Serdes.String(), TopologySerdes.stepJson()).withName("series-sink"));
    return builder.build();
  }

  private static void deadLetters(KStream<String, Routed> rejected, String name, String pipeline, String topic,
      PipelineObserver observer) {
    rejected
        .process(() -> new DeadLetterProcessor(pipeline, observer), Named.as("dead-letter-" + name))
        .to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq-" + name + "-sink"));
  }
}
