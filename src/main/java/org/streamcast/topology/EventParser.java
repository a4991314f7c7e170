package org.streamcast.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 * format. An event time must fit a Kafka timestamp (epoch milliseconds from 1970 on, in a long): the steps made from
 * it carry it as theirs. Pure and thread-safe: no I/O, no Kafka types.
 */
public final class EventParser {

  /** The outcome of parsing one record. */
  public sealed interface Result permits Parsed, Failed {}

  /** A valid event. */
  public record Parsed(Measurement measurement) implements Result {}

  /** An unusable event, with the reason and a short human-readable detail naming the field and value. */
  public record Failed(DeadLetterReason reason, String detail) implements Result {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private static final int MAX_SHOWN = 60;
  /** The latest event time a Kafka timestamp (epoch milliseconds in a long) can hold. */
  static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

  private final String keyField;
  private final String timeField;
  private final PipelineSpec.TimeFormat timeFormat;
  private final List<String> valueFields;

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
  }

  /**
   * Parses one record.
   *
   * @param recordKey the Kafka record key as text (may be null), used as the series key unless the spec names a
   *                  key field
   * @param value     the record value bytes (may be null)
   */
  public Result parse(String recordKey, byte[] value) {
    if (value == null || value.length == 0) {
      return new Failed(DeadLetterReason.BAD_JSON, "empty record value");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      return new Failed(DeadLetterReason.BAD_JSON, "not valid JSON: " + shorten(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      return new Failed(DeadLetterReason.BAD_JSON, "unreadable value: " + shorten(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      return new Failed(DeadLetterReason.BAD_JSON,
          "not a JSON object: " + shorten(new String(value, StandardCharsets.UTF_8)));
    }
    String key;
    if (keyField == null) {
      key = recordKey;
      if (key == null || key.isEmpty()) {
        return new Failed(DeadLetterReason.EMPTY_KEY, "record key is empty and the spec names no key field");
      }
    } else {
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
    JsonNode t = root.get(timeField);
    if (t == null || t.isNull()) {
      return new Failed(DeadLetterReason.MISSING_FIELD, "field \"" + timeField + "\" is missing");
    }
    Instant time;
    if (t.isTextual() && timeFormat != PipelineSpec.TimeFormat.EPOCH_MILLIS) {
      try {
        time = Instant.parse(t.asText());
      } catch (DateTimeParseException e) {
        return new Failed(DeadLetterReason.BAD_TIMESTAMP, "field \"" + timeField + "\": " + shorten(t.toString())
            + " is not an ISO-8601 instant (e.g. 2000-06-05T00:00:00Z)");
      }
    } else if (t.isIntegralNumber() && t.canConvertToLong() && timeFormat != PipelineSpec.TimeFormat.ISO8601) {
      time = Instant.ofEpochMilli(t.asLong());
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
        return new Failed(DeadLetterReason.MISSING_FIELD, "field \"" + f + "\" is missing");
      }
      if (!v.isNumber()) {
        return new Failed(DeadLetterReason.BAD_TYPE, "field \"" + f + "\": " + shorten(v.toString())
            + " is not a number");
      }
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        return new Failed(DeadLetterReason.NOT_FINITE, "field \"" + f + "\": " + d + " is not finite");
      }
      values[i] = d;
    }
    return new Parsed(new Measurement(key, time, values));
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...";
  }
}
