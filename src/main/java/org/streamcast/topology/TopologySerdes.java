package org.streamcast.topology;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Measurement;

/** The explicit serdes of the pipeline's topics that are not plain bytes or strings. */
public final class TopologySerdes {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /**
   * Writes the output records field by field, with the Schubfach double writer: building a tree and printing it with
   * the JDK 17 {@code Double.toString} took a fifth of the pipeline's CPU (BENCHMARKS.md, "End to end"). The numbers
   * are the shortest decimals that read back to the same doubles.
   */
  private static final JsonFactory WRITER =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private TopologySerdes() {}

  /**
   * The {@code <pipeline>.forecasts} format: {@code {"key":..., "pipeline":..., "origin": ISO-8601, "model":"gru",
   * "modelVersion":3, "forecasts":[{"h":1, "ts": ISO-8601, "value":..., "source":"learned", "lower":{"0.8":...,
   * "0.95":...}, "upper":{"0.8":..., "0.95":...}}, ...]}}. {@code source} says what served the horizon: the model's
   * learned output ({@code learned}) or the baseline that served instead ({@code naive}, {@code snaive(336)}, ...);
   * {@code model} is {@code baseline} when no horizon was learned. {@code lower} and {@code upper} map each interval
   * level to its bound; they hold only the levels that had enough residuals and are left out while none had.
   */
  public static Serde<Forecast> forecastJson() {
    Serializer<Forecast> ser = (topic, f) -> f == null ? null : toJsonBytes(f);
    Deserializer<Forecast> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(bytes);
        java.util.List<Forecast.Point> points = new java.util.ArrayList<>();
        for (JsonNode p : n.get("forecasts")) {
          JsonNode source = p.get("source");
          points.add(new Forecast.Point(p.get("h").asInt(), Instant.parse(p.get("ts").asText()),
              p.get("value").asDouble(), intervals(p), source == null || source.isNull() ? null : source.asText()));
        }
        return new Forecast(n.get("key").asText(), n.get("pipeline").asText(), Instant.parse(n.get("origin").asText()),
            n.get("model").asText(), n.get("modelVersion").asLong(), points);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a forecast record: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }

  /**
   * The {@code <pipeline>.anomalies} format: {@code {"key":..., "ts": ISO-8601, "actual":..., "forecast":...,
   * "lower":..., "upper":..., "level":0.95, "h":1, "score":..., "model":"gru", "modelVersion":3,
   * "kind":"band"}} ({@link Anomaly}; a record written before {@code kind} existed reads as {@code band}).
   */
  public static Serde<Anomaly> anomalyJson() {
    Serializer<Anomaly> ser = (topic, a) -> a == null ? null : toJsonBytes(a);
    Deserializer<Anomaly> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(bytes);
        return new Anomaly(n.get("key").asText(), Instant.parse(n.get("ts").asText()), n.get("actual").asDouble(),
            n.get("forecast").asDouble(), n.get("lower").asDouble(), n.get("upper").asDouble(),
            n.get("level").asDouble(), n.get("h").asInt(), n.get("score").asDouble(), n.get("model").asText(),
            n.get("modelVersion").asLong(), n.hasNonNull("kind") ? n.get("kind").asText() : Anomaly.BAND);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not an anomaly record: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }

