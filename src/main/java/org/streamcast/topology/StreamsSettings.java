package org.streamcast.topology;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.domain.PipelineObserver;

/**
 * The Kafka Streams configuration of a pipeline: the tuning measured in BENCHMARKS.md, explicit internal names
 * enforced, and Kafka's own error paths dead-lettering with the pipeline's headers and counters
 * ({@link DeadLetterHandlers}: an unexpected processing error, an undecodable repartition record); then the resolved
 * runtime settings
 * (bootstrap, application id, state dir, guarantee, pass-through client properties), which win.
 */
public final class StreamsSettings {
  private StreamsSettings() {}

  /** Streams properties of {@code spec} under {@code runtime}. */
  public static Properties of(PipelineSpec spec, RuntimeSettings runtime) {
    return of(spec, runtime.streamsProperties(spec.name()));
  }

  /** Streams properties of {@code spec}: defaults, then {@code settings} (which win). */
  public static Properties of(PipelineSpec spec, Map<String, Object> settings) {
    Properties p = new Properties();
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, spec.output().deadLetters());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class.getName());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Deserialization.class.getName());
    p.put(DeadLetterHandlers.PIPELINE, spec.name());
    p.put("processing.exception.handler.global.enabled", true);
    // A record too large to send goes to the dead-letter topic instead of stopping the client (a crash loop under
    // exactly-once, where the same input is read again at every restart).
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
    p.put(DeadLetterProductionHandler.PIPELINE, spec.name());
    p.put(DeadLetterProductionHandler.TOPIC, spec.output().deadLetters());
    p.put(DeadLetterProductionHandler.MAX_COPY_BYTES_CONFIG, spec.input().maxRecordBytes());
    p.put(StreamsConfig.consumerPrefix("max.poll.records"), 5000);
    // The stores are cached (PipelineTopology): a cache that holds every active key's state (about 14 KB per key at
    // horizon 12, most of it the live-quality windows) serves it from memory instead of RocksDB and sends each key's
    // changelog record once per commit. 256 MiB holds 10,000 such keys (BENCHMARKS.md, "End to end"); it is an upper
    // bound shared by the instance's stream threads, filled only as keys arrive. Lower it in the spec's streams
    // settings for a small heap.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 256L * 1024 * 1024);
    // Changelogs, repartition and outputs in lz4 batches: 2.5-3x fewer bytes to the broker (BENCHMARKS.md).
    p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
    p.putAll(settings);
    checkRequestSize(spec, p);
    checkKeyStateSize(spec, p);
    return p;
  }

  /** {@code props} with {@code observer} to count what Kafka Streams' own error paths dead-letter. */
  public static Properties observed(Properties props, PipelineObserver observer) {
    Properties p = new Properties();
    p.putAll(props);
    p.put(DeadLetterHandlers.OBSERVER, observer);
    return p;
  }

  /**
   * The largest record the pipeline can write for one input record: a repartition record carries the accepted
   * input (key, value and headers: at most {@code input.maxRecordBytes}) and the series key (at most
   * {@code input.maxKeyBytes}) as its value, the series key again as its key, and a few dozen bytes of coordinates
   * (the source topic name is at most 249 bytes); a dead-letter copy is at most the input limits plus its headers.
   * 2 KiB covers those and the producer's record and batch overhead.
   */
  public static long largestRecord(PipelineSpec.Input input) {
    return (long) input.maxRecordBytes() + 2L * input.maxKeyBytes() + 2048;
  }

  /**
   * Under exactly-once a send that fails, even for a record the production exception handler would dead-letter, puts
   * the transactional producer in an error state and aborts the transaction: the input record is read again at the
   * next attempt. So the producer's request size must hold the largest record the input limits allow; under
   * at-least-once {@link DeadLetterProductionHandler} dead-letters what does not fit.
   */
  /** The broker's default {@code message.max.bytes}, which topics Kafka Streams creates inherit. */
  static final long BROKER_MESSAGE_BYTES = 1024 * 1024 + 12;

  /**
   * A key's state is one changelog record, sent at a commit, where no dead-letter path exists: a state larger than
   * the producer's request size or the changelog topic's message size stops the pipeline, and at every restart
   * again. So the spec's largest state ({@link KeyStateSerde#maxBytes}) must fit both, whatever the guarantee.
   */
  private static void checkKeyStateSize(PipelineSpec spec, Properties p) {
    long request = size(p, StreamsConfig.producerPrefix("max.request.size"), "max.request.size", 1024 * 1024);
    long topic = size(p, StreamsConfig.topicPrefix("max.message.bytes"), null, BROKER_MESSAGE_BYTES);
    long limit = Math.min(request, topic);
    long needed = KeyStateSerde.maxBytes(spec) + spec.input().maxKeyBytes() + 2048;
    if (needed > limit) {
      PipelineSpec.Model m = spec.model();
      throw SpecException.of(spec.name(), "model.context", m.context() + " with the longest seasonal lag ("
          + m.historyCapacity() + " steps of history), " + spec.input().valueFields().size() + " value fields, "
          + "horizon " + m.horizon() + " and " + spec.intervals().size() + " interval levels makes a key's state up to "
          + needed + " bytes, more than the " + limit + " a record may have here (producer max.request.size "
          + request + ", changelog max.message.bytes " + topic + "): shorten model.context or the seasonal lags, use "
          + "fewer value fields or a shorter horizon, or raise both limits");
    }
  }

  /** A byte size from {@code name} (or {@code fallback} when not null), else {@code otherwise} (also unparsable). */
  private static long size(Properties p, String name, String fallback, long otherwise) {
    Object configured = p.get(name);
    if (configured == null && fallback != null) {
      configured = p.get(fallback);
    }
    try {
      return configured == null ? otherwise : Long.parseLong(configured.toString().strip());
    } catch (NumberFormatException e) {
      return otherwise; // Kafka names the bad value itself
    }
  }

  private static void checkRequestSize(PipelineSpec spec, Properties p) {
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)))) {
      return;
    }
    Object configured = p.get(StreamsConfig.producerPrefix("max.request.size"));
    if (configured == null) {
      configured = p.get("max.request.size");
    }
    long request;
    try {
      request = configured == null ? 1024 * 1024 : Long.parseLong(configured.toString().strip());
    } catch (NumberFormatException e) {
      return; // Kafka names the bad value itself
    }
    long needed = largestRecord(spec.input());
    if (request < needed) {
      throw SpecException.of(spec.name(), "input.maxRecordBytes", spec.input().maxRecordBytes() + " (with "
          + "input.maxKeyBytes " + spec.input().maxKeyBytes() + ") needs a producer max.request.size of at least "
          + needed + " bytes under exactly-once, but it is " + request + " (lower the limits or raise "
          + "producer.max.request.size)");
    }
  }
}
