package org.streamcast.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 2w}, compounds
 * such as {@code 1h30m}, a bare {@code 0}, or ISO-8601 ({@code PT30M}, {@code P1D}). Units are lower case
 * ({@code M} would be ambiguous with months); a day is 24 hours and a week 7 days. Negative durations are refused.
 */
public final class Durations {

  /** The hint appended to every error: what a duration looks like. */
  public static final String HINT = "(try 30s, 5m, 1h)";

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
  private static final BigInteger MAX_SECONDS = BigInteger.valueOf(Long.MAX_VALUE / 1_000_000_000L);

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param source the file or option the text comes from, for the error message
   * @param field  the field path or option name, for the error message
   * @param text   the text to parse
   * @return the duration, never negative
   * @throws SpecException {@code source: field: "text" is not a duration (try 30s, 5m, 1h)} and similar
   */
  public static Duration parse(String source, String field, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw SpecException.of(source, field, e.getMessage());
    }
  }

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with the reason alone, e.g. {@code "5 minuts" is not a duration (try 30s, 5m,
   *     1h)}, for callers that add their own context (such as a command-line option)
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty text is not a duration " + HINT);
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("-")) {
      throw new IllegalArgumentException(quote(text) + " is negative (a duration must be 0 or more)");
    }
    Duration d = t.charAt(0) == 'P' || t.charAt(0) == 'p' ? iso(text, t) : shortForm(text, t);
    if (d.getSeconds() > MAX_SECONDS.longValueExact()) {
      throw new IllegalArgumentException(quote(text) + " is too long a duration");
    }
    return d;
  }

  private static Duration shortForm(String text, String t) {
    Matcher m = PART.matcher(t);
    int at = 0;
    BigInteger millis = BigInteger.ZERO;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(quote(text) + " is not a duration " + HINT);
      }
      millis = millis.add(new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unitMillis(m.group(2)))));
      at = m.end();
    }
    if (millis.divide(BigInteger.valueOf(1000)).compareTo(MAX_SECONDS) > 0) {
      throw new IllegalArgumentException(quote(text) + " is too long a duration");
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  private static Duration iso(String text, String t) {
    Duration d;
    try {
      d = Duration.parse(t.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(quote(text) + " is not a duration " + HINT);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(quote(text) + " is negative (a duration must be 0 or more)");
    }
    return d;
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 604_800_000L;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  /**
   * Formats a duration in the short form this class parses, largest units first: {@code 30m}, {@code 1h30m},
   * {@code 1d}, {@code 2w}, {@code 500ms}, {@code 0s}. Sub-millisecond parts are written in ISO-8601 instead.
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    StringBuilder out = new StringBuilder();
    long[] sizes = {604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        out.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return out.toString();
  }

  /** Longest value a message repeats whole; a longer one is cut, with its length. */
  static final int MAX_QUOTED = 80;

  /**
   * A value as a message repeats it: quoted, control characters escaped (a value is echoed to a terminal and a log
   * line), and cut to its first characters when long (a one-megabyte name made a one-megabyte error line).
   */
  public static String quote(String text) {
    String shown = text.length() > MAX_QUOTED ? text.substring(0, 60) : text;
    StringBuilder out = new StringBuilder(shown.length() + 24).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    return text.length() > MAX_QUOTED ? out + "... (" + text.length() + " characters)" : out.toString();
  }
}
