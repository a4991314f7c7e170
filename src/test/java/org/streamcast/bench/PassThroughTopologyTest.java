package org.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.topology.EventParser;

class PassThroughTopologyTest {

  @Test
  void shouldEmitEachValidEventUnchangedKeyedBySeriesKeyAtItsEventTimeWhenRun(@TempDir Path state) {
    PipelineSpec spec = BenchSpec.of("pt", "pt.events");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pt");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    Workload w = new Workload(10, 1, BenchRunner.SEED);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        PassThroughTopology.build("pt.events", "pt.out", new EventParser(spec.input())), props)) {
      var in = driver.createInputTopic("pt.events", new ByteArraySerializer(), new ByteArraySerializer());
      var out = driver.createOutputTopic("pt.out", new StringDeserializer(), new ByteArrayDeserializer());
      byte[] event = w.json(3, 7).getBytes(StandardCharsets.UTF_8);
      in.pipeInput(null, event, 0L);
      in.pipeInput(null, "{\"key\":\"s-000001\"}".getBytes(StandardCharsets.UTF_8), 0L);

      TestRecord<String, byte[]> r = out.readRecord();
      assertEquals(w.key(3), r.key());
      assertEquals(Workload.eventTime(7), r.timestamp());
      assertEquals(new String(event, StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
      assertTrue(out.isEmpty(), "the event without time and value is dropped");
    }
  }
}