  private static byte[] toJsonBytes(Anomaly a) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("key", a.key());
      g.writeStringField("ts", a.ts().toString());
      number(g, "actual", a.actual());
      number(g, "forecast", a.forecast());
      number(g, "lower", a.lower());
      number(g, "upper", a.upper());
      g.writeNumberField("level", a.level());
      g.writeNumberField("h", a.h());
      number(g, "score", a.score());
      g.writeStringField("model", a.model());
      g.writeNumberField("modelVersion", a.modelVersion());
      g.writeStringField("kind", a.kind());
      g.writeEndObject();
    });
  }

  private static java.util.List<Forecast.Interval> intervals(JsonNode point) {
    JsonNode lower = point.get("lower");
    JsonNode upper = point.get("upper");
    if (lower == null || upper == null) {
      return java.util.List.of();
    }
    java.util.List<Forecast.Interval> out = new java.util.ArrayList<>();
    lower.fieldNames().forEachRemaining(level -> {
      JsonNode up = upper.get(level);
      if (up != null && up.isNumber() && lower.get(level).isNumber()) {
        out.add(new Forecast.Interval(Double.parseDouble(level), lower.get(level).asDouble(), up.asDouble()));
      }
    });
    out.sort(java.util.Comparator.comparingDouble(Forecast.Interval::level));
    return out;
  }

  /** The JSON text of a forecast, as on the forecasts topic. */
  public static String toJson(Forecast f) {
    return new String(toJsonBytes(f), StandardCharsets.UTF_8);
  }

  private static byte[] toJsonBytes(Forecast f) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("key", f.key());
      g.writeStringField("pipeline", f.pipeline());
      g.writeStringField("origin", IsoTimes.format(f.origin()));
      g.writeStringField("model", f.model());
      g.writeNumberField("modelVersion", f.modelVersion());
      g.writeArrayFieldStart("forecasts");
      LevelNames levels = new LevelNames();
      for (Forecast.Point p : f.points()) {
        g.writeStartObject();
        g.writeNumberField("h", p.h());
        g.writeStringField("ts", IsoTimes.format(p.time()));
        number(g, "value", p.value());
        if (p.source() != null) {
          g.writeStringField("source", p.source());
        }
        if (anyFinite(p.intervals())) {
          g.writeObjectFieldStart("lower");
          for (Forecast.Interval i : p.intervals()) {
            if (finite(i)) {
              g.writeNumberField(levels.of(i.level()), i.lower());
            }
          }
          g.writeEndObject();
          g.writeObjectFieldStart("upper");
          for (Forecast.Interval i : p.intervals()) {
            if (finite(i)) {
              g.writeNumberField(levels.of(i.level()), i.upper());
            }
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * Writes a number, or null when it is not finite: JSON has no NaN or infinity, and the strings Jackson would write
   * instead ({@code "NaN"}) break consumers that expect a number. The pipeline withholds non-finite forecasts; this
   * is the last guard.
   */
  private static void number(JsonGenerator g, String field, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(field, v);
    } else {
      g.writeNullField(field);
    }
  }

  /** Whether both bounds of an interval are finite (an interval that is not is left out). */
  private static boolean finite(Forecast.Interval i) {
    return Double.isFinite(i.lower()) && Double.isFinite(i.upper());
  }

  private static boolean anyFinite(java.util.List<Forecast.Interval> intervals) {
    for (Forecast.Interval i : intervals) {
      if (finite(i)) {
        return true;
      }
    }
    return false;
  }

  /** The JSON names of interval levels, each formatted once per record (every horizon has the same levels). */
  private static final class LevelNames {
    private double[] levels = new double[0];
    private String[] names = new String[0];

    String of(double level) {
      for (int i = 0; i < levels.length; i++) {
        if (levels[i] == level) {
          return names[i];
        }
      }
      levels = java.util.Arrays.copyOf(levels, levels.length + 1);
      names = java.util.Arrays.copyOf(names, names.length + 1);
      levels[levels.length - 1] = level;
      names[names.length - 1] = Forecast.Interval.levelText(level);
      return names[names.length - 1];
    }
  }

  /** What a record's writer does with the generator. */
  @FunctionalInterface
  private interface JsonWriting {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(JsonWriting writing) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
      try (JsonGenerator g = WRITER.createGenerator(out, JsonEncoding.UTF8)) {
        writing.write(g);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
  }

  /**
   * Accepted events on the repartition topic (only used when the key comes from a JSON field): version byte (1),
   * the measurement, and the source coordinates and original bytes (so a late event can still be dead-lettered
   * unchanged). Bounded by the input limits: the parser accepted the record only if its key, value and headers
   * together fit {@code input.maxRecordBytes} and its series key {@code input.maxKeyBytes}, so this record is at
   * most their sum plus a few dozen bytes. Every length is checked against the bytes left before anything is
   * allocated.
   */
  static Serde<Routed> acceptedBinary() {
    Serializer<Routed> ser = (topic, r) -> {
      if (r == null) {
        return null;
      }
      Routed.Accepted a = (Routed.Accepted) r;
      Measurement m = a.measurement();
      SourceRecord s = a.source();
      byte[] key = m.key().getBytes(StandardCharsets.UTF_8);
      byte[] st = s.topic().getBytes(StandardCharsets.UTF_8);
      double[] values = m.values();
      ByteBuffer b = ByteBuffer.allocate(1 + 4 + key.length + 8 + 4 + 8 * values.length + 4 + st.length + 4 + 8
          + 4 + len(s.key()) + 4 + len(s.value()));
      b.put((byte) 1).putInt(key.length).put(key).putLong(m.time().toEpochMilli()).putInt(values.length);
      for (double v : values) {
        b.putDouble(v);
      }
      b.putInt(st.length).put(st).putInt(s.partition()).putLong(s.offset());
      putBytes(b, s.key());
      putBytes(b, s.value());
      return b.array();
    };
    Deserializer<Routed> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return readAccepted(ByteBuffer.wrap(bytes));
      } catch (BufferUnderflowException | IllegalArgumentException e) {
        throw new SerializationException("accepted-event record on " + topic + " (" + bytes.length
            + " bytes) is corrupt: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }

  /** Reads an accepted-event record; every length is checked against the bytes that remain before allocating. */
  private static Routed.Accepted readAccepted(ByteBuffer b) {
    byte version = b.get();
    if (version != 1) {
      throw new IllegalArgumentException("unknown format version " + version);
    }
    String key = utf8(getBytes(b, false));
    if (key.isEmpty()) {
      throw new IllegalArgumentException("no series key");
    }
    Instant time = Instant.ofEpochMilli(b.getLong());
    int n = b.getInt();
    if (n < 1 || n > PipelineSpec.Input.MAX_VALUE_FIELDS || 8L * n > b.remaining()) {
      throw new IllegalArgumentException(n + " values with " + b.remaining() + " bytes left");
    }
    double[] values = new double[n];
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getDouble();
    }
    String sourceTopic = utf8(getBytes(b, false));
    int partition = b.getInt();
    long offset = b.getLong();
    byte[] rawKey = getBytes(b, true);
    byte[] rawValue = getBytes(b, true);
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(b.remaining() + " trailing bytes");
    }
    return new Routed.Accepted(new Measurement(key, time, values),
        new SourceRecord(rawKey, rawValue, sourceTopic, partition, offset));
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(bytes.length).put(bytes);
    }
  }

  /** A length-prefixed byte string (length -1: null, allowed only when {@code nullable}), bounded by what remains. */
  private static byte[] getBytes(ByteBuffer b, boolean nullable) {
    int n = b.getInt();
    if (n == -1 && nullable) {
      return null;
    }
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("length " + n + " with " + b.remaining() + " bytes left");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
