package org.streamcast.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.streamcast.config.PipelineSpec.CalendarFeature;
import org.streamcast.config.PipelineSpec.Model;
import org.streamcast.config.PipelineSpec.Output;

/** The rules of a spec that go beyond one field's type: names, ranges that depend on other fields, uniqueness. */
final class SpecChecks {
  static final String PIPELINE_NAME_RULE = "use 1 to 100 letters, digits, '.', '_' and '-': it prefixes topic names";
  private static final Pattern PIPELINE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final String source;

  SpecChecks(String source) {
    this.source = source;
  }

  private SpecException error(String field, String reason) {
    return SpecException.of(source, field, reason);
  }

  static boolean isPipelineName(String name) {
    return PIPELINE_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
  }

  void pipelineName(String field, String name) {
    if (!isPipelineName(name)) {
      throw error(field, Durations.quote(name) + " is not a valid pipeline name (" + PIPELINE_NAME_RULE + ")");
    }
  }

  void topicName(String field, String topic) {
    KafkaNames.checkTopic(source, field, topic);
    if (topic.equals(SpecDefaults.MODELS_TOPIC)) {
      throw error(field, Durations.quote(topic) + " is reserved for model artifacts");
    }
  }

  /** A duration field must be longer than zero and whole milliseconds. */
  void positive(SpecNode s, String name, Duration d) {
    if (d.isZero()) {
      throw s.error(name, SpecNode.show(s.raw(name)) + " is not longer than zero");
    }
    wholeMillis(s, name, d);
  }

  /**
   * {@code state.keyIdleTimeout} (not zero: zero turns expiry off) must be whole milliseconds and at least two steps
   * plus the grace: a key that steps every step is then never that long without a step.
   */
  void keyIdleTimeout(SpecNode s, Duration d, PipelineSpec.Window window) {
    wholeMillis(s, "keyIdleTimeout", d);
    Duration least = window.step().multipliedBy(2).plus(window.grace());
    if (d.compareTo(least) < 0) {
      throw s.error("keyIdleTimeout", SpecNode.show(s.raw("keyIdleTimeout")) + " is shorter than two steps plus the"
          + " grace (" + Durations.format(least) + "): keys would expire between their steps (0 or none: never)");
    }
  }

  /** {@code training.maxHistoryBytes}: from 1 MiB to 1 TiB. */
  void historyBytes(SpecNode s, long bytes) {
    if (bytes < PipelineSpec.Budget.MIN_HISTORY_BYTES || bytes > PipelineSpec.Budget.MAX_HISTORY_BYTES_LIMIT) {
      throw s.error("maxHistoryBytes", bytes + " is outside " + PipelineSpec.Budget.MIN_HISTORY_BYTES + " (1 MiB) to "
          + PipelineSpec.Budget.MAX_HISTORY_BYTES_LIMIT + " (1 TiB)");
    }
  }

  /** A duration field must be whole milliseconds (Kafka's time resolution). */
  void wholeMillis(SpecNode s, String name, Duration d) {
    if (d.getNano() % 1_000_000 != 0) {
      throw s.error(name, SpecNode.show(s.raw(name)) + " is not a whole number of milliseconds");
    }
  }

  /** Field names must be present, distinct, and the target one of the value fields. */
  void fields(SpecNode s, String keyField, String timeField, List<String> valueFields, String target) {
    if (keyField != null && keyField.isBlank()) {
      throw error(s.field("keyField"), "an empty field name is not allowed (leave keyField out for \"key\", "
          + "or write keyField: null for the Kafka record key)");
    }
    if (timeField.isBlank()) {
      throw error(s.field("timeField"), "an empty field name is not allowed");
    }
    if (valueFields.isEmpty()) {
      throw error(s.field("valueFields"), "an empty list is not allowed (name at least one value field)");
    }
    if (valueFields.size() > PipelineSpec.Input.MAX_VALUE_FIELDS) {
      throw error(s.field("valueFields"), valueFields.size() + " fields are more than the allowed "
          + PipelineSpec.Input.MAX_VALUE_FIELDS);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < valueFields.size(); i++) {
      String f = valueFields.get(i);
      String path = s.field("valueFields") + "[" + i + "]";
      if (f.isBlank()) {
        throw error(path, "an empty field name is not allowed");
      }
      if (!seen.add(f)) {
        throw error(path, Durations.quote(f) + " is listed twice");
      }
    }
    if (keyField != null && keyField.equals(timeField)) {
      throw error(s.field("timeField"), Durations.quote(timeField) + " is also the key field");
    }
    if (keyField != null && seen.contains(keyField)) {
      throw error(s.field("keyField"), Durations.quote(keyField) + " is also a value field");
    }
    if (seen.contains(timeField)) {
      throw error(s.field("timeField"), Durations.quote(timeField) + " is also a value field");
    }
    if (!seen.contains(target)) {
      throw error(s.field("target"), Durations.quote(target) + " is not one of the value fields ("
          + String.join(", ", valueFields) + ")");
    }
  }

