package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AnomalyBudgetTest {
  private static final long MINUTE = 60_000;

  @Test
  void shouldPublishAtMostTheRatePerHourWhenEveryStepIsAnomalous() {
    AnomalyBudget b = new AnomalyBudget();
    int published = 0;
    // a stuck sensor stepping every minute for 10 hours at 2 an hour: the bucket's 2, then 2 an hour
    for (int t = 0; t < 600; t++) {
      published += b.take(t * MINUTE, 2) ? 1 : 0;
    }
    assertEquals(2 + 2 * 10 - 1, published);
  }

  @Test
  void shouldRefillInEventTimeWhenTheKeyWasQuiet() {
    AnomalyBudget b = new AnomalyBudget();
    assertTrue(b.take(0, 1));
    assertFalse(b.take(59 * MINUTE, 1));
    assertTrue(b.take(120 * MINUTE, 1));
    // a token per hour, never more than the bucket holds
    assertFalse(b.take(121 * MINUTE, 1));
    assertEquals(1 / 60.0, b.tokens(1), 1e-12);
  }

  @Test
  void shouldAllowOneEveryFewHoursWhenTheRateIsBelowOne() {
    AnomalyBudget b = new AnomalyBudget();
    assertTrue(b.take(0, 0.25));
    assertFalse(b.take(3 * 60 * MINUTE, 0.25));
    assertTrue(b.take(7 * 60 * MINUTE, 0.25));
  }

  @Test
  void shouldRestoreTheSameBucketWhenWrittenAndRead() {
    AnomalyBudget b = new AnomalyBudget();
    ByteBuffer fresh = ByteBuffer.allocate(b.serializedSize());
    b.write(fresh);
    assertEquals(1, fresh.capacity(), "an unused bucket costs one byte");
    b.take(0, 3);
    b.take(MINUTE, 3);
    ByteBuffer buf = ByteBuffer.allocate(b.serializedSize());
    b.write(buf);
    assertEquals(17, buf.capacity());
    AnomalyBudget read = new AnomalyBudget();
    read.read(ByteBuffer.wrap(buf.array()));
    assertEquals(b.tokens(3), read.tokens(3), 0);
    assertEquals(b.take(2 * MINUTE, 3), read.take(2 * MINUTE, 3));
    assertEquals(b.tokens(3), read.tokens(3), 0);
  }

  @Test
  void shouldRefuseTheBytesWhenTheTokenCountIsOutOfBounds() {
    ByteBuffer bad = ByteBuffer.allocate(17).put((byte) 1).putDouble(1e9).putLong(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AnomalyBudget().read(ByteBuffer.wrap(bad.array())));
    assertEquals("bad anomaly budget: 1.0E9 tokens", e.getMessage());
  }
}
