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

  @Test
  void shouldReadWhatInstantParseReadsAndRefuseWhatItRefusesWhenGivenAnyText() {
    Random r = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      long s = i % 2 == 0 ? r.nextLong(-62_167_219_200L, 253_402_300_800L) : r.nextLong(0, 4_102_444_800L);
      String text = Instant.ofEpochSecond(s).toString();
      int digits = r.nextInt(11); // 0..10 fraction digits: 10 is refused
      if (digits > 0) {
        StringBuilder f = new StringBuilder(".");
        for (int d = 0; d < digits; d++) {
          f.append((char) ('0' + r.nextInt(10)));
        }
        text = text.substring(0, text.length() - 1) + f + "Z";
      }
      if (i % 5 == 0) { // a digit of the date or time replaced: invalid dates and times too
        char[] c = text.toCharArray();
        int at = new int[] {2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}[r.nextInt(12)];
        c[at] = (char) ('0' + r.nextInt(10));
        text = new String(c);
      }
      assertSame(text);
    }
    for (String edge : new String[] {"2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-12-31T24:00:00Z", "2016-12-31T23:59:60Z", "2024-01-01t00:00:00z",
        "2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00,5Z", "+2024-01-01T00:00:00Z",
        "2024-01-01T00:00Z", "2024-1-01T00:00:00Z", "2024-01-01T00:00:0aZ", "2024-01-01 00:00:00Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-00-10T00:00:00Z", "2024-13-10T00:00:00Z",
        "2024-01-00T00:00:00Z", "2024-01-01T00:60:00Z", "-001-01-01T00:00:00Z", "2024-01-01T00:00:00.1234567890Z"}) {
      assertSame(edge);
    }
  }

  private static void assertSame(String text) {
    String expected;
    try {
      expected = Instant.parse(text).toString();
    } catch (java.time.format.DateTimeParseException e) {
      expected = "refused";
    }
    String actual;
    try {
      actual = IsoTimes.parse(text).toString();
    } catch (java.time.format.DateTimeParseException e) {
      actual = "refused";
    }
    assertEquals(expected, actual, text);
  }
}