  /** Every field of {@code window.aggregations} must be a value field. */
  void aggregations(PipelineSpec.Window window, PipelineSpec.Input input) {
    for (String f : new java.util.TreeSet<>(window.aggregations().keySet())) {
      if (!input.valueFields().contains(f)) {
        throw error("window.aggregations." + f, "not one of input.valueFields (" + String.join(", ",
            input.valueFields()) + ")");
      }
    }
  }

  void calendar(String field, List<CalendarFeature> features, Duration step) {
    Set<CalendarFeature> seen = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      CalendarFeature f = features.get(i);
      String path = field + "[" + i + "]";
      String name = f.name().toLowerCase(Locale.ROOT);
      if (!seen.add(f)) {
        throw error(path, name + " is listed twice");
      }
      Duration longest = SpecDefaults.longestStepFor(f);
      if (step.compareTo(longest) >= 0) {
        throw error(path, name + " needs a step shorter than " + Durations.format(longest) + " (window.step is "
            + Durations.format(step) + ")");
      }
    }
  }

  int lag(String path, JsonNode node, int lag) {
    if (lag < 1) {
      throw error(path, SpecNode.show(node) + " is not positive (a lag counts steps back)");
    }
    if (lag > Model.MAX_CONTEXT) {
      throw error(path, lag + " is more than the longest context (" + Model.MAX_CONTEXT + " steps)");
    }
    return lag;
  }

  void seasonalLags(String field, List<Integer> lags) {
    if (lags.size() > Model.MAX_SEASONAL_LAGS) {
      throw error(field, lags.size() + " lags are more than the allowed " + Model.MAX_SEASONAL_LAGS);
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < lags.size(); i++) {
      if (!seen.add(lags.get(i))) {
        throw error(field + "[" + i + "]", lags.get(i) + " is listed twice");
      }
    }
  }

  void context(String field, int context, List<Integer> sortedLags) {
    int largest = sortedLags.isEmpty() ? 0 : sortedLags.get(sortedLags.size() - 1);
    if (context < largest) {
      throw error(field, context + " is shorter than the largest seasonal lag (" + largest
          + "): the context must hold at least " + largest + " steps");
    }
  }

  void history(String field, Duration history, Duration step, Model model) {
    long steps = history.toMillis() / step.toMillis();
    long needed = (long) model.context() + model.horizon();
    if (steps < needed) {
      throw error(field, Durations.format(history) + " holds " + steps + " steps of " + Durations.format(step)
          + ", fewer than model.context + model.horizon = " + needed);
    }
  }

  void intervals(List<Double> levels) {
    if (levels.size() > PipelineSpec.MAX_INTERVALS) {
      throw error("intervals", levels.size() + " levels are more than the allowed " + PipelineSpec.MAX_INTERVALS);
    }
    for (int i = 1; i < levels.size(); i++) {
      if (levels.get(i) <= levels.get(i - 1)) {
        throw error("intervals[" + i + "]", levels.get(i) + " is not above the level before it (" + levels.get(i - 1)
            + "): list the levels in ascending order, each once");
      }
    }
  }

  void watch(List<String> keys) {
    if (keys.size() > PipelineSpec.MAX_WATCH) {
      throw error("watch", keys.size() + " keys are more than the allowed " + PipelineSpec.MAX_WATCH
          + " (each watched key adds metric series)");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (key.isEmpty()) {
        throw error("watch[" + i + "]", "an empty key is not allowed");
      }
      if (!seen.add(key)) {
        throw error("watch[" + i + "]", Durations.quote(key) + " is listed twice");
      }
    }
  }

  /** The input topic and the three output topics must all differ. */
  void distinctTopics(String inputTopic, Output output) {
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put("input.topic", inputTopic);
    topics.put("output.forecasts", output.forecasts());
    topics.put("output.series", output.series());
    topics.put("output.deadLetters", output.deadLetters());
    if (output.anomalies() != null) {
      topics.put("output.anomalies", output.anomalies());
    }
    Map<String, String> owner = new HashMap<>();
    for (Map.Entry<String, String> e : topics.entrySet()) {
      String before = owner.putIfAbsent(e.getValue(), e.getKey());
      if (before != null) {
        throw error(e.getKey(), Durations.quote(e.getValue()) + " is also " + before + " (each topic must differ)");
      }
    }
  }
}
