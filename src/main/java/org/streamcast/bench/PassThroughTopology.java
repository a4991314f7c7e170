package org.streamcast.bench;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.streamcast.topology.EventParser;

/**
 * The reference the pipeline is measured against: the least a Kafka Streams application can do with the same events
 * — read them, parse the JSON with the pipeline's own parser, and emit each valid one keyed by its series key with
 * its event time, unchanged — under the same settings and guarantee. A pure builder; invalid events are dropped
 * (the benchmark sends none).
 *
 * <pre>
 * pass-through-source ─ pass-through-parse ─ pass-through-sink
 * </pre>
 */
public final class PassThroughTopology {
  /** Source node. */
  public static final String SOURCE = "pass-through-source";
  /** Parses and re-keys. */
  public static final String PARSE = "pass-through-parse";
  /** Sink node. */
  public static final String SINK = "pass-through-sink";

  private PassThroughTopology() {}

  /** Reads {@code input}, writes {@code output}; events are parsed as {@code parser} says. */
  public static Topology build(String input, String output, EventParser parser) {
    Topology t = new Topology();
    t.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), input);
    t.addProcessor(PARSE, () -> new Parse(parser), SOURCE);
    t.addSink(SINK, output, Serdes.String().serializer(), Serdes.ByteArray().serializer(), PARSE);
    return t;
  }

  private static final class Parse implements Processor<byte[], byte[], String, byte[]> {
    private final EventParser parser;
    private ProcessorContext<String, byte[]> context;

    Parse(EventParser parser) {
      this.parser = parser;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      String recordKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      if (parser.parse(recordKey, record.value()) instanceof EventParser.Parsed p) {
        context.forward(record.withKey(p.measurement().key()).withTimestamp(p.measurement().time().toEpochMilli()));
      }
    }
  }
}
