package org.streamcast.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.config.PipelineSpec.CalendarFeature;
import org.streamcast.config.PipelineSpec.GradientClipMode;
import org.streamcast.config.PipelineSpec.Input;
import org.streamcast.config.PipelineSpec.Model;
import org.streamcast.config.PipelineSpec.ModelType;
import org.streamcast.config.PipelineSpec.Output;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;
import org.streamcast.config.PipelineSpec.TargetTransform;
import org.streamcast.config.PipelineSpec.TimeFormat;
import org.streamcast.config.PipelineSpec.Training;
import org.streamcast.config.PipelineSpec.Window;
import org.streamcast.config.SpecNode.Range;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

/**
 * Walks a spec's YAML tree section by section into {@link PipelineSpec}, filling defaults ({@link SpecDefaults}) and
 * checking every field and the rules between fields ({@link SpecChecks}).
 */
final class SpecBuilder {
  static final List<String> ROOT = List.of(
      "name", "input", "window", "model", "training", "output", "intervals", "watch", "runtime", "state",
      "anomalies");
  static final List<String> INPUT = List.of("topic", "keyField", "timeField", "timeFormat", "valueFields", "target",
      "maxKeyBytes", "maxRecordBytes", "maxAbsValue");
  static final List<String> WINDOW = List.of("step", "aggregation", "aggregations", "grace", "maxFuture", "maxSkew");
  static final List<String> MODEL = List.of("type", "layers", "hiddenSize", "context", "horizon", "target",
      "calendar", "seasonalLags", "imputedFlag", "gaps");
  static final List<String> GAPS = List.of("policy", "maxImputed");
  static final List<String> TRAINING = List.of("history", "schedule", "epochs", "patience", "learningRate",
      "gradientClip", "dropout", "l2", "batchSize", "validation", "seed", "promoteMargin",
      "gradientClipMode", "tbptt", "maxKeys", "maxWindows", "maxDuration", "judgeKeys", "maxHistoryBytes");
  static final List<String> STATE = List.of("keyIdleTimeout");
  static final List<String> OUTPUT = List.of("forecasts", "series", "deadLetters", "anomalies");
  static final List<String> ANOMALIES = List.of("level", "maxPerKeyPerHour", "clip", "flatline", "shift",
      "spike");
  static final List<String> RUNTIME = List.of(
      "bootstrap", "stateDir", "httpPort", "httpHost", "applicationIdPrefix", "processingGuarantee", "kafka");

  private final SpecNode root;
  private final SpecChecks checks;

  private SpecBuilder(SpecNode root) {
    this.root = root;
    this.checks = new SpecChecks(root.source());
  }

  static PipelineSpec build(SpecNode root) {
    return new SpecBuilder(root).build();
  }

  private PipelineSpec build() {
    String name = name();
    Window window = window(root.section("window", WINDOW));
    Input input = input(root.section("input", INPUT), name);
    checks.aggregations(window, input);
    Model model = model(root.section("model", MODEL), window.step());
    Training training = training(root.section("training", TRAINING), window.step(), model);
    List<Double> intervals = root.list("intervals", SpecDefaults.INTERVALS,
        (path, v) -> root.numberAt(path, v, Range.of(0, false, 1, false)));
    checks.intervals(intervals);
    Output output = output(root.section("output", OUTPUT), name, intervals);
    checks.distinctTopics(input.topic(), output);
    PipelineSpec.Anomalies anomalies = anomalies(root.section("anomalies", ANOMALIES), intervals);
    List<String> watch = root.list("watch", List.of(), root::textAt);
    checks.watch(watch);
    PipelineSpec.Runtime runtime = runtime(root.section("runtime", RUNTIME));
    PipelineSpec.State state = state(root.section("state", STATE), window);
    return new PipelineSpec(name, input, window, model, training, output, intervals, watch, runtime, state,
        anomalies);
  }

  private String name() {
    if (root.has("name")) {
      String name = root.text("name", "");
      checks.pipelineName("name", name);
      return name;
    }
    String stem = stem(root.source());
    if (!SpecChecks.isPipelineName(stem)) {
      throw root.error("name", "missing, and the file name " + Durations.quote(stem)
          + " cannot stand in for it (" + SpecChecks.PIPELINE_NAME_RULE + ")");
    }
    return stem;
  }

