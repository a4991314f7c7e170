package org.streamcast.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses raw input records: valid ones are re-keyed by series key; invalid ones are forwarded as {@link
 * Routed.Rejected} carrying the original bytes and coordinates. Every record keeps the timestamp it was read with: the
 * event time travels in the {@link org.streamcast.domain.Measurement}, so the repartition topic and the dead-letter
 * topic are only ever written timestamps the broker already accepted for the input (a far-future event time as a
 * record timestamp would be refused by the broker's {@code message.timestamp.after.max.ms}, one hour by default, and
 * stop the pipeline).
 */
final class ParseProcessor implements Processor<byte[], byte[], String, Routed> {
  private final EventParser parser;
  private ProcessorContext<String, Routed> context;

  ParseProcessor(EventParser parser) {
    this.parser = parser;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    SourceRecord source = new SourceRecord(record.key(), record.value(),
        meta == null ? "" : meta.topic(), meta == null ? -1 : meta.partition(), meta == null ? -1L : meta.offset());
    EventParser.Result result = parser.parse(record.key(), record.value(), headerBytes(record.headers()));
    if (result instanceof EventParser.Parsed p) {
      context.forward(record.withKey(p.measurement().key())
          .<Routed>withValue(new Routed.Accepted(p.measurement(), source)));
    } else {
      // No key: a rejection is not repartitioned, and its key bytes are in the source record unchanged.
      EventParser.Failed f = (EventParser.Failed) result;
      context.forward(record.<String>withKey(null)
          .<Routed>withValue(new Routed.Rejected(f.reason(), f.detail(), source)));
    }
  }

  /** The bytes of a record's headers (names and values): they travel with the record and count towards its size. */
  static int headerBytes(Headers headers) {
    long n = 0;
    for (Header h : headers) {
      n += EventParser.Utf8.length(h.key()) + (h.value() == null ? 0 : h.value().length);
    }
    return (int) Math.min(n, Integer.MAX_VALUE);
  }
}
