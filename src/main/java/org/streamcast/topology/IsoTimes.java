package org.streamcast.topology;

import java.time.Instant;

/**
 * ISO-8601 text of an instant exactly as {@link Instant#toString()} writes it and {@link Instant#parse} reads it,
 * without their cost for the common case: a whole second in years 0000–9999 ({@code 2024-03-01T05:30:00Z}) is
 * written by hand (a forecast record carries one per horizon, and {@code Instant.toString} was the largest part of
 * writing one), and {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} is read by hand (every event carries one, and {@code
 * Instant.parse} was 40% of parsing an event); anything else falls back to the JDK, so both accept and refuse
 * exactly what the JDK does.
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

  /**
   * {@link Instant#parse}{@code (text)}, read by hand when it is {@code yyyy-MM-ddTHH:mm:ss} with 0 to 9 fraction
   * digits and {@code Z}, a valid date and a time before 24:00:00 (no leap second); else by the JDK.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
        || (n > 20 && text.charAt(19) != '.')) {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    int nano = 0;
    for (int i = 20; i < n - 1; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return Instant.parse(text);
      }
      nano = nano * 10 + d;
    }
    for (int i = n - 1; i < 29; i++) {
      nano *= 10; // the fraction's missing digits
    }
    if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
        || day > lengthOfMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(text);
    }
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146_097 + doe - 719_468;
    return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nano);
  }

  /** The decimal number in {@code text[at, at + width)}, or -1 when a character there is not a digit. */
  private static int number(String text, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static void digits(char[] c, int at, int v, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }
}