  /** The file name without directories and extension: {@code topologies/electricity.yaml} gives electricity. */
  static String stem(String source) {
    String file = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  private Window window(SpecNode s) {
    Duration step = s.duration("step", SpecDefaults.STEP);
    checks.positive(s, "step", step);
    Aggregation aggregation = s.choice("aggregation", Aggregation.class, SpecDefaults.AGGREGATION);
    Duration grace = s.duration("grace", SpecDefaults.grace(step));
    checks.wholeMillis(s, "grace", grace);
    Duration maxFuture = s.duration("maxFuture", SpecDefaults.MAX_FUTURE);
    checks.wholeMillis(s, "maxFuture", maxFuture);
    Duration maxSkew = s.duration("maxSkew", SpecDefaults.maxSkew(step));
    checks.wholeMillis(s, "maxSkew", maxSkew);
    if (maxSkew.compareTo(step) < 0) {
      throw s.error("maxSkew", SpecNode.show(s.raw("maxSkew")) + " is shorter than window.step ("
          + Durations.format(step) + "): the next step's events would be refused");
    }
    return new Window(step, aggregation, grace, maxFuture, maxSkew, aggregations(s));
  }

  /** {@code window.aggregations}: a mapping from value field to aggregation (checked against the fields later). */
  private Map<String, Aggregation> aggregations(SpecNode s) {
    if (!s.has("aggregations")) {
      return Map.of();
    }
    JsonNode raw = s.raw("aggregations");
    if (!raw.isObject()) {
      throw s.error("aggregations", SpecNode.show(raw) + " is not a mapping (expected value field: aggregation, "
          + "e.g. {precipitation: sum})");
    }
    Map<String, Aggregation> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : raw.properties()) {
      out.put(e.getKey(), s.choiceAt(s.field("aggregations") + "." + e.getKey(), e.getValue(), Aggregation.class));
    }
    return out;
  }

  private Input input(SpecNode s, String name) {
    String topic = s.text("topic", SpecDefaults.inputTopic(name));
    checks.topicName(s.field("topic"), topic);
    String keyField = s.present("keyField") ? s.text("keyField", (String) null) : SpecDefaults.KEY_FIELD;
    String timeField = s.text("timeField", SpecDefaults.TIME_FIELD);
    TimeFormat timeFormat = s.choice("timeFormat", TimeFormat.class, SpecDefaults.TIME_FORMAT);
    List<String> valueFields = s.list("valueFields", List.of(SpecDefaults.VALUE_FIELD), s::textAt);
    String target = s.text("target", valueFields.isEmpty() ? null : valueFields.get(0));
    checks.fields(s, keyField, timeField, valueFields, target);
    int maxKeyBytes = s.integer("maxKeyBytes", SpecDefaults.MAX_KEY_BYTES, 1, PipelineSpec.Input.MAX_KEY_BYTES_LIMIT);
    int maxRecordBytes = s.integer("maxRecordBytes", SpecDefaults.MAX_RECORD_BYTES,
        PipelineSpec.Input.MIN_RECORD_BYTES_LIMIT, PipelineSpec.Input.MAX_RECORD_BYTES_LIMIT);
    double maxAbsValue = s.number("maxAbsValue", SpecDefaults.MAX_ABS_VALUE,
        Range.of(0, false, Double.MAX_VALUE, true));
    return new Input(topic, keyField, timeField, timeFormat, valueFields, target, maxKeyBytes, maxRecordBytes,
        maxAbsValue);
  }

