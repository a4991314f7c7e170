package org.streamcast.topology;

import java.time.Instant;

/**
 * ISO-8601 text of an instant exactly as {@link Instant#toString()} writes it, without its cost for the common case:
 * a whole second in years 0000–9999 ({@code 2024-03-01T05:30:00Z}) is written by hand (a forecast record carries
 * one per horizon, and {@code Instant.toString} was the largest part of writing one); anything else falls back to
 * {@code Instant.toString}.
 */
final class IsoTimes {
  private static final long SECONDS_PER_DAY = 86_400;
  /** Epoch seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z. */
  private static final long MIN = -62_167_219_200L;
  private static final long MAX = 253_402_300_800L;

  private IsoTimes() {}

  static String format(Instant t) {
    long s = t.getEpochSecond();
    if (t.getNano() != 0 || s < MIN || s >= MAX) {
      return t.toString();
    }
    long days = Math.floorDiv(s, SECONDS_PER_DAY);
    int secOfDay = (int) Math.floorMod(s, SECONDS_PER_DAY);
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    char[] c = new char[20];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    digits(c, 11, secOfDay / 3600, 2);
    c[13] = ':';
    digits(c, 14, secOfDay / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secOfDay % 60, 2);
    c[19] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int v, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }
}
