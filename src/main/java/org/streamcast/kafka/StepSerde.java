package org.streamcast.kafka;

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
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.domain.Step;

/**
 * The format of the {@code <pipeline>.series} topic, shared by its writer (the topology) and its readers (the
 * retrainer, the demo's live view): {@code {"key":"taylor","ts":"2000-06-05T00:00:00Z","value":22262.0,"count":1}};
 * JSON so that any consumer (and {@code kcat}) can read the resampled history.
 */
public final class StepSerde {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** Schubfach double writer: the shortest decimals that read back to the same doubles (as the forecasts). */
  private static final JsonFactory WRITER =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private StepSerde() {}

  /** The series step serde; a non-finite value is written as {@code null}. */
  public static Serde<Step> json() {
    Serializer<Step> ser = (topic, s) -> s == null ? null : write(s);
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

  private static byte[] write(Step s) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(128)) {
      try (JsonGenerator g = WRITER.createGenerator(out, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("key", s.key());
        g.writeStringField("ts", s.start().toString());
        if (Double.isFinite(s.value())) {
          g.writeNumberField("value", s.value());
        } else {
          g.writeNullField("value");
        }
        g.writeNumberField("count", s.count());
        g.writeEndObject();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
  }
}
