package org.streamcast.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.PipelineObserver;

/**
 * The pipeline's production exception handler: a record too large to send (for the producer's
 * {@code max.request.size} or the broker's {@code message.max.bytes}) does not stop the client (Kafka's default
 * fails it, and under exactly-once the input record that made it is read again at every restart: a crash loop).
 * Instead the input record that made it goes to the dead-letter topic with reason {@code too-large}, cut to at most
 * {@value #MAX_COPY_BYTES_CONFIG} bytes of key and value ({@code input.maxRecordBytes}, and at most half the
 * producer's {@code max.request.size}) with its original size in {@value DeadLetterProcessor#ORIGINAL_SIZE},
 * is counted, and processing goes on. Every other send error keeps Kafka's behaviour (fail).
 *
 * <p>Configured through the Streams properties ({@link StreamsSettings}): {@value #PIPELINE}, {@value #TOPIC},
 * {@value #MAX_COPY_BYTES_CONFIG} and, optionally, {@value #OBSERVER} (a {@link PipelineObserver} that counts).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  /** Property: the pipeline's name. */
  public static final String PIPELINE = "streamcast.pipeline";
  /** Property: the dead-letter topic. */
  public static final String TOPIC = "streamcast.dlq.topic";
  /** Property: the most bytes of key and value a dead-letter copy keeps. */
  public static final String MAX_COPY_BYTES_CONFIG = "streamcast.dlq.max.copy.bytes";
  /** Property: the {@link PipelineObserver} object that counts dead letters. */
  public static final String OBSERVER = "streamcast.observer";
  /** The default most bytes of key and value a copy keeps. */
  public static final int MAX_COPY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private String pipeline = "";
  private String topic;
  private int maxCopyBytes = MAX_COPY_BYTES;
  private PipelineObserver observer = PipelineObserver.NONE;

  @Override
  public void configure(Map<String, ?> configs) {
    Object p = configs.get(PIPELINE);
    pipeline = p == null ? "" : p.toString();
    Object t = configs.get(TOPIC);
    topic = t == null ? null : t.toString();
    Object max = configs.get(MAX_COPY_BYTES_CONFIG);
    if (max != null) {
      maxCopyBytes = Integer.parseInt(max.toString());
    }
    // The copy must itself be sendable: at most half the producer's request limit, whatever the spec allows.
    Object request = configs.get("producer.max.request.size");
    if (request == null) {
      request = configs.get("max.request.size");
    }
    if (request != null) {
      maxCopyBytes = Math.min(maxCopyBytes, Integer.parseInt(request.toString().strip()) / 2);
    }
    if (configs.get(OBSERVER) instanceof PipelineObserver o) {
      observer = o;
    }
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
      Exception exception) {
    boolean tooLarge = exception instanceof RecordTooLargeException
        || exception instanceof RecordBatchTooLargeException;
    if (!tooLarge || topic == null) {
      return Response.fail();
    }
    int size = length(record.key()) + length(record.value());
    if (topic.equals(record.topic())) {
      // A dead letter that cannot be sent: never loop on it. Counted, so the loss is visible.
      LOG.warn("pipeline {}: a dead letter of {} bytes from {}-{}@{} is too large to send, dropped: {}", pipeline, size,
          context.topic(), context.partition(), context.offset(), exception.getMessage());
      observer.deadLettered(DeadLetterReason.TOO_LARGE);
      return Response.resume();
    }
    if (record.topic().endsWith("-changelog")) {
      // A store's write, flushed at a commit with no input record to dead-letter: dropping it would lose the key's
      // state without a trace. The spec's bound on a key's state (StreamsSettings) keeps this from happening.
      LOG.error("pipeline {}: a state record of {} bytes for {} is too large to send; the pipeline stops: {}",
          pipeline, size, record.topic(), exception.getMessage());
      return Response.fail();
    }
    // The input that made the record: a repartition record carries it (with its coordinates); else the task's
    // source record when Kafka gives it; else the record itself.
    SourceRecord source = repartitioned(record);
    boolean raw = context.sourceRawKey() != null || context.sourceRawValue() != null;
    byte[] key = source != null ? source.key() : raw ? context.sourceRawKey() : record.key();
    byte[] value = source != null ? source.value() : raw ? context.sourceRawValue() : record.value();
    String fromTopic = source != null ? source.topic() : String.valueOf(context.topic());
    int fromPartition = source != null ? source.partition() : context.partition();
    long fromOffset = source != null ? source.offset() : context.offset();
    int original = length(key) + length(value);
    Headers headers = new RecordHeaders();
    key = DeadLetterProcessor.cut(key, maxCopyBytes);
    value = DeadLetterProcessor.cut(value, maxCopyBytes - length(key));
    if (length(key) + length(value) < original) {
      put(headers, DeadLetterProcessor.ORIGINAL_SIZE, Integer.toString(original));
    }
    put(headers, DeadLetterProcessor.REASON, DeadLetterReason.TOO_LARGE.wireName());
    put(headers, DeadLetterProcessor.DETAIL, "a record of " + size + " bytes for topic " + record.topic()
        + " could not be sent: " + EventParser.clean(String.valueOf(exception.getMessage())));
    put(headers, DeadLetterProcessor.TOPIC, fromTopic);
    put(headers, DeadLetterProcessor.PARTITION, Integer.toString(fromPartition));
    put(headers, DeadLetterProcessor.OFFSET, Long.toString(fromOffset));
    put(headers, DeadLetterProcessor.PIPELINE, pipeline);
    LOG.warn("pipeline {}: the record from {}-{}@{} made a record of {} bytes for {} that is too large to send; "
        + "dead-lettered", pipeline, fromTopic, fromPartition, fromOffset, size, record.topic());
    observer.deadLettered(DeadLetterReason.TOO_LARGE);
    return Response.resume(List.of(new ProducerRecord<>(topic, null, record.timestamp(), key, value, headers)));
  }

  /** The input record a repartition record of accepted events carries, or null for any other record. */
  private static SourceRecord repartitioned(ProducerRecord<byte[], byte[]> record) {
    if (!record.topic().endsWith("-" + PipelineTopology.REPARTITION + "-repartition")) {
      return null;
    }
    try {
      return ((Routed.Accepted) TopologySerdes.acceptedBinary().deserializer().deserialize(record.topic(),
          record.value())).source();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
