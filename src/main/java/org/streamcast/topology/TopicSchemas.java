package org.streamcast.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;

/**
 * JSON Schemas (draft 2020-12) of the topics a pipeline reads and writes, generated from its spec: the events on
 * {@code input.topic} (with the spec's field names, time format and limits), the resampled steps on
 * {@code output.series} ({@link org.streamcast.kafka.StepSerde#json}), the forecasts on {@code output.forecasts}
 * ({@link TopologySerdes#forecastJson}), the anomalies on {@code output.anomalies} ({@link TopologySerdes#anomalyJson})
 * and the dead letters on {@code output.deadLetters}. A dead letter's value is
 * the rejected record's bytes, unchanged, which may not be JSON at all; its schema therefore describes the record's
 * headers as one JSON object of header name to UTF-8 text ({@link DeadLetterProcessor}). Pure: no I/O.
 */
public final class TopicSchemas {
  /** The JSON Schema dialect of every schema. */
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String DATE_TIME = "date-time";

  private TopicSchemas() {}

  /**
   * The schema of every topic of {@code spec}, by topic name, in the order input, series, forecasts, anomalies (when
   * on), dead letters.
   */
  public static Map<String, ObjectNode> of(PipelineSpec spec) {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    out.put(spec.input().topic(), events(spec));
    out.put(spec.output().series(), series(spec));
    out.put(spec.output().forecasts(), forecasts(spec));
    if (spec.output().anomalies() != null) {
      out.put(spec.output().anomalies(), anomalies(spec));
    }
    out.put(spec.output().deadLetters(), deadLetters(spec));
    return out;
  }

