package org.streamcast.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.streamcast.domain.PipelineObserver;

/**
 * Turns a rejection back into the original record, unchanged, with headers saying why and where it came from:
 * {@value #REASON}, {@value #DETAIL}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}, {@value #PIPELINE}.
 * A record refused for its size ({@code key-too-long}, {@code too-large}) is cut to the input limits instead: its key
 * to {@code input.maxKeyBytes}, its value to the rest of {@code input.maxRecordBytes}, its own headers dropped (they
 * may be what made it large), and {@value #ORIGINAL_SIZE} says how large it was. So the dead-letter topic never
 * holds more of one record than the pipeline accepts, and no copy is too large to send.
 */
final class DeadLetterProcessor implements Processor<String, Routed, byte[], byte[]> {
  /** Header: the reason's wire name, e.g. {@code bad-json} or {@code late}. */
  static final String REASON = "streamcast.dlq.reason";
  /** Header: a one-line detail naming the field and value. */
  static final String DETAIL = "streamcast.dlq.detail";
  /** Header: the topic the record was read from. */
  static final String TOPIC = "streamcast.dlq.topic";
  /** Header: the partition the record was read from. */
  static final String PARTITION = "streamcast.dlq.partition";
  /** Header: the offset the record was read from. */
  static final String OFFSET = "streamcast.dlq.offset";
  /** Header: the pipeline that rejected it. */
  static final String PIPELINE = "streamcast.dlq.pipeline";
  /** Header: the size of a record that was cut, key, value and headers, in bytes (absent when nothing was cut). */
  static final String ORIGINAL_SIZE = "streamcast.dlq.original-size";

  private final String pipeline;
  private final PipelineObserver observer;
  private final int maxKeyBytes;
  private final int maxRecordBytes;
  private ProcessorContext<byte[], byte[]> context;

  DeadLetterProcessor(String pipeline, PipelineObserver observer, int maxKeyBytes, int maxRecordBytes) {
    this.pipeline = pipeline;
    this.observer = observer;
    this.maxKeyBytes = maxKeyBytes;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Routed> record) {
    Routed.Rejected r = (Routed.Rejected) record.value();
    Headers headers = record.headers();
    byte[] key = r.source().key();
    byte[] value = r.source().value();
    int keyBytes = key == null ? 0 : key.length;
    long size = (long) keyBytes + (value == null ? 0 : value.length) + ParseProcessor.headerBytes(headers);
    if (keyBytes > maxKeyBytes || size > maxRecordBytes) {
      headers = new RecordHeaders();
      key = cut(key, maxKeyBytes);
      value = cut(value, maxRecordBytes - (key == null ? 0 : key.length));
      put(headers, ORIGINAL_SIZE, Long.toString(size));
    } else {
      // the headers named here are the pipeline's to write: a producer's own would pass for the pipeline's word
      headers.remove(ORIGINAL_SIZE);
    }
    put(headers, REASON, r.reason().wireName());
    put(headers, DETAIL, r.detail());
    put(headers, TOPIC, r.source().topic());
    put(headers, PARTITION, Integer.toString(r.source().partition()));
    put(headers, OFFSET, Long.toString(r.source().offset()));
    put(headers, PIPELINE, pipeline);
    observer.deadLettered(r.reason());
    context.forward(new Record<>(key, value, record.timestamp(), headers));
  }

  /** The first {@code max} bytes of {@code b} (null stays null). */
  static byte[] cut(byte[] b, int max) {
    return b == null || b.length <= max ? b : java.util.Arrays.copyOf(b, Math.max(0, max));
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