  private Model model(SpecNode s, Duration step) {
    ModelType type = s.choice("type", ModelType.class, SpecDefaults.MODEL_TYPE);
    int layers = s.integer("layers", SpecDefaults.LAYERS, 1, Model.MAX_LAYERS);
    int hiddenSize = s.integer("hiddenSize", SpecDefaults.HIDDEN_SIZE, 1, Model.MAX_HIDDEN_SIZE);
    int horizon = s.integer("horizon", SpecDefaults.HORIZON, 1, Model.MAX_HORIZON);
    TargetTransform target = s.choice("target", TargetTransform.class, SpecDefaults.TARGET);
    List<CalendarFeature> calendar = s.list("calendar", SpecDefaults.calendar(step),
        (path, v) -> s.choiceAt(path, v, CalendarFeature.class));
    checks.calendar(s.field("calendar"), calendar, step);
    List<Integer> lags = s.list("seasonalLags", SpecDefaults.seasonalLags(step),
        (path, v) -> checks.lag(path, v, s.integerAt(path, v, Integer.MIN_VALUE, Integer.MAX_VALUE)));
    checks.seasonalLags(s.field("seasonalLags"), lags);
    lags = lags.stream().sorted().toList();
    int context = s.integer("context", SpecDefaults.context(lags, horizon), 1, Model.MAX_CONTEXT);
    checks.context(s.field("context"), context, lags);
    boolean imputedFlag = s.bool("imputedFlag", SpecDefaults.IMPUTED_FLAG);
    Gaps gaps = gaps(s.section("gaps", GAPS));
    return new Model(type, layers, hiddenSize, context, horizon, target, calendar, lags, imputedFlag, gaps);
  }

  private Gaps gaps(SpecNode s) {
    GapPolicy policy = s.choice("policy", GapPolicy.class, Gaps.DEFAULT.policy());
    if (policy != GapPolicy.IMPUTE) {
      if (s.has("maxImputed")) {
        throw s.error("maxImputed", SpecNode.show(s.raw("maxImputed"))
            + " has no effect with policy " + policy.name().toLowerCase(java.util.Locale.ROOT)
            + " (remove it, or use policy impute)");
      }
      return new Gaps(policy, 0);
    }
    return new Gaps(policy, s.integer("maxImputed", Gaps.DEFAULT.maxImputed(), 1, Model.MAX_CONTEXT));
  }

  private Training training(SpecNode s, Duration step, Model model) {
    Duration history = s.duration("history", SpecDefaults.history(step, model.context(), model.horizon()));
    checks.positive(s, "history", history);
    checks.history(s.field("history"), history, step, model);
    Duration schedule = schedule(s);
    int epochs = s.integer("epochs", SpecDefaults.EPOCHS, 1, 10_000);
    int patience = s.integer("patience", Math.min(SpecDefaults.PATIENCE, epochs), 1, 10_000);
    if (patience > epochs) {
      throw s.error("patience", patience + " is more than training.epochs (" + epochs + ")");
    }
    double learningRate = s.number("learningRate", SpecDefaults.LEARNING_RATE, Range.of(0, false, 1, true));
    double gradientClip = s.number("gradientClip", SpecDefaults.GRADIENT_CLIP, Range.NON_NEGATIVE);
    double dropout = s.number("dropout", SpecDefaults.DROPOUT, Range.of(0, true, 1, false));
    double l2 = s.number("l2", SpecDefaults.L2, Range.of(0, true, 1, true));
    int batchSize = s.integer("batchSize", SpecDefaults.BATCH_SIZE, 1, 4096);
    double validation = s.number("validation", SpecDefaults.VALIDATION, Range.of(0, false, 0.5, true));
    long seed = s.longInteger("seed", SpecDefaults.SEED);
    double margin = s.number("promoteMargin", SpecDefaults.PROMOTE_MARGIN, Range.of(0, true, 1, false));
    GradientClipMode clipMode = s.choice("gradientClipMode", GradientClipMode.class, SpecDefaults.GRADIENT_CLIP_MODE);
    if (gradientClip == 0 && s.has("gradientClipMode")) {
      throw s.error("gradientClipMode", SpecNode.show(s.raw("gradientClipMode"))
          + " has no effect with gradientClip 0 (remove it, or set gradientClip above 0)");
    }
    return new Training(history, schedule, epochs, patience, learningRate, gradientClip, dropout, l2, batchSize,
        validation, seed, margin, clipMode, tbptt(s, model), budget(s));
  }

