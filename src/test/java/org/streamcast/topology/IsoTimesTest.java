package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimesTest {

  @Test
  void shouldWriteWhatInstantToStringWritesWhenGivenAnyInstant() {
    Random r = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      long s = switch (i % 4) {
        case 0 -> r.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000-9999
        case 1 -> r.nextLong(946_684_800L, 4_102_444_800L) / 1800 * 1800; // 2000-2100 on half hours
        case 2 -> r.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        default -> r.nextLong(-100_000_000_000L, 300_000_000_000L);
      };
      Instant t = Instant.ofEpochSecond(s, i % 7 == 0 ? r.nextInt(1_000_000_000) : 0);
      assertEquals(t.toString(), IsoTimes.format(t));
    }
    for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
        "2000-02-29T12:00:00Z", "1969-12-31T23:59:59Z", "2024-03-01T05:30:00Z", "10000-01-01T00:00:00Z"}) {
      Instant t = Instant.parse(edge.startsWith("10000") ? "+" + edge : edge);
      assertEquals(t.toString(), IsoTimes.format(t), edge);
    }
  }
}
