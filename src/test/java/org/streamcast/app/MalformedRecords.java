package org.streamcast.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.streamcast.domain.DeadLetterReason;

/**
 * A seeded generator of input records a pipeline must dead-letter, each with the reason it must give: broken and
 * non-object JSON, binary junk, empty and null values, missing, null and mistyped fields, NaN and infinite values,
 * empty keys, unparseable, impossible and absurd timestamps, events far ahead of stream time or the wall clock or
 * behind stream time, oversized records and keys, duplicate fields, trailing data, UTF-16, bidi and newline keys,
 * out-of-range values, odd record keys and forged dead-letter headers. The first {@link #VARIANTS} records drawn once
 * a stream time exists are one of each variant; after that variants are drawn at random (oversized ones rarely, to
 * keep the topic small).
 *
 * <p>The pipeline's events are {@code {"key": ..., "ts": ..., "value": ...}} with a daily step; reasons that depend on
 * stream time ({@code late}, {@code time-skew}) are computed from the stream time the record will meet. A record key
 * above {@code input.maxKeyBytes} or a record above {@code input.maxRecordBytes} is refused for that first, whatever
 * its value: {@link #expected} says so.
 */
final class MalformedRecords {

  /** One bad record: Kafka key and value (either may be null), extra headers, and the reason it must get. */
  record Bad(byte[] key, byte[] value, RecordHeaders headers, DeadLetterReason reason, String variant) {}

  /** A kind of bad record; {@code needsStreamTime}: it is late or ahead relative to the stream time. */
  private record Variant(String name, DeadLetterReason reason, boolean needsStreamTime,
      Function<Context, byte[]> value) {}

  /**
   * What a variant may use: the generator's randomness, the stream time the record meets and a key that has its window
   * there (an event is late only for a key that already has its window or a later one).
   */
  private record Context(Random random, long streamTime, String recentKey) {}

  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final String GOOD_TS = "\"2012-03-01T00:00:00Z\"";
  private static final List<Variant> ALL = variants();
  /** How many variants there are. */
  static final int VARIANTS = ALL.size();

  private final Random random;
  private int made;

  MalformedRecords(long seed) {
    this.random = new Random(seed);
  }

  /**
   * The next bad record, for a position where the stream time is {@code streamTime} ({@code Long.MIN_VALUE} before
   * the first good event: then only variants that do not depend on it are drawn, outside the round robin).
   */
  Bad next(long streamTime, String recentKey) {
    boolean timeKnown = streamTime != Long.MIN_VALUE;
    Variant v;
    if (timeKnown && made < VARIANTS) {
      v = ALL.get(made);
    } else {
      do {
        v = ALL.get(random.nextInt(VARIANTS));
      } while (v.needsStreamTime() && !timeKnown || v.name().startsWith("oversized") && random.nextInt(50) != 0);
    }
    if (timeKnown) {
      made++;
    }
    byte[] value = v.value().apply(new Context(random, streamTime, recentKey));
    byte[] key = switch (random.nextInt(64)) {
      case 0, 1, 2, 3, 4, 5, 6, 7 -> null;
      case 8, 9, 10, 11, 12, 13, 14, 15 -> junk(random, 1 + random.nextInt(64));
      case 16 -> "x".repeat(20_000).getBytes(StandardCharsets.UTF_8);
      default -> ("k-" + random.nextInt(5)).getBytes(StandardCharsets.UTF_8);
    };
    RecordHeaders headers = new RecordHeaders();
    if (random.nextInt(20) == 0) { // a forged reason: the pipeline's own must replace it
      headers.add(new RecordHeader("streamcast.dlq.reason", "forged".getBytes(StandardCharsets.UTF_8)));
    }
    return new Bad(key, value, headers, v.reason(), v.name());
  }

  /** The reason {@code bad} must get from a pipeline with the default limits: its size first, then its variant's. */
  static DeadLetterReason expected(Bad bad) {
    int key = bad.key() == null ? 0 : bad.key().length;
    long size = (long) key + (bad.value() == null ? 0 : bad.value().length);
    for (org.apache.kafka.common.header.Header h : bad.headers()) {
      size += h.key().length() + h.value().length;
    }
    if (key > org.streamcast.config.SpecDefaults.MAX_KEY_BYTES) {
      return DeadLetterReason.KEY_TOO_LONG;
    }
    return size > org.streamcast.config.SpecDefaults.MAX_RECORD_BYTES ? DeadLetterReason.TOO_LARGE : bad.reason();
  }

