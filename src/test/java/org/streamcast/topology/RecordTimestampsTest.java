package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordTimestampsTest {
  private static ConsumerRecord<Object, Object> record(long timestamp) {
    return new ConsumerRecord<>("in", 0, 7L, timestamp,
        timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, 0, 0, "k", "v",
        new RecordHeaders(), Optional.empty());
  }

  @Test
  void shouldKeepTheRecordsTimestampWhenItHasOne() {
    assertEquals(0L, new RecordTimestamps().extract(record(0), 5_000));
    assertEquals(1_700_000_000_000L, new RecordTimestamps().extract(record(1_700_000_000_000L), 5_000));
  }

  @Test
  void shouldUseThePartitionsTimeWhenTheRecordHasNoTimestamp() {
    assertEquals(5_000L, new RecordTimestamps().extract(record(-1), 5_000));
  }

  @Test
  void shouldUseTheWallClockWhenNeitherTheRecordNorItsPartitionHasATime() {
    long before = System.currentTimeMillis();
    long ts = new RecordTimestamps().extract(record(-1), -1);
    assertTrue(ts >= before && ts <= System.currentTimeMillis(), "wall clock: " + ts);
  }
}