  /** A schema as written to files and printed: two-space indents, one property per line, a final newline. */
  public static String text(ObjectNode schema) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    try {
      return JSON.writer(printer).writeValueAsString(schema) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a schema tree cannot fail to print", e);
    }
  }

  /** The file name of a topic's schema: {@code <topic>.schema.json}. */
  public static String fileName(String topic) {
    return topic + ".schema.json";
  }

  private static ObjectNode root(PipelineSpec spec, String topic, String title, String description) {
    ObjectNode n = JSON.createObjectNode();
    n.put("$schema", DIALECT);
    n.put("$id", "urn:streamcast:" + spec.name() + ":" + topic);
    n.put("title", title);
    n.put("description", description);
    return n;
  }

  static ObjectNode events(PipelineSpec spec) {
    PipelineSpec.Input in = spec.input();
    String keyDoc = in.keyField() == null
        ? "The series key is the Kafka record key: non-empty strict UTF-8 text of at most " + in.maxKeyBytes()
            + " bytes (input.maxKeyBytes) without control, line-break or bidirectional-formatting characters."
        : "The series key is the field \"" + in.keyField() + "\"; the Kafka record key is not read.";
    ObjectNode n = root(spec, in.topic(), "Events of pipeline " + spec.name(),
        "One event per record: a JSON object in strict UTF-8, each field named once, nothing after it, the record "
            + "(key, value and headers) at most " + in.maxRecordBytes() + " bytes (input.maxRecordBytes). " + keyDoc
            + " Fields not listed here are ignored. A record that does not fit goes to " + spec.output().deadLetters()
            + " with its reason in the headers.");
    n.put("type", "object");
    ObjectNode props = n.putObject("properties");
    ArrayNode required = n.putArray("required");
    if (in.keyField() != null) {
      ObjectNode key = props.putObject(in.keyField());
      key.put("description", "The series key (input.keyField): text, or an integer read as its decimal text; "
          + "at most " + in.maxKeyBytes() + " UTF-8 bytes (input.maxKeyBytes), no control, line-break or "
          + "bidirectional-formatting characters.");
      key.putArray("type").add("string").add("integer");
      key.put("minLength", 1);
      key.put("pattern", "^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u200E\\u200F\\u202A-\\u202E"
          + "\\u2066-\\u2069]*$");
      required.add(in.keyField());
    }
    ObjectNode time = props.putObject(in.timeField());
    ObjectNode iso = JSON.createObjectNode().put("type", "string").put("format", DATE_TIME);
    ObjectNode millis = JSON.createObjectNode().put("type", "integer").put("minimum", 0);
    switch (in.timeFormat()) {
      case ISO8601 -> {
        time.put("description", "The event time (input.timeField, timeFormat iso8601): an ISO-8601 instant such "
            + "as 2000-06-05T00:00:00Z.");
        time.setAll(iso);
      }
      case EPOCH_MILLIS -> {
        time.put("description", "The event time (input.timeField, timeFormat epoch_millis): milliseconds since "
            + "1970-01-01T00:00:00Z.");
        time.setAll(millis);
      }
      case AUTO -> {
        time.put("description", "The event time (input.timeField, timeFormat auto): an ISO-8601 instant such as "
            + "2000-06-05T00:00:00Z, or milliseconds since 1970-01-01T00:00:00Z from 1e11 (1973-03-03) on: a smaller "
            + "number is more likely epoch seconds or a counter (timeFormat epoch_millis takes it).");
        time.putArray("oneOf").add(iso).add(millis.deepCopy().put("minimum", EventParser.AUTO_MIN_MILLIS));
      }
      default -> throw new IllegalArgumentException("time format " + in.timeFormat());
    }
    required.add(in.timeField());
    for (String f : values(in)) {
      ObjectNode v = props.putObject(f);
      boolean target = f.equals(in.target());
      v.put("description", (target ? "The forecast target" : "A covariate")
          + " (input.valueFields): a finite number of magnitude at most " + number(in.maxAbsValue())
          + " (input.maxAbsValue)." + (target ? "" : " Absent or null: a missing reading (the step holds the "
          + "field's last value)."));
      if (target) {
        v.put("type", "number");
        required.add(f);
      } else {
        v.putArray("type").add("number").add("null");
      }
      v.put("minimum", -in.maxAbsValue());
      v.put("maximum", in.maxAbsValue());
    }
    return n;
  }

  /** The value fields, target first, as the parser reads them. */
  private static List<String> values(PipelineSpec.Input in) {
    List<String> out = new java.util.ArrayList<>(List.of(in.target()));
    in.valueFields().stream().filter(f -> !f.equals(in.target())).forEach(out::add);
    return out;
  }

  static ObjectNode series(PipelineSpec spec) {
    ObjectNode n = root(spec, spec.output().series(), "Series of pipeline " + spec.name(),
        "One regular step of one key's resampled series (window.step " + spec.window().step() + ", aggregation "
            + spec.window().aggregation(spec.input().target()).name().toLowerCase(java.util.Locale.ROOT)
            + " of the target " + spec.input().target() + "). The Kafka record key is the series key.");
    n.put("type", "object");
    ObjectNode props = n.putObject("properties");
    props.putObject("key").put("description", "The series key.").put("type", "string").put("minLength", 1);
    props.putObject("ts").put("description", "Start of the step, ISO-8601 UTC.").put("type", "string")
        .put("format", DATE_TIME);
    ObjectNode value = props.putObject("value");
    value.put("description", "The aggregated target; null only if it was not finite (never written by the "
        + "pipeline, which dead-letters an overflowing aggregate).");
    value.putArray("type").add("number").add("null");
    props.putObject("count").put("description", "Events aggregated into the step.").put("type", "integer")
        .put("minimum", 1);
    List<String> covariates = spec.input().covariates();
    if (!covariates.isEmpty()) {
      ObjectNode cov = props.putObject("covariates");
      cov.put("description", "The other value fields (the model's covariates), each aggregated with its own "
          + "aggregation (window.aggregations); records written before a field was added lack it.");
      cov.put("type", "object");
      ObjectNode fields = cov.putObject("properties");
      for (String f : covariates) {
        ObjectNode v = fields.putObject(f);
        v.put("description", "The " + spec.window().aggregation(f).name().toLowerCase(java.util.Locale.ROOT)
            + " of " + f + " over the step.");
        v.putArray("type").add("number").add("null");
      }
      cov.put("additionalProperties", false);
    }
    n.putArray("required").add("key").add("ts").add("value").add("count");
    n.put("additionalProperties", false);
    return n;
  }

  static ObjectNode forecasts(PipelineSpec spec) {
    int horizon = spec.model().horizon();
    ObjectNode n = root(spec, spec.output().forecasts(), "Forecasts of pipeline " + spec.name(),
        "The forecasts one key's model made at one origin, for h = 1.." + horizon + " (model.horizon; a model "
            + "trained for a longer horizon may add more). The Kafka record key is the series key.");
    n.put("type", "object");
    ObjectNode props = n.putObject("properties");
    props.putObject("key").put("description", "The series key.").put("type", "string").put("minLength", 1);
    props.putObject("pipeline").put("description", "The pipeline's name.").put("const", spec.name());
    props.putObject("origin").put("description", "Start of the last observed step, ISO-8601 UTC.")
        .put("type", "string").put("format", DATE_TIME);
    props.putObject("model").put("description", "The recurrent cell that served at least one horizon (gru, lstm, "
        + "rnn), or baseline when no horizon was served the learned output.").put("type", "string")
        .put("minLength", 1);
    props.putObject("modelVersion").put("description", "Version of the model on streamcast.models that made "
        + "every value (0: the seasonal-naive baseline before any model).").put("type", "integer")
        .put("minimum", 0);
    ObjectNode points = props.putObject("forecasts");
    points.put("description", "One point per horizon, h ascending.");
    points.put("type", "array");
    points.put("minItems", horizon);
    ObjectNode point = points.putObject("items");
    point.put("type", "object");
    ObjectNode pp = point.putObject("properties");
    pp.putObject("h").put("description", "Steps ahead (1-based).").put("type", "integer").put("minimum", 1);
    pp.putObject("ts").put("description", "Start of the forecast step, ISO-8601 UTC.").put("type", "string")
        .put("format", DATE_TIME);
    ObjectNode value = pp.putObject("value");
    value.put("description", "The forecast; null only if it was not finite (the pipeline withholds such "
        + "forecasts).");
    value.putArray("type").add("number").add("null");
    pp.putObject("source").put("description", "What served the horizon: " + Forecast.LEARNED + " (the model's "
        + "learned output) or the baseline's name (naive, snaive(336), ets(A,Ad,A), ...).").put("type", "string")
        .put("minLength", 1);
    List<String> levels = spec.intervals().stream().map(Forecast.Interval::levelText).toList();
    pp.set("lower", bounds("Lower bound per interval level (intervals); only the levels that had enough residuals, "
        + "the whole object absent while none had.", levels));
    pp.set("upper", bounds("Upper bound per interval level, as lower.", levels));
    point.putArray("required").add("h").add("ts").add("value");
    point.putObject("dependentRequired").set("lower", JSON.createArrayNode().add("upper"));
    point.put("additionalProperties", false);
    n.putArray("required").add("key").add("pipeline").add("origin").add("model").add("modelVersion")
        .add("forecasts");
    n.put("additionalProperties", false);
    return n;
  }

  static ObjectNode anomalies(PipelineSpec spec) {
    String level = Forecast.Interval.levelText(spec.anomalies().level());
    ObjectNode n = root(spec, spec.output().anomalies(), "Anomalies of pipeline " + spec.name(),
        "One anomalous actual: outside the " + level + " interval (anomalies.level) forecast for it (kind band), "
            + "the step of a run of identical actuals that the key's history makes unlikely (flatline), or of "
            + "errors that stayed on one side (shift), or a reading that jumped and came straight back (spike, "
            + "published at the next step with the time of the step it happened); at most "
            + number(spec.anomalies().maxPerKeyPerHour())
            + " per key and hour of event time (anomalies.maxPerKeyPerHour). The Kafka record key is the series "
            + "key.");
    n.put("type", "object");
    ObjectNode props = n.putObject("properties");
    props.putObject("key").put("description", "The series key.").put("type", "string").put("minLength", 1);
    props.putObject("ts").put("description", "Start of the step whose actual it is, ISO-8601 UTC.")
        .put("type", "string").put("format", DATE_TIME);
    props.putObject("actual").put("description", "The step's actual, as observed.").put("type", "number");
    props.putObject("forecast").put("description", "The forecast made for the step h steps before.")
        .put("type", "number");
    props.putObject("lower").put("description", "Lower bound of the interval at level.").put("type", "number");
    props.putObject("upper").put("description", "Upper bound of the interval at level.").put("type", "number");
    props.putObject("level").put("description", "The interval level checked (anomalies.level).")
        .put("const", spec.anomalies().level());
    props.putObject("h").put("description", "Steps ahead the forecast was made (1 unless the steps before were "
        + "imputed).").put("type", "integer").put("minimum", 1).put("maximum", spec.model().horizon());
    props.putObject("score").put("description", "|actual - forecast| / half-width: above 1 for kind band; at "
        + "most 1e6 (a band of width 0).").put("type", "number").put("minimum", 0).put("maximum", 1e6);
    props.putObject("model").put("description", "The model serving the key at the step (gru, lstm, rnn, or "
        + "baseline when the horizon was served its baseline).").put("type", "string").put("minLength", 1);
    props.putObject("modelVersion").put("description", "Its version on streamcast.models (0: the seasonal-naive "
        + "baseline before any model).").put("type", "integer").put("minimum", 0);
    ArrayNode kinds = props.putObject("kind").put("description", "What made it an anomaly: band (outside the "
        + "interval), flatline (anomalies.flatline), shift (anomalies.shift) or spike (anomalies.spike).")
        .putArray("enum");
    Anomaly.KINDS.forEach(kinds::add);
    ArrayNode required = n.putArray("required");
    List.of("key", "ts", "actual", "forecast", "lower", "upper", "level", "h", "score", "model", "modelVersion",
        "kind").forEach(required::add);
    n.put("additionalProperties", false);
    return n;
  }

  private static ObjectNode bounds(String description, List<String> levels) {
    ObjectNode b = JSON.createObjectNode();
    b.put("description", description);
    b.put("type", "object");
    ArrayNode names = b.putObject("propertyNames").putArray("enum");
    levels.forEach(names::add);
    b.putObject("additionalProperties").put("type", "number");
    return b;
  }

  static ObjectNode deadLetters(PipelineSpec spec) {
    ObjectNode n = root(spec, spec.output().deadLetters(), "Dead letters of pipeline " + spec.name(),
        "A record the pipeline could not use. The Kafka record key and value are the original record's bytes, "
            + "unchanged (the value need not be JSON), except that a record refused for its size (key-too-long, "
            + "too-large) is cut to the input limits, its own headers dropped and "
            + DeadLetterProcessor.ORIGINAL_SIZE + " set. This schema describes the record's headers, read as one "
            + "JSON object of header name to UTF-8 text; headers of the original record are kept beside them.");
    n.put("type", "object");
    ObjectNode props = n.putObject("properties");
    ObjectNode reason = props.putObject(DeadLetterProcessor.REASON);
    reason.put("description", "Why the record was refused (see README, \"Dead letters\").");
    ArrayNode reasons = reason.putArray("enum");
    for (DeadLetterReason r : DeadLetterReason.values()) {
      reasons.add(r.wireName());
    }
    props.putObject(DeadLetterProcessor.DETAIL)
        .put("description", "One line naming the field and value at fault.").put("type", "string");
    props.putObject(DeadLetterProcessor.TOPIC)
        .put("description", "The topic the record was read from.").put("type", "string").put("minLength", 1);
    props.putObject(DeadLetterProcessor.PARTITION).put("description", "The partition it was read from.")
        .put("type", "string").put("pattern", "^(0|[1-9][0-9]*)$");
    props.putObject(DeadLetterProcessor.OFFSET).put("description", "The offset it was read from.")
        .put("type", "string").put("pattern", "^(0|[1-9][0-9]*)$");
    props.putObject(DeadLetterProcessor.PIPELINE).put("description", "The pipeline that refused it.")
        .put("const", spec.name());
    props.putObject(DeadLetterProcessor.ORIGINAL_SIZE).put("description", "The original record's size in bytes "
        + "(key, value and headers), present only when it was cut.").put("type", "string")
        .put("pattern", "^(0|[1-9][0-9]*)$");
    n.putArray("required").add(DeadLetterProcessor.REASON).add(DeadLetterProcessor.DETAIL)
        .add(DeadLetterProcessor.TOPIC).add(DeadLetterProcessor.PARTITION).add(DeadLetterProcessor.OFFSET)
        .add(DeadLetterProcessor.PIPELINE);
    return n;
  }

  /** A limit as text: 1.0E15, without a trailing {@code .0} for whole numbers below 1e7. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v) : Double.toString(v);
  }
}
