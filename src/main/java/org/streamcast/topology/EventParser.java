package org.streamcast.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Measurement;

/**
 * Turns one raw input record into a {@link Measurement} or a rejection with a reason, following the spec's event
 * format and limits. An event time must fit a Kafka timestamp (epoch milliseconds from 1970 on, in a long): the steps
 * made from it carry it as theirs. Pure and thread-safe: no I/O, no Kafka types.
 *
 * <p>Strict, because a pipeline is shared: sizes are checked before anything is decoded ({@code key-too-long},
 * {@code too-large}); the value must be strict UTF-8 ({@code bad-encoding}: Jackson would otherwise read UTF-16 and
 * UTF-32 too) holding exactly one JSON object ({@code trailing-data}) that names no field twice
 * ({@code duplicate-field}); a series key is decoded strictly (distinct byte strings never become the same key) and
 * holds no control, line-break or bidirectional-formatting character ({@code bad-key}); values are finite and within
 * {@code input.maxAbsValue} ({@code out-of-range}).
 */
public final class EventParser {

  /** The outcome of parsing one record. */
  public sealed interface Result permits Parsed, Failed {}

  /** A valid event. */
  public record Parsed(Measurement measurement) implements Result {}

  /** An unusable event, with the reason and a short human-readable detail naming the field and value. */
  public record Failed(DeadLetterReason reason, String detail) implements Result {}

  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .build();
  /** The start of Jackson's message for a field named twice ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}). */
  private static final String DUPLICATE = "Duplicate field";
  private static final int MAX_SHOWN = 60;
  /** The latest event time a Kafka timestamp (epoch milliseconds in a long) can hold. */
  static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);
  /**
   * The smallest epoch-milliseconds time {@code timeFormat: auto} takes, 1e11 (1973-03-03T09:46:40Z): below it a
   * number is far more likely epoch seconds (any date from 1973 to 5138) or a counter than a reading from 1970–1973,
   * and taken as milliseconds it made a key's steps in January 1970. {@code epoch_millis} takes it as given.
   */
  public static final long AUTO_MIN_MILLIS = 100_000_000_000L;

  private final String keyField;
  private final String timeField;
  private final PipelineSpec.TimeFormat timeFormat;
  private final List<String> valueFields;
  private final int maxKeyBytes;
  private final int maxRecordBytes;
  private final double maxAbsValue;

  public EventParser(PipelineSpec.Input input) {
    this.keyField = input.keyField();
    this.timeField = input.timeField();
    this.timeFormat = input.timeFormat();
    // The target goes first; the other value fields follow in spec order.
    this.valueFields = new java.util.ArrayList<>(List.of(input.target()));
    for (String f : input.valueFields()) {
      if (!f.equals(input.target())) {
        this.valueFields.add(f);
      }
    }
    this.maxKeyBytes = input.maxKeyBytes();
    this.maxRecordBytes = input.maxRecordBytes();
    this.maxAbsValue = input.maxAbsValue();
  }

  /**
   * Parses one record without headers whose key is text (tests and the pass-through benchmark).
   *
   * @param recordKey the Kafka record key as text (may be null)
   * @param value     the record value bytes (may be null)
   */
  public Result parse(String recordKey, byte[] value) {
    return parse(recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8), value, 0);
  }

  /**
   * Parses one record.
   *
   * @param recordKey   the Kafka record key (may be null), the series key unless the spec names a key field
   * @param value       the record value bytes (may be null)
   * @param headerBytes the size of the record's headers (names and values), which count towards its size
   */
  public Result parse(byte[] recordKey, byte[] value, int headerBytes) {
    int keyBytes = recordKey == null ? 0 : recordKey.length;
    if (keyBytes > maxKeyBytes) {
      return new Failed(DeadLetterReason.KEY_TOO_LONG, "record key is " + keyBytes + " bytes, above input.maxKeyBytes ("
          + maxKeyBytes + "): " + show(new String(recordKey, 0, Math.min(keyBytes, 4 * MAX_SHOWN),
          StandardCharsets.UTF_8)));
    }
    long size = (long) keyBytes + (value == null ? 0 : value.length) + headerBytes;
    if (size > maxRecordBytes) {
      return new Failed(DeadLetterReason.TOO_LARGE, "record is " + size + " bytes (key " + keyBytes + ", value "
          + (value == null ? 0 : value.length) + ", headers " + headerBytes + "), above input.maxRecordBytes ("
          + maxRecordBytes + ")");
    }
    if (value == null || value.length == 0) {
      return new Failed(DeadLetterReason.BAD_JSON, "empty record value");
    }
    int bad = Utf8.firstInvalid(value, true);
    if (bad >= 0) {
      return new Failed(DeadLetterReason.BAD_ENCODING, "value is not strict UTF-8 text: " + Utf8.describe(value, bad));
    }
    JsonNode root;
    try (JsonParser p = JSON.createParser(value)) {
      root = JSON.readTree(p);
      if (root != null && !root.isMissingNode()) {
        try {
          if (p.nextToken() != null) {
            return new Failed(DeadLetterReason.TRAILING_DATA, "more than one JSON value: " + p.currentToken()
                + " after the " + (root.isObject() ? "object" : "value") + " at byte " + p.currentTokenLocation()
                .getByteOffset());
          }
        } catch (JsonProcessingException e) {
          return new Failed(DeadLetterReason.TRAILING_DATA, "text after the JSON " + (root.isObject() ? "object" : "value")
              + ": " + shorten(e.getOriginalMessage()));
        }
      }
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith(DUPLICATE)) {
        int open = message.indexOf('\'');
        int close = message.lastIndexOf('\'');
        String name = open >= 0 && close > open ? message.substring(open + 1, close) : message;
        return new Failed(DeadLetterReason.DUPLICATE_FIELD, "field " + show(name) + " appears more than once");
      }
      return new Failed(DeadLetterReason.BAD_JSON, "not valid JSON: " + shorten(message));
    } catch (java.io.IOException e) {
      return new Failed(DeadLetterReason.BAD_JSON, "unreadable value: " + shorten(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      return new Failed(DeadLetterReason.BAD_JSON,
          "not a JSON object: " + shorten(new String(value, StandardCharsets.UTF_8)));
    }
    String key;
    String keyName;
    if (keyField == null) {
      keyName = "record key";
      if (recordKey == null || recordKey.length == 0) {
        return new Failed(DeadLetterReason.EMPTY_KEY, "record key is empty and the spec names no key field");
      }
      int badKey = Utf8.firstInvalid(recordKey, false);
      if (badKey >= 0) {
        return new Failed(DeadLetterReason.BAD_ENCODING, "record key is not strict UTF-8 text: "
            + Utf8.describe(recordKey, badKey));
      }
      key = new String(recordKey, StandardCharsets.UTF_8);
    } else {
      keyName = "field \"" + keyField + "\"";
      JsonNode k = root.get(keyField);
      if (k == null || k.isNull()) {
        return new Failed(DeadLetterReason.MISSING_FIELD, "field \"" + keyField + "\" is missing");
      }
      if (!k.isTextual() && !k.isIntegralNumber()) {
        return new Failed(DeadLetterReason.BAD_TYPE, "field \"" + keyField + "\": " + shorten(k.toString())
            + " is not a string");
      }
      key = k.asText();
      if (key.isEmpty()) {
        return new Failed(DeadLetterReason.EMPTY_KEY, "field \"" + keyField + "\" is empty");
      }
    }
    String keyProblem = keyProblem(key);
    if (keyProblem != null) {
      return new Failed(DeadLetterReason.BAD_KEY, keyName + ": " + show(key) + " " + keyProblem);
    }
    int seriesKeyBytes = Utf8.length(key);
    if (seriesKeyBytes > maxKeyBytes) {
      return new Failed(DeadLetterReason.KEY_TOO_LONG, keyName + " is " + seriesKeyBytes
          + " bytes, above input.maxKeyBytes (" + maxKeyBytes + "): " + show(key));
    }
    JsonNode t = root.get(timeField);
    if (t == null || t.isNull()) {
      return new Failed(DeadLetterReason.MISSING_FIELD, "field \"" + timeField + "\" is missing");
    }
    Instant time;
    if (t.isTextual() && timeFormat != PipelineSpec.TimeFormat.EPOCH_MILLIS) {
      try {
        time = IsoTimes.parse(t.asText());
      } catch (DateTimeParseException e) {
        return new Failed(DeadLetterReason.BAD_TIMESTAMP, "field \"" + timeField + "\": " + shorten(t.toString())
            + " is not an ISO-8601 instant (e.g. 2000-06-05T00:00:00Z)");
      }
    } else if (t.isIntegralNumber() && t.canConvertToLong() && timeFormat != PipelineSpec.TimeFormat.ISO8601) {
      long ms = t.asLong();
      if (timeFormat == PipelineSpec.TimeFormat.AUTO && ms >= 0 && ms < AUTO_MIN_MILLIS) {
        return new Failed(DeadLetterReason.BAD_TIMESTAMP, "field \"" + timeField + "\": " + ms + " would be "
            + Instant.ofEpochMilli(ms) + " in epoch milliseconds, more likely epoch seconds or a counter; send "
            + "milliseconds or ISO-8601, or set input.timeFormat: epoch_millis to take such times as given");
      }
      time = Instant.ofEpochMilli(ms);
    } else {
      String expected = switch (timeFormat) {
        case ISO8601 -> "an ISO-8601 string";
        case EPOCH_MILLIS -> "epoch milliseconds";
        case AUTO -> "an ISO-8601 string or epoch milliseconds";
      };
      return new Failed(DeadLetterReason.BAD_TIMESTAMP, "field \"" + timeField + "\": " + shorten(t.toString())
          + " is not " + expected);
    }
    if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
      return new Failed(DeadLetterReason.BAD_TIMESTAMP, "field \"" + timeField + "\": " + shorten(t.toString())
          + " is outside " + Instant.EPOCH + " .. " + LATEST + " (a Kafka timestamp is non-negative epoch "
          + "milliseconds)");
    }
    double[] values = new double[valueFields.size()];
    for (int i = 0; i < values.length; i++) {
      String f = valueFields.get(i);
      JsonNode v = root.get(f);
      if (v == null || v.isNull()) {
        if (i > 0) {
          // a covariate the sensor did not send is a missing reading (held, as a gap in a wide CSV), not a lost event
          values[i] = Double.NaN;
          continue;
        }
        return new Failed(DeadLetterReason.MISSING_FIELD, "field \"" + f + "\" is missing");
      }
      if (!v.isNumber()) {
        return new Failed(DeadLetterReason.BAD_TYPE, "field \"" + f + "\": " + shorten(v.toString())
            + " is not a number");
      }
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        return new Failed(DeadLetterReason.NOT_FINITE, "field \"" + f + "\": " + shorten(v.asText())
            + " is not finite");
      }
      if (Math.abs(d) > maxAbsValue) {
        return new Failed(DeadLetterReason.OUT_OF_RANGE, "field \"" + f + "\": " + d
            + " is beyond input.maxAbsValue (" + maxAbsValue + ")");
      }
      values[i] = d;
    }
    return new Parsed(new Measurement(key, time, values));
  }

  /**
   * Why {@code key} cannot be a series key, or null: a character that hides or reorders text where the key is shown
   * (logs, the page, the API) or breaks line-based tools: C0 and C1 controls (NUL, tab, newline, ...), the line and
   * paragraph separators, the bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), the
   * left-to-right and right-to-left marks; or a lone surrogate, which no UTF-8 text can hold.
   */
  static String keyProblem(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isISOControl(c)) {
        return "holds the control character U+" + hex(c) + " at " + i;
      }
      if (c == '\u2028' || c == '\u2029' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
          || (c >= '\u2066' && c <= '\u2069')) {
        return "holds the formatting character U+" + hex(c) + " at " + i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds the lone surrogate U+" + hex(c) + " at " + i;
      }
    }
    return null;
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }

  /** A key or other text for a detail: quoted and shortened, see {@link #clean}. */
  static String show(String s) {
    String shown = "\"" + clean(s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN)) + "\"";
    return s.length() <= MAX_SHOWN ? shown : shown + "... (" + s.length() + " characters)";
  }

  /**
   * {@code s} with every character that could break or disguise a log line or header escaped as {@code \\uXXXX}:
   * controls, line and paragraph separators, formatting characters (bidirectional overrides, zero-width ones) and
   * lone surrogates.
   */
  static String clean(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int type = Character.getType(c);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      boolean escape = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || (Character.isSurrogate(c) && !pair
          && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))));
      if (escape && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (escape) {
          b.append("\\u").append(hex(c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ");
    return clean(oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...");
  }

  /** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
  static final class Utf8 {
    private Utf8() {}

    /** The offset of the first byte that is not strict UTF-8 (or NUL, when {@code noNul}), or -1. */
    static int firstInvalid(byte[] b, boolean noNul) {
      int i = 0;
      int n = b.length;
      while (i < n) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
          if (c == 0 && noNul) {
            return i;
          }
          i++;
          continue;
        }
        int len;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
          len = 2;
          min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
          len = 3;
          min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
          len = 4;
          min = 0x10000;
        } else {
          return i;
        }
        if (i + len > n) {
          return i;
        }
        int cp = c & (0xFF >> (len + 1));
        for (int j = 1; j < len; j++) {
          int cc = b[i + j] & 0xFF;
          if ((cc & 0xC0) != 0x80) {
            return i;
          }
          cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return i;
        }
        i += len;
      }
      return -1;
    }

    /** What is wrong at {@code offset}, with the bytes there in hex. */
    static String describe(byte[] b, int offset) {
      StringBuilder s = new StringBuilder();
      if (b[offset] == 0) {
        s.append("a NUL byte at ").append(offset);
        if (b.length > 1 && (b[0] == 0 || b[1] == 0)) {
          s.append(" (UTF-16 or UTF-32 text?)");
        }
      } else {
        s.append("invalid byte sequence at ").append(offset).append(':');
        for (int i = offset; i < Math.min(b.length, offset + 4); i++) {
          s.append(String.format(" %02x", b[i] & 0xFF));
        }
        if (offset == 0 && b.length > 1 && ((b[0] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFF)) {
          s.append(" (a UTF-16 byte-order mark)");
        }
      }
      return s.toString();
    }

    /** The UTF-8 length of well-formed {@code s}. */
    static int length(String s) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n++;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }
  }
}
