package org.streamcast.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Step;

/** The explicit serdes of the pipeline's topics that are not plain bytes or strings. */
public final class TopologySerdes {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private TopologySerdes() {}

  /**
   * The {@code <pipeline>.series} format: {@code {"key":"taylor","ts":"2000-06-05T00:00:00Z","value":22262.0,
   * "count":1}}; JSON so that any consumer (and {@code kcat}) can read the resampled history.
   */
  public static Serde<Step> stepJson() {
    Serializer<Step> ser = (topic, s) -> {
      if (s == null) {
        return null;
      }
      ObjectNode n = JSON.createObjectNode();
      n.put("key", s.key());
      n.put("ts", s.start().toString());
      n.put("value", s.value());
      n.put("count", s.count());
      return n.toString().getBytes(StandardCharsets.UTF_8);
    };
    Deserializer<Step> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(bytes);
        return new Step(n.get("key").asText(), Instant.parse(n.get("ts").asText()), n.get("value").asDouble(),
            n.get("count").asInt());
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a series step record: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }

  /**
   * The {@code <pipeline>.forecasts} format: {@code {"key":..., "pipeline":..., "origin": ISO-8601, "model":"gru",
   * "modelVersion":3, "forecasts":[{"h":1, "ts": ISO-8601, "value":..., "lower":{"0.8":..., "0.95":...},
   * "upper":{"0.8":..., "0.95":...}}, ...]}}. {@code lower} and {@code upper} map each interval level to its bound;
   * they hold only the levels that had enough residuals and are left out while none had.
   */
  public static Serde<Forecast> forecastJson() {
    Serializer<Forecast> ser = (topic, f) -> f == null ? null : toJson(f).getBytes(StandardCharsets.UTF_8);
    Deserializer<Forecast> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(bytes);
        java.util.List<Forecast.Point> points = new java.util.ArrayList<>();
        for (JsonNode p : n.get("forecasts")) {
          points.add(new Forecast.Point(p.get("h").asInt(), Instant.parse(p.get("ts").asText()),
              p.get("value").asDouble(), intervals(p)));
        }
        return new Forecast(n.get("key").asText(), n.get("pipeline").asText(), Instant.parse(n.get("origin").asText()),
            n.get("model").asText(), n.get("modelVersion").asLong(), points);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a forecast record: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
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
    ObjectNode n = JSON.createObjectNode();
    n.put("key", f.key());
    n.put("pipeline", f.pipeline());
    n.put("origin", f.origin().toString());
    n.put("model", f.model());
    n.put("modelVersion", f.modelVersion());
    com.fasterxml.jackson.databind.node.ArrayNode arr = n.putArray("forecasts");
    for (Forecast.Point p : f.points()) {
      ObjectNode o = arr.addObject();
      o.put("h", p.h());
      o.put("ts", p.time().toString());
      o.put("value", p.value());
      if (!p.intervals().isEmpty()) {
        ObjectNode lower = o.putObject("lower");
        ObjectNode upper = o.putObject("upper");
        for (Forecast.Interval i : p.intervals()) {
          String level = Forecast.Interval.levelText(i.level());
          lower.put(level, i.lower());
          upper.put(level, i.upper());
        }
      }
    }
    return n.toString();
  }

  /**
   * Accepted events on the repartition topic (only used when the key comes from a JSON field): version byte (1),
   * the measurement, and the source coordinates and original bytes (so a late event can still be dead-lettered
   * unchanged).
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
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte version = b.get();
      if (version != 1) {
        throw new SerializationException("accepted-event record has unknown format version " + version);
      }
      String key = new String(getBytes(b), StandardCharsets.UTF_8);
      Instant time = Instant.ofEpochMilli(b.getLong());
      double[] values = new double[b.getInt()];
      for (int i = 0; i < values.length; i++) {
        values[i] = b.getDouble();
      }
      String sourceTopic = new String(getBytes(b), StandardCharsets.UTF_8);
      int partition = b.getInt();
      long offset = b.getLong();
      byte[] rawKey = getBytes(b);
      byte[] rawValue = getBytes(b);
      return new Routed.Accepted(new Measurement(key, time, values),
          new SourceRecord(rawKey, rawValue, sourceTopic, partition, offset));
    };
    return Serdes.serdeFrom(ser, de);
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

  private static byte[] getBytes(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
