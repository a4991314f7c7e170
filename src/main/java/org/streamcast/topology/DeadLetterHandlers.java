package org.streamcast.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.PipelineObserver;

/**
 * Kafka Streams' own error paths, made to dead-letter like the pipeline's processors do: the record goes to the
 * dead-letter topic with the {@code streamcast.dlq.*} headers (reason {@code processing-error}, a one-line detail,
 * where it was read, the pipeline), is counted by the pipeline's observer, logged with its coordinates (the stack
 * trace in the log, not in the record), and processing goes on. {@link Processing} handles an exception a processor
 * did not handle itself; {@link Deserialization} a record of the pipeline's own repartition topic that cannot be
 * decoded, which would otherwise stop the client at every restart.
 */
public final class DeadLetterHandlers {
  /** Streams property: the pipeline's name, for the dead letters' header. */
  public static final String PIPELINE = "streamcast.pipeline";
  /** Streams property: the {@link PipelineObserver} that counts the dead letters (an object, not a string). */
  public static final String OBSERVER = "streamcast.observer";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** What both handlers are configured with. */
  private abstract static class Base {
    String topic;
    String pipeline = "";
    PipelineObserver observer = PipelineObserver.NONE;

    void configure(Map<String, ?> configs) {
      Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
      topic = t == null ? null : t.toString();
      Object p = configs.get(PIPELINE);
      pipeline = p == null ? "" : p.toString();
      if (configs.get(OBSERVER) instanceof PipelineObserver o) {
        observer = o;
      }
    }

    /** The dead letter, or none when no dead-letter topic is configured; counts it either way. */
    List<ProducerRecord<byte[], byte[]>> deadLetter(byte[] key, byte[] value, Headers from, String detail,
        String sourceTopic, int partition, long offset) {
      observer.deadLettered(DeadLetterReason.PROCESSING_ERROR);
      if (topic == null) {
        return List.of();
      }
      Headers headers = new RecordHeaders();
      if (from != null) {
        from.forEach(h -> {
          if (!h.key().startsWith("streamcast.dlq.")) {
            headers.add(h);
          }
        });
      }
      put(headers, DeadLetterProcessor.REASON, DeadLetterReason.PROCESSING_ERROR.wireName());
      put(headers, DeadLetterProcessor.DETAIL, detail);
      put(headers, DeadLetterProcessor.TOPIC, String.valueOf(sourceTopic));
      put(headers, DeadLetterProcessor.PARTITION, Integer.toString(partition));
      put(headers, DeadLetterProcessor.OFFSET, Long.toString(offset));
      put(headers, DeadLetterProcessor.PIPELINE, pipeline);
      return List.of(new ProducerRecord<>(topic, null, null, key, value, headers));
    }
  }

  /**
   * For an exception thrown while a processor handled a record. A record read from the repartition topic is
   * dead-lettered as the input event it carries (its original bytes and coordinates), any other as read.
   */
  public static final class Processing extends Base implements ProcessingExceptionHandler {
    @Override
    public void configure(Map<String, ?> configs) {
      super.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      String detail = oneLine("processing failed at " + context.processorNodeId() + ": " + exception);
      LOG.warn("pipeline {} task {}: {} (record {}-{}@{}); the record is dead-lettered", pipeline,
          context.taskId(), detail, context.topic(), context.partition(), context.offset(), exception);
      SourceRecord original = original(context);
      if (original != null) {
        return Response.resume(deadLetter(original.key(), original.value(), context.headers(), detail,
            original.topic(), original.partition(), original.offset()));
      }
      return Response.resume(deadLetter(context.sourceRawKey(), context.sourceRawValue(), context.headers(), detail,
          context.topic(), context.partition(), context.offset()));
    }

    /** The input event inside a repartition record, or null when the record is not one (or not readable). */
    private static SourceRecord original(ErrorHandlerContext context) {
      String t = context.topic();
      if (t == null || !t.endsWith("-" + PipelineTopology.REPARTITION + "-repartition")
          || context.sourceRawValue() == null) {
        return null;
      }
      try {
        Routed r = TopologySerdes.acceptedBinary().deserializer().deserialize(t, context.sourceRawValue());
        SourceRecord s = r instanceof Routed.Accepted a ? a.source() : null;
        return s != null && s.value() != null ? s : null;
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** For a record that cannot be deserialized (only the pipeline's own repartition topic has a decoding serde). */
  public static final class Deserialization extends Base implements DeserializationExceptionHandler {
    @Override
    public void configure(Map<String, ?> configs) {
      super.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
        Exception exception) {
      String detail = oneLine("record cannot be decoded: " + exception.getMessage());
      LOG.warn("pipeline {} task {}: {} (record {}-{}@{}); the record is dead-lettered", pipeline,
          context.taskId(), detail, record.topic(), record.partition(), record.offset());
      return Response.resume(deadLetter(record.key(), record.value(), record.headers(), detail, record.topic(),
          record.partition(), record.offset()));
    }
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code s} on one line and at most 500 characters, for a header or a log line. */
  static String oneLine(String s) {
    String line = s.replaceAll("[\\r\\n\\t]+", " ");
    return line.length() <= 500 ? line : line.substring(0, 500) + "...";
  }
}
