package org.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.topology.EventParser;

class WorkloadTest {
  private final Workload workload = new Workload(5_000, 4, BenchRunner.SEED);

  @Test
  void shouldPartitionEveryKeyAsKafkasDefaultPartitionerWhenGivenItsName() {
    for (int k = 0; k < workload.keys(); k++) {
      byte[] key = workload.key(k).getBytes(StandardCharsets.UTF_8);
      assertEquals(BuiltInPartitioner.partitionForKey(key, 4), workload.partition(k), workload.key(k));
    }
  }

  @Test
  void shouldNameFirstKeyOfEachPartitionWhenKeysAreSentInOrder() {
    for (int p = 0; p < 4; p++) {
      int first = workload.firstKeyOf(p);
      assertEquals(p, workload.partition(first));
      for (int k = 0; k < first; k++) {
        assertTrue(workload.partition(k) != p, "key " + k + " comes before " + first + " in partition " + p);
      }
    }
  }

  @Test
  void shouldParseEveryEventIntoItsKeyStepAndValueWhenReadByThePipelinesParser() {
    PipelineSpec spec = BenchSpec.of("bench", "bench.events");
    EventParser parser = new EventParser(spec.input());
    for (int k : new int[] {0, 1, 4_999}) {
      for (int step : new int[] {0, 23, 99}) {
        var parsed = (EventParser.Parsed) parser.parse(null,
            workload.json(k, step).getBytes(StandardCharsets.UTF_8));
        assertEquals(workload.key(k), parsed.measurement().key());
        assertEquals(k, workload.keyIndex(parsed.measurement().key()));
        assertEquals(Workload.eventTime(step), parsed.measurement().time().toEpochMilli());
        assertEquals(step, Workload.stepOf(parsed.measurement().time().toEpochMilli()));
        assertEquals(workload.value(k, step), parsed.measurement().target());
      }
    }
  }

  @Test
  void shouldSpreadAStepsEventsInsideItWhenSeveralArrivePerKeyPerStep() {
    Workload twelve = new Workload(5_000, 4, BenchRunner.SEED, 12);
    EventParser parser = new EventParser(BenchSpec.of("bench", "bench.events").input());
    for (int step : new int[] {0, 7}) {
      for (int within = 0; within < 12; within++) {
        int i = (step * 12 + within) * 5_000 + 42;
        assertEquals(42, twelve.keyOf(i));
        assertEquals(step, twelve.stepOfEvent(i));
        var parsed = (EventParser.Parsed) parser.parse(null, twelve.jsonOf(i).getBytes(StandardCharsets.UTF_8));
        long t = parsed.measurement().time().toEpochMilli();
        assertEquals(twelve.eventTimeOf(i), t);
        assertEquals(step, Workload.stepOf(t), "every event of a step lies in its window");
        assertEquals(Workload.eventTime(step) + within * 300_000L, t, "five-minute readings into hourly steps");
      }
    }
    assertEquals(workload.jsonOf(5_000 * 3 + 9), workload.json(9, 3), "one event per step: the step's own event");
  }

  @Test
  void shouldGiveSameValuesWhenBuiltTwiceWithTheSameSeed() {
    Workload again = new Workload(5_000, 4, BenchRunner.SEED);
    for (int step = 0; step < 48; step++) {
      assertEquals(workload.value(17, step), again.value(17, step));
      assertTrue(workload.value(17, step) > 0, "values are positive loads");
    }
  }

  @Test
  void shouldRejectNamesOutsideTheWorkloadWhenAskedForTheirIndex() {
    assertEquals(-1, workload.keyIndex("s-005000"));
    assertEquals(-1, workload.keyIndex("x-000001"));
    assertEquals(-1, workload.keyIndex("s-00001"));
    assertEquals(-1, workload.keyIndex(null));
  }
}
