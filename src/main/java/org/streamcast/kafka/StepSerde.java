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
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.domain.Step;

/**
 * The format of the {@code <pipeline>.series} topic, shared by its writer (the topology) and its readers (the
 * retrainer, the demo's live view): {@code {"key":"taylor","ts":"2000-06-05T00:00:00Z","value":22262.0,"count":1}};
 * JSON so that any consumer (and {@code kcat}) can read the resampled history. A pipeline with covariates adds them
 * by name, {@code "covariates":{"temp_min":3.3,"wind":5.1}}; a record without them (written before, or by a
 * target-only pipeline) reads with each covariate missing ({@code NaN}), as does one whose value is {@code null}.
 */
public final class StepSerde {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** Schubfach double writer: the shortest decimals that read back to the same doubles (as the forecasts). */
  private static final JsonFactory WRITER =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private StepSerde() {}

  /** The series step serde of a target-only pipeline; a non-finite value is written as {@code null}. */
  public static Serde<Step> json() {
    return json(List.of());
  }

  /** The series step serde of a pipeline whose covariates are {@code covariates} (in order). */
  public static Serde<Step> json(List<String> covariates) {
    List<String> names = List.copyOf(covariates);
    Serializer<Step> ser = (topic, s) -> s == null ? null : write(s, names);
    Deserializer<Step> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(bytes);
        double[] cov = new double[names.size()];
        JsonNode c = n.get("covariates");
        for (int f = 0; f < cov.length; f++) {
          JsonNode v = c == null ? null : c.get(names.get(f));
          cov[f] = v == null || !v.isNumber() ? Double.NaN : v.asDouble();
        }
        return new Step(n.get("key").asText(), Instant.parse(n.get("ts").asText()), n.get("value").asDouble(),
            n.get("count").asInt(), cov);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a series step record: " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }

  private static byte[] write(Step s, List<String> names) {
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
        double[] cov = s.covariates();
        if (!names.isEmpty()) {
          g.writeObjectFieldStart("covariates");
          for (int f = 0; f < names.size(); f++) {
            double v = f < cov.length ? cov[f] : Double.NaN;
            if (Double.isFinite(v)) {
              g.writeNumberField(names.get(f), v);
            } else {
              g.writeNullField(names.get(f));
            }
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
  }
}