  private static List<Variant> variants() {
    List<Variant> v = new ArrayList<>();
    // not JSON, or not a JSON object
    v.add(text("truncated", DeadLetterReason.BAD_JSON, c -> {
      String full = event("\"k-1\"", GOOD_TS, "12.5");
      return full.substring(0, 1 + c.random().nextInt(full.length() - 1));
    }));
    v.add(new Variant("binary junk", DeadLetterReason.BAD_ENCODING, false, c -> {
      byte[] b = junk(c.random(), 1 + c.random().nextInt(300));
      b[0] = (byte) (0x80 | c.random().nextInt(0x40)); // never a JSON start
      return b;
    }));
    v.add(text("array", DeadLetterReason.BAD_JSON, c -> "[" + event("\"k-1\"", GOOD_TS, "1") + "]"));
    v.add(text("string", DeadLetterReason.BAD_JSON, c -> "\"just a string\""));
    v.add(text("number", DeadLetterReason.BAD_JSON, c -> "42"));
    v.add(text("json null", DeadLetterReason.BAD_JSON, c -> "null"));
    v.add(text("whitespace", DeadLetterReason.BAD_JSON, c -> " \n\t "));
    v.add(new Variant("empty value", DeadLetterReason.BAD_JSON, false, c -> new byte[0]));
    v.add(new Variant("null value", DeadLetterReason.BAD_JSON, false, c -> null));
    v.add(new Variant("invalid utf-8", DeadLetterReason.BAD_ENCODING, false, c -> {
      byte[] head = "{\"key\":\"".getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\",\"ts\":" + GOOD_TS + ",\"value\":1}").getBytes(StandardCharsets.UTF_8);
      byte[] b = new byte[head.length + 2 + tail.length];
      System.arraycopy(head, 0, b, 0, head.length);
      b[head.length] = (byte) 0xff;
      b[head.length + 1] = (byte) 0xfe;
      System.arraycopy(tail, 0, b, head.length + 2, tail.length);
      return b;
    }));
    v.add(text("oversized junk", DeadLetterReason.TOO_LARGE, c -> "z".repeat(200_000 + c.random().nextInt(100_000))));
    v.add(text("unquoted field", DeadLetterReason.BAD_JSON, c -> "{key:\"k-1\",ts:" + GOOD_TS + ",value:1}"));
    // missing or null fields
    v.add(text("no key", DeadLetterReason.MISSING_FIELD, c -> "{\"ts\":" + GOOD_TS + ",\"value\":1}"));
    v.add(text("no ts", DeadLetterReason.MISSING_FIELD, c -> "{\"key\":\"k-1\",\"value\":1}"));
    v.add(text("no value", DeadLetterReason.MISSING_FIELD, c -> "{\"key\":\"k-1\",\"ts\":" + GOOD_TS + "}"));
    v.add(text("null key", DeadLetterReason.MISSING_FIELD, c -> event("null", GOOD_TS, "1")));
    v.add(text("null ts", DeadLetterReason.MISSING_FIELD, c -> event("\"k-1\"", "null", "1")));
    v.add(text("null value", DeadLetterReason.MISSING_FIELD, c -> event("\"k-1\"", GOOD_TS, "null")));
    v.add(text("empty object", DeadLetterReason.MISSING_FIELD, c -> "{}"));
    // mistyped fields
    v.add(text("value as string", DeadLetterReason.BAD_TYPE, c -> event("\"k-1\"", GOOD_TS, "\"12.5\"")));
    v.add(text("value as object", DeadLetterReason.BAD_TYPE, c -> event("\"k-1\"", GOOD_TS, "{\"v\":1}")));
    v.add(text("value as array", DeadLetterReason.BAD_TYPE, c -> event("\"k-1\"", GOOD_TS, "[1]")));
    v.add(text("value as boolean", DeadLetterReason.BAD_TYPE, c -> event("\"k-1\"", GOOD_TS, "true")));
    v.add(text("oversized value string", DeadLetterReason.TOO_LARGE,
        c -> event("\"k-1\"", GOOD_TS, "\"" + "9".repeat(100_000 + c.random().nextInt(100_000)) + "\"")));
    v.add(text("key as object", DeadLetterReason.BAD_TYPE, c -> event("{\"id\":1}", GOOD_TS, "1")));
    v.add(text("key as fraction", DeadLetterReason.BAD_TYPE, c -> event("1.5", GOOD_TS, "1")));
    v.add(text("key as boolean", DeadLetterReason.BAD_TYPE, c -> event("false", GOOD_TS, "1")));
    // values that are not finite
    v.add(text("NaN", DeadLetterReason.NOT_FINITE, c -> event("\"k-1\"", GOOD_TS, "NaN")));
    v.add(text("Infinity", DeadLetterReason.NOT_FINITE, c -> event("\"k-1\"", GOOD_TS, "Infinity")));
    v.add(text("-Infinity", DeadLetterReason.NOT_FINITE, c -> event("\"k-1\"", GOOD_TS, "-Infinity")));
    v.add(text("overflowing number", DeadLetterReason.NOT_FINITE, c -> event("\"k-1\"", GOOD_TS, "1e999")));
    // empty key
    v.add(text("empty key", DeadLetterReason.EMPTY_KEY, c -> event("\"\"", GOOD_TS, "1")));
    // timestamps that cannot be read, or are no time a record can have
    v.add(text("ts words", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "\"yesterday\"", "1")));
    v.add(text("ts empty", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "\"\"", "1")));
    v.add(text("ts impossible date", DeadLetterReason.BAD_TIMESTAMP,
        c -> event("\"k-1\"", "\"2012-13-45T00:00:00Z\"", "1")));
    v.add(text("ts date only", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "\"2012-03-01\"", "1")));
    v.add(text("ts fraction", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "1.330560000001E12", "1")));
    v.add(text("ts boolean", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "true", "1")));
    v.add(text("ts object", DeadLetterReason.BAD_TIMESTAMP, c -> event("\"k-1\"", "{\"s\":1}", "1")));
    v.add(text("ts beyond long", DeadLetterReason.BAD_TIMESTAMP,
        c -> event("\"k-1\"", "99999999999999999999999", "1")));
    v.add(text("ts year 1e9", DeadLetterReason.BAD_TIMESTAMP,
        c -> event("\"k-1\"", "\"+1000000000-01-01T00:00:00Z\"", "1")));
    v.add(text("ts before 1970", DeadLetterReason.BAD_TIMESTAMP,
        c -> event("\"k-1\"", "\"1900-01-01T00:00:00Z\"", "1")));
    v.add(text("ts negative millis", DeadLetterReason.BAD_TIMESTAMP,
        c -> event("\"k-1\"", Long.toString(-1 - c.random().nextInt(1_000_000_000)), "1")));
    // far ahead of stream time: more than window.maxSkew (5 days) is time-skew; past the wall clock, future-time
    v.add(timed("ahead by days", DeadLetterReason.TIME_SKEW,
        c -> iso(c.streamTime() + 5 * DAY + 1 + c.random().nextInt(20) * DAY)));
    v.add(timed("ahead by years", DeadLetterReason.TIME_SKEW,
        c -> iso(c.streamTime() + (101 + c.random().nextInt(2000)) * DAY)));
    v.add(timed("year 9999", DeadLetterReason.FUTURE_TIME, c -> "\"9999-12-31T23:59:59Z\""));
    v.add(timed("max millis", DeadLetterReason.FUTURE_TIME, c -> Long.toString(Long.MAX_VALUE)));
    v.add(timed("tomorrow by the wall clock", DeadLetterReason.FUTURE_TIME,
        c -> iso(System.currentTimeMillis() + DAY + c.random().nextInt((int) DAY))));
    // strict input
    v.add(text("duplicate field", DeadLetterReason.DUPLICATE_FIELD,
        c -> "{\"key\":\"k-1\",\"ts\":" + GOOD_TS + ",\"value\":1,\"value\":2}"));
    v.add(text("trailing data", DeadLetterReason.TRAILING_DATA, c -> event("\"k-1\"", GOOD_TS, "1") + "}"));
    v.add(new Variant("utf-16", DeadLetterReason.BAD_ENCODING, false,
        c -> event("\"k-1\"", GOOD_TS, "1").getBytes(StandardCharsets.UTF_16)));
    v.add(text("bidi key", DeadLetterReason.BAD_KEY, c -> event("\"k-1\u202E\"", GOOD_TS, "1")));
    v.add(text("newline key", DeadLetterReason.BAD_KEY, c -> event("\"k-1\\n\"", GOOD_TS, "1")));
    v.add(text("long key", DeadLetterReason.KEY_TOO_LONG,
        c -> event("\"" + "k".repeat(1025 + c.random().nextInt(3000)) + "\"", GOOD_TS, "1")));
    v.add(text("huge value", DeadLetterReason.OUT_OF_RANGE, c -> event("\"k-1\"", GOOD_TS, "1.7e308")));
    // behind stream time: the window closed
    v.add(timed("late by days", DeadLetterReason.LATE,
        c -> iso(c.streamTime() - DAY - c.random().nextInt(30) * DAY - c.random().nextInt((int) DAY))));
    v.add(timed("epoch zero", DeadLetterReason.BAD_TIMESTAMP, c -> "0")); // timeFormat auto: a counter
    v.add(timed("epoch seconds", DeadLetterReason.BAD_TIMESTAMP, c -> Long.toString(c.streamTime() / 1000)));
    v.add(timed("epoch millis of 1973", DeadLetterReason.LATE, c -> "100000000000"));
    v.add(timed("1971", DeadLetterReason.LATE, c -> "\"1971-06-01T12:00:00Z\""));
    return v;
  }

  private static Variant text(String name, DeadLetterReason reason, Function<Context, String> value) {
    return new Variant(name, reason, false, c -> value.apply(c).getBytes(StandardCharsets.UTF_8));
  }

  /** A well-formed event whose time, given as a JSON token, is wrong for the stream time. */
  private static Variant timed(String name, DeadLetterReason reason, Function<Context, String> ts) {
    return new Variant(name, reason, true, c -> event(reason == DeadLetterReason.LATE ? quoted(c.recentKey())
        : "\"k-" + c.random().nextInt(5) + "\"", ts.apply(c), "1.5").getBytes(StandardCharsets.UTF_8));
  }

  private static String quoted(String key) {
    return "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String event(String key, String ts, String value) {
    return "{\"key\":" + key + ",\"ts\":" + ts + ",\"value\":" + value + "}";
  }

  private static String iso(long millis) {
    return "\"" + Instant.ofEpochMilli(millis) + "\"";
  }

  private static byte[] junk(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