  /** The budget fields of the training section ({@link PipelineSpec.Budget}). */
  private PipelineSpec.Budget budget(SpecNode s) {
    int maxKeys = s.integer("maxKeys", SpecDefaults.MAX_KEYS, 1, PipelineSpec.Budget.MAX_KEYS_LIMIT);
    int maxWindows = s.integer("maxWindows", SpecDefaults.MAX_WINDOWS, 1, PipelineSpec.Budget.MAX_WINDOWS_LIMIT);
    Duration maxDuration = s.duration("maxDuration", SpecDefaults.MAX_DURATION);
    checks.positive(s, "maxDuration", maxDuration);
    int judgeKeys = s.integer("judgeKeys", SpecDefaults.JUDGE_KEYS, 1, PipelineSpec.Budget.MAX_KEYS_LIMIT);
    long maxHistoryBytes = s.longInteger("maxHistoryBytes", SpecDefaults.MAX_HISTORY_BYTES);
    checks.historyBytes(s, maxHistoryBytes);
    return new PipelineSpec.Budget(maxKeys, maxWindows, maxDuration, judgeKeys, maxHistoryBytes);
  }

  /** {@code auto} (absent), 0 (full BPTT) or a segment length of at most the context. */
  private static int tbptt(SpecNode s, Model model) {
    JsonNode v = s.raw("tbptt");
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().equalsIgnoreCase("auto"))) {
      return Training.TBPTT_AUTO;
    }
    if (v.isTextual()) {
      throw s.error("tbptt", SpecNode.show(v) + " is not auto or a whole number of steps (0: full BPTT)");
    }
    int tbptt = s.integerAt(s.field("tbptt"), v, 0, Model.MAX_CONTEXT);
    if (tbptt > model.context()) {
      throw s.error("tbptt", tbptt + " is longer than model.context (" + model.context()
          + "), the longest training window (use 0 for full BPTT)");
    }
    return tbptt;
  }

  /**
   * {@code keyIdleTimeout}: absent gives {@link SpecDefaults#KEY_IDLE_TIMEOUT}; {@code 0}, {@code none},
   * {@code never}, {@code off} or {@code false}: keys never expire; else a duration of at least two steps plus the
   * grace (a key stepping every step is never idle that long).
   */
  private PipelineSpec.State state(SpecNode s, Window window) {
    JsonNode v = s.raw("keyIdleTimeout");
    if (v == null) {
      return PipelineSpec.State.DEFAULT;
    }
    if (v.isNull() || (v.isBoolean() && !v.booleanValue()) || (v.isTextual() && (v.textValue().equalsIgnoreCase(
        "none") || v.textValue().equalsIgnoreCase("never") || v.textValue().equalsIgnoreCase("off")))) {
      return PipelineSpec.State.KEEP_FOREVER;
    }
    if (v.isBoolean()) {
      throw s.error("keyIdleTimeout", "true is not a duration (give one such as 30d, or none)");
    }
    Duration d = s.durationAt(s.field("keyIdleTimeout"), v);
    if (d.isZero()) {
      return PipelineSpec.State.KEEP_FOREVER;
    }
    checks.keyIdleTimeout(s, d, window);
    return new PipelineSpec.State(d);
  }

  /** {@code never}, {@code off}, {@code false} or absent: only on demand ({@code null}); else a positive duration. */
  private Duration schedule(SpecNode s) {
    JsonNode v = s.raw("schedule");
    if (v == null || v.isNull() || (v.isBoolean() && !v.booleanValue())
        || (v.isTextual() && (v.textValue().equalsIgnoreCase("never") || v.textValue().equalsIgnoreCase("off")))) {
      return null;
    }
    if (v.isBoolean()) {
      throw s.error("schedule", "true is not a duration (give one such as 1d, or never)");
    }
    Duration d = s.durationAt(s.field("schedule"), v);
    checks.positive(s, "schedule", d);
    return d;
  }

  /**
   * {@code anomalies}: the level (one of {@code intervals}, default the widest), the rate limit, the clip switch, the
   * flatline, the level-shift and the spike switches.
   */
  private PipelineSpec.Anomalies anomalies(SpecNode s, List<Double> intervals) {
    double level = s.number("level", SpecDefaults.anomalyLevel(intervals), Range.of(0, false, 1, false));
    if (!intervals.isEmpty() && !intervals.contains(level)) {
      throw s.error("level", SpecNode.show(s.raw("level")) + " is not one of the interval levels " + intervals
          + " (add it to intervals, or pick one of them)");
    }
    double rate = s.number("maxPerKeyPerHour", SpecDefaults.ANOMALIES_PER_KEY_PER_HOUR,
        Range.of(0, false, PipelineSpec.Anomalies.MAX_RATE, true));
    boolean clip = s.bool("clip", SpecDefaults.ANOMALIES_CLIP);
    boolean flatline = s.bool("flatline", SpecDefaults.ANOMALIES_FLATLINE);
    boolean shift = s.bool("shift", SpecDefaults.ANOMALIES_SHIFT);
    boolean spike = s.bool("spike", SpecDefaults.ANOMALIES_SPIKE);
    return new PipelineSpec.Anomalies(level, rate, clip, flatline, shift, spike);
  }

  /**
   * {@code output.anomalies}: absent gives {@code <name>.anomalies} (none when the spec has no interval levels);
   * {@code none}, {@code off} or {@code false}: no anomalies topic.
   */
  private String anomaliesTopic(SpecNode s, String name, List<Double> intervals) {
    JsonNode v = s.raw("anomalies");
    if (v == null) {
      return intervals.isEmpty() ? null : SpecDefaults.anomaliesTopic(name);
    }
    if (v.isNull() || (v.isBoolean() && !v.booleanValue()) || (v.isTextual() && (v.textValue().equalsIgnoreCase(
        "none") || v.textValue().equalsIgnoreCase("off")))) {
      return null;
    }
    if (!v.isTextual()) {
      throw s.error("anomalies", SpecNode.show(v) + " is not a topic name (or off)");
    }
    if (intervals.isEmpty()) {
      throw s.error("anomalies", SpecNode.show(v) + " needs at least one interval level (intervals is empty): an "
          + "anomaly is an actual outside a forecast's band");
    }
    checks.topicName(s.field("anomalies"), v.textValue());
    return v.textValue();
  }

  private Output output(SpecNode s, String name, List<Double> intervals) {
    String forecasts = s.text("forecasts", SpecDefaults.forecastsTopic(name));
    checks.topicName(s.field("forecasts"), forecasts);
    String series = s.text("series", SpecDefaults.seriesTopic(name));
    checks.topicName(s.field("series"), series);
    String deadLetters = s.text("deadLetters", SpecDefaults.deadLetterTopic(name));
    checks.topicName(s.field("deadLetters"), deadLetters);
    return new Output(forecasts, series, deadLetters, anomaliesTopic(s, name, intervals));
  }

  private PipelineSpec.Runtime runtime(SpecNode s) {
    String source = s.source();
    String bootstrap = s.has("bootstrap")
        ? SettingValues.bootstrap(source, s.field("bootstrap"), s.text("bootstrap", "")) : null;
    Path stateDir = s.has("stateDir") ? SettingValues.path(source, s.field("stateDir"), s.text("stateDir", "")) : null;
    Integer httpPort = s.has("httpPort") ? s.integer("httpPort", 0, 0, 65_535) : null;
    String httpHost = s.has("httpHost")
        ? SettingValues.host(source, s.field("httpHost"), s.text("httpHost", "")) : null;
    String prefix = s.has("applicationIdPrefix") ? SettingValues.applicationIdPrefix(
        source, s.field("applicationIdPrefix"), s.text("applicationIdPrefix", "")) : null;
    ProcessingGuarantee guarantee = s.choice("processingGuarantee", ProcessingGuarantee.class, null);
    return new PipelineSpec.Runtime(bootstrap, stateDir, httpPort, httpHost, prefix, guarantee, kafka(s));
  }

  private Map<String, String> kafka(SpecNode s) {
    JsonNode kafka = s.raw("kafka");
    if (kafka == null || kafka.isNull()) {
      return Map.of();
    }
    if (!kafka.isObject()) {
      throw s.error("kafka", SpecNode.show(kafka) + " is not a mapping of Kafka properties (e.g. linger.ms: 5)");
    }
    Map<String, String> props = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : kafka.properties()) {
      if (e.getKey().isBlank()) {
        throw s.error("kafka", "an empty property name is not allowed");
      }
      String path = s.field("kafka") + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isContainerNode() || v.isNull()) {
        throw SpecException.of(s.source(), path, SpecNode.show(v)
            + " is not a property value (use text, a number or true/false)");
      }
      SettingValues.passThrough(s.source(), path, e.getKey(), v.asText());
      props.put(e.getKey(), v.asText());
    }
    return new LinkedHashMap<>(props);
  }
}
