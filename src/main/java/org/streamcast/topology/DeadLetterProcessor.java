package org.streamcast.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a rejection back into the original record, unchanged, with headers saying why and where it came from:
 * {@value #REASON}, {@value #DETAIL}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}, {@value #PIPELINE}.
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

  private final String pipeline;
  private final PipelineObserver observer;
  private ProcessorContext<byte[], byte[]> context;

  DeadLetterProcessor(String pipeline, PipelineObserver observer) {
    this.pipeline = pipeline;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Routed> record) {
    Routed.Rejected r = (Routed.Rejected) record.value();
    Headers headers = record.headers();
    put(headers, REASON, r.reason().wireName());
    put(headers, DETAIL, r.detail());
    put(headers, TOPIC, r.source().topic());
    put(headers, PARTITION, Integer.toString(r.source().partition()));
    put(headers, OFFSET, Long.toString(r.source().offset()));
    put(headers, PIPELINE, pipeline);
    observer.deadLettered(r.reason());
    context.forward(new Record<>(r.source().key(), r.source().value(), record.timestamp(), headers));
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
