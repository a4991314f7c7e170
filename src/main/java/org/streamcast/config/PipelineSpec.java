package org.streamcast.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.streamcast.domain.Gaps;

/**
 * One pipeline, as read from a YAML file in {@code topologies/}: where events come from, how they are resampled into
 * regular steps, which model forecasts them, how it is trained, and where results go. Immutable and already validated:
 * build it with {@link SpecLoader}, never by hand outside tests.
 *
 * @param name      pipeline name; prefixes the default topic names and the application id
 * @param input     input topic and event format
 * @param window    resampling into regular steps
 * @param model     the forecasting model and its inputs
 * @param training  how the model is (re)trained
 * @param output    output topic names
 * @param intervals prediction-interval levels in (0, 1), ascending, e.g. 0.8 and 0.95
 * @param watch     keys that get their own gauges and charts (bounded: never more than {@link #MAX_WATCH})
 * @param runtime   optional deployment settings (bootstrap servers, state directory, ...); environment variables and
 *                  command-line flags override them, see {@link RuntimeSettings}
 * @param state     how long the per-key state is kept
 * @param anomalies when an actual is an anomaly, how many a key may publish, and what the model is fed then
 */
public record PipelineSpec(
    String name,
    Input input,
    Window window,
    Model model,
    Training training,
    Output output,
    List<Double> intervals,
    List<String> watch,
    Runtime runtime,
    State state,
    Anomalies anomalies) {

  /** The most keys a spec may watch; each watched key costs a few time series in Prometheus. */
  public static final int MAX_WATCH = 20;
  /** The most prediction-interval levels a spec may ask for. */
  public static final int MAX_INTERVALS = 5;

  public PipelineSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(output, "output");
    intervals = List.copyOf(intervals);
    watch = List.copyOf(watch);
    runtime = runtime == null ? Runtime.NONE : runtime;
    state = state == null ? State.DEFAULT : state;
    anomalies = anomalies == null ? Anomalies.defaults(intervals) : anomalies;
    if (!intervals.isEmpty() && !intervals.contains(anomalies.level())) {
      throw new IllegalArgumentException("anomalies.level " + anomalies.level() + " is not one of " + intervals);
    }
  }

  /** A spec with the default {@code anomalies} section. */
  public PipelineSpec(
      String name, Input input, Window window, Model model, Training training, Output output,
      List<Double> intervals, List<String> watch, Runtime runtime, State state) {
    this(name, input, window, model, training, output, intervals, watch, runtime, state, null);
  }

  /** A spec without a {@code runtime} section (tests and programmatic use). */
  public PipelineSpec(
      String name, Input input, Window window, Model model, Training training, Output output,
      List<Double> intervals, List<String> watch) {
    this(name, input, window, model, training, output, intervals, watch, Runtime.NONE, State.DEFAULT);
  }

  /** A spec with the default {@code state} section. */
  public PipelineSpec(
      String name, Input input, Window window, Model model, Training training, Output output,
      List<Double> intervals, List<String> watch, Runtime runtime) {
    this(name, input, window, model, training, output, intervals, watch, runtime, State.DEFAULT);
  }

  /** How an event's time is written in the input records. */
  public enum TimeFormat { AUTO, ISO8601, EPOCH_MILLIS }

  /** How the events of one step are combined into the step's value. */
  public enum Aggregation { MEAN, LAST, SUM, MIN, MAX, COUNT }

  /** The recurrent cell of the model. */
  public enum ModelType { GRU, LSTM, RNN }

  /** What the model predicts: scaled levels, differences of levels, or relative returns (for prices). */
  public enum TargetTransform { LEVEL, DIFFERENCE, RETURN }

  /** Calendar features given to the model as sine/cosine pairs. */
  public enum CalendarFeature { TIME_OF_DAY, DAY_OF_WEEK, DAY_OF_YEAR }

  /** Kafka Streams processing guarantee; {@link #kafkaName()} is the value of {@code processing.guarantee}. */
  public enum ProcessingGuarantee {
    EXACTLY_ONCE_V2, AT_LEAST_ONCE;

    /** The Kafka Streams config value, e.g. {@code exactly_once_v2}. */
    public String kafkaName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The input topic and the JSON event format.
   *
   * @param topic       topic the events are read from
   * @param keyField    JSON field with the series key; {@code null} means the Kafka record key
   * @param timeField   JSON field with the event time
   * @param timeFormat  ISO-8601 text, epoch milliseconds, or either ({@code AUTO})
   * @param valueFields JSON fields with numeric values; the first is the forecast target unless {@code target} says
   * @param target      the value field that is forecast (one of {@code valueFields})
   * @param maxKeyBytes    longest record key and series key, in UTF-8 bytes; longer ones are dead letters
   *                       ({@code key-too-long})
   * @param maxRecordBytes largest input record (key, value and headers), in bytes; larger ones are dead letters
   *                       ({@code too-large}), so no internal record ever carries more than this of any input
   * @param maxAbsValue    largest magnitude of a value; larger ones are dead letters ({@code out-of-range})
   */
  public record Input(
      String topic, String keyField, String timeField, TimeFormat timeFormat, List<String> valueFields, String target,
      int maxKeyBytes, int maxRecordBytes, double maxAbsValue) {
    /** The most value fields an event may carry. */
    public static final int MAX_VALUE_FIELDS = 16;
    /** The largest {@code maxKeyBytes} a spec may set: 64 KiB. */
    public static final int MAX_KEY_BYTES_LIMIT = 64 * 1024;
    /** The smallest {@code maxRecordBytes} a spec may set: 1 KiB. */
    public static final int MIN_RECORD_BYTES_LIMIT = 1024;
    /**
     * The largest {@code maxRecordBytes} a spec may set: 512 KiB, so that the repartition record of an accepted
     * event (its value, record key and series key) stays below Kafka's default 1 MiB request size.
     */
    public static final int MAX_RECORD_BYTES_LIMIT = 512 * 1024;

    public Input {
      valueFields = List.copyOf(valueFields);
    }

    /** The value fields besides the target, in spec order: the model's covariates. */
    public List<String> covariates() {
      return valueFields.stream().filter(f -> !f.equals(target)).toList();
    }

    /** The target, then the covariates: the order of an event's values ({@code Measurement#values}). */
    public List<String> fieldOrder() {
      List<String> out = new java.util.ArrayList<>(List.of(target));
      out.addAll(covariates());
      return out;
    }

    /** An input with the default limits ({@link SpecDefaults#MAX_KEY_BYTES} and the others). */
    public Input(
        String topic, String keyField, String timeField, TimeFormat timeFormat, List<String> valueFields,
        String target) {
      this(topic, keyField, timeField, timeFormat, valueFields, target, SpecDefaults.MAX_KEY_BYTES,
          SpecDefaults.MAX_RECORD_BYTES, SpecDefaults.MAX_ABS_VALUE);
    }
  }

  /**
   * Resampling of events into a regular series: tumbling windows of {@code step}.
   *
   * @param step        length of one step (window size)
   * @param aggregation how a window's events become one value
   * @param grace       how long after a window's end late events are still accepted
   * @param maxFuture   how far past the wall clock an event time may be ({@code future-time} beyond)
   * @param maxSkew     how far one event may move its partition's stream time ahead ({@code time-skew} beyond),
   *                    unless the event is live (within this of the wall clock): a live stream resumes after an
   *                    outage of any length, and {@code maxFuture} bounds it
   * @param aggregations per value field, an aggregation other than {@code aggregation} (fields not listed use it)
   */
  public record Window(Duration step, Aggregation aggregation, Duration grace, Duration maxFuture, Duration maxSkew,
      Map<String, Aggregation> aggregations) {
    public Window {
      aggregations = Map.copyOf(aggregations);
    }

    /** A window aggregating every field with {@code aggregation}. */
    public Window(Duration step, Aggregation aggregation, Duration grace, Duration maxFuture, Duration maxSkew) {
      this(step, aggregation, grace, maxFuture, maxSkew, Map.of());
    }

    /** A window with the default time bounds ({@link SpecDefaults#MAX_FUTURE}, {@link SpecDefaults#maxSkew}). */
    public Window(Duration step, Aggregation aggregation, Duration grace) {
      this(step, aggregation, grace, SpecDefaults.MAX_FUTURE, SpecDefaults.maxSkew(step));
    }

    /** How the events of one step become the value of {@code field}. */
    public Aggregation aggregation(String field) {
      return aggregations.getOrDefault(field, aggregation);
    }
  }

  /**
   * The forecasting model and its inputs.
   *
   * @param type         recurrent cell
   * @param layers       stacked recurrent layers (1 or more)
   * @param hiddenSize   hidden units per layer
   * @param context      steps of context kept per key (used to warm a hidden state and re-warm it for a new model)
   * @param horizon      steps forecast at once (h = 1 .. horizon)
   * @param target       transform of the target series
   * @param calendar     calendar features
   * @param seasonalLags the key's own value this many steps back, as extra inputs (e.g. 48 and 336 half-hourly)
   * @param imputedFlag  whether an input flags steps that were imputed rather than observed
   * @param gaps         what to do with steps that have no events
   */
  public record Model(
      ModelType type,
      int layers,
      int hiddenSize,
      int context,
      int horizon,
      TargetTransform target,
      List<CalendarFeature> calendar,
      List<Integer> seasonalLags,
      boolean imputedFlag,
      Gaps gaps) {
    /** The most stacked recurrent layers (bounds the size of a model artifact). */
    public static final int MAX_LAYERS = 4;
    /** The most hidden units per layer (bounds the size of a model artifact). */
    public static final int MAX_HIDDEN_SIZE = 256;
    /** The longest horizon, in steps. */
    public static final int MAX_HORIZON = 1000;
    /** The longest context, in steps (a week of one-minute steps); bounds the per-key state. */
    public static final int MAX_CONTEXT = 10_080;
    /** The most seasonal lags. */
    public static final int MAX_SEASONAL_LAGS = 8;

    public Model {
      calendar = List.copyOf(calendar);
      seasonalLags = List.copyOf(seasonalLags);
    }

    /**
     * Values of history a key keeps under this model: its context (for re-warming a new model) plus the longest
     * seasonal lag (so every replayed step has its lag inputs).
     */
    public int historyCapacity() {
      int maxLag = seasonalLags.stream().mapToInt(Integer::intValue).max().orElse(1);
      return Math.max(context, 1) + maxLag;
    }
  }

  /**
   * Training and retraining.
   *
   * @param history       span of history the retrainer reads from the series topic
   * @param schedule      how often the retrainer runs ({@code null}: only on demand)
   * @param epochs        maximum epochs (early stopping may end sooner)
   * @param patience      epochs without validation improvement before stopping
   * @param learningRate  Adam learning rate
   * @param gradientClip  gradient clipping threshold; 0 disables clipping
   * @param dropout       dropout probability on recurrent layer inputs; 0 disables it
   * @param l2            L2 weight decay; 0 disables it
   * @param batchSize     training sequences per mini-batch
   * @param validation    fraction of the training part, taken from its end, used for early stopping
   * @param seed          random seed: the same seed and data give identical weights
   * @param promoteMargin a candidate replaces the champion only if its MASE is lower by at least this fraction
   * @param gradientClipMode what {@code gradientClip} bounds: each layer's gradient L2 norm, or each gradient value
   * @param tbptt         truncated back-propagation through time: segment length in steps, 0 for full BPTT over the
   *                      window, or {@link #TBPTT_AUTO}
   * @param budget        how much of a large fleet a retraining run holds, trains on and judges, and for how long
   */
  public record Training(
      java.time.Duration history,
      java.time.Duration schedule,
      int epochs,
      int patience,
      double learningRate,
      double gradientClip,
      double dropout,
      double l2,
      int batchSize,
      double validation,
      long seed,
      double promoteMargin,
      GradientClipMode gradientClipMode,
      int tbptt,
      Budget budget) {

    /**
     * {@code tbptt: auto}: full BPTT for windows up to 128 steps; longer LSTM/RNN windows in segments of 64; GRU
     * windows of at most 128 steps.
     */
    public static final int TBPTT_AUTO = -1;

    public Training {
      java.util.Objects.requireNonNull(gradientClipMode, "gradientClipMode");
      java.util.Objects.requireNonNull(budget, "budget");
      if (tbptt < TBPTT_AUTO) {
        throw new IllegalArgumentException("tbptt " + tbptt);
      }
    }

    /** Settings with clipping by L2 norm and {@code tbptt: auto} (the defaults of those two fields). */
    public Training(java.time.Duration history, java.time.Duration schedule, int epochs, int patience,
        double learningRate, double gradientClip, double dropout, double l2, int batchSize, double validation,
        long seed, double promoteMargin) {
      this(history, schedule, epochs, patience, learningRate, gradientClip, dropout, l2, batchSize, validation, seed,
          promoteMargin, GradientClipMode.NORM, TBPTT_AUTO, Budget.DEFAULT);
    }

    /** Settings with the default {@link Budget}. */
    public Training(java.time.Duration history, java.time.Duration schedule, int epochs, int patience,
        double learningRate, double gradientClip, double dropout, double l2, int batchSize, double validation,
        long seed, double promoteMargin, GradientClipMode gradientClipMode, int tbptt) {
      this(history, schedule, epochs, patience, learningRate, gradientClip, dropout, l2, batchSize, validation, seed,
          promoteMargin, gradientClipMode, tbptt, Budget.DEFAULT);
    }

    /** These settings with another budget. */
    public Training withBudget(Budget b) {
      return new Training(history, schedule, epochs, patience, learningRate, gradientClip, dropout, l2, batchSize,
          validation, seed, promoteMargin, gradientClipMode, tbptt, b);
    }

    /** These settings with at most {@code max} epochs (and a patience no longer than that). */
    public Training withEpochsAtMost(int max) {
      int e = Math.min(epochs, max);
      return new Training(history, schedule, e, Math.min(patience, e), learningRate, gradientClip, dropout, l2,
          batchSize, validation, seed, promoteMargin, gradientClipMode, tbptt, budget);
    }
  }

  /**
   * What a retraining run may hold and spend, so that it scales with the fleet: the history of at most
   * {@code maxHistoryBytes} (and a quarter of the heap) is held as a seeded sample of keys, the challenger trains on a
   * stratified sample of at most {@code maxKeys} of them and {@code maxWindows} windows per epoch for at most
   * {@code maxDuration}, and is judged on its own sample of {@code judgeKeys} keys.
   *
   * @param maxKeys         keys the challenger trains on
   * @param maxWindows      training windows per epoch (a seeded sample of all the keys' windows)
   * @param maxDuration     training time; at the budget training stops with the best epoch so far
   * @param judgeKeys       keys the champion-versus-challenger judgement scores
   * @param maxHistoryBytes bytes of series history held while reading (compact: 4 bytes per step)
   */
  public record Budget(int maxKeys, int maxWindows, Duration maxDuration, int judgeKeys, long maxHistoryBytes) {
    /** The most keys {@code maxKeys} and {@code judgeKeys} may ask for. */
    public static final int MAX_KEYS_LIMIT = 1_000_000;
    /** The most windows {@code maxWindows} may ask for. */
    public static final int MAX_WINDOWS_LIMIT = 100_000_000;
    /** The least {@code maxHistoryBytes}: 1 MiB. */
    public static final long MIN_HISTORY_BYTES = 1L << 20;
    /** The most {@code maxHistoryBytes}: 1 TiB. */
    public static final long MAX_HISTORY_BYTES_LIMIT = 1L << 40;
    /** The defaults ({@link SpecDefaults}). */
    public static final Budget DEFAULT = new Budget(SpecDefaults.MAX_KEYS, SpecDefaults.MAX_WINDOWS,
        SpecDefaults.MAX_DURATION, SpecDefaults.JUDGE_KEYS, SpecDefaults.MAX_HISTORY_BYTES);

    public Budget {
      java.util.Objects.requireNonNull(maxDuration, "maxDuration");
      if (maxKeys < 1 || maxWindows < 1 || judgeKeys < 1 || maxHistoryBytes < 1 || maxDuration.isNegative()
          || maxDuration.isZero()) {
        throw new IllegalArgumentException("budget " + maxKeys + ", " + maxWindows + ", " + maxDuration + ", "
            + judgeKeys + ", " + maxHistoryBytes);
      }
    }
  }

  /** What {@code training.gradientClip} bounds. */
  public enum GradientClipMode {
    /** Each layer's gradient is rescaled so that its L2 norm is at most the threshold. */
    NORM,
    /** Each gradient value is clipped to [−threshold, threshold]. */
    VALUE
  }

  /** This spec with other training settings. */
  public PipelineSpec withTraining(Training t) {
    return new PipelineSpec(name, input, window, model, t, output, intervals, watch, runtime, state, anomalies);
  }

  /** This spec with another {@code state} section. */
  public PipelineSpec withState(State s) {
    return new PipelineSpec(name, input, window, model, training, output, intervals, watch, runtime, s, anomalies);
  }

  /**
   * The {@code state} section: how long the per-key state is kept.
   *
   * @param keyIdleTimeout stream time after a key's last step at which its state is deleted (tombstoned in the
   *                       changelog and counted); the key warms up again from scratch if it comes back.
   *                       {@link Duration#ZERO}: keys never expire
   */
  public record State(Duration keyIdleTimeout) {
    /** The default: keys idle for {@link SpecDefaults#KEY_IDLE_TIMEOUT} expire. */
    public static final State DEFAULT = new State(SpecDefaults.KEY_IDLE_TIMEOUT);
    /** Keys never expire. */
    public static final State KEEP_FOREVER = new State(Duration.ZERO);

    public State {
      Objects.requireNonNull(keyIdleTimeout, "keyIdleTimeout");
      if (keyIdleTimeout.isNegative()) {
        throw new IllegalArgumentException("keyIdleTimeout is negative: " + keyIdleTimeout);
      }
    }

    /** Whether idle keys expire at all. */
    public boolean expires() {
      return !keyIdleTimeout.isZero();
    }
  }

  /** This spec with another {@code anomalies} section. */
  public PipelineSpec withAnomalies(Anomalies a) {
    return new PipelineSpec(name, input, window, model, training, output, intervals, watch, runtime, state, a);
  }

  /**
   * The {@code anomalies} section: an actual outside the interval at {@code level} that was forecast for it is an
   * anomaly (published on {@link Output#anomalies} when that is on).
   *
   * @param level            the interval level whose band is checked; one of the spec's {@code intervals}
   * @param maxPerKeyPerHour anomalies one key may publish per hour of event time (a token bucket holding at most
   *                         {@code max(1, this)}); more are counted as suppressed, not published
   * @param clip             whether the model is fed the actual clipped to the band edge at an anomalous step (the
   *                         scores, the series and the anomaly record keep the raw actual)
   * @param flatline         whether a run of identical actuals that the key's history makes less likely than
   *                         {@code 1 − level} is an anomaly (a stuck sensor)
   * @param shift            whether errors that stay on one side are an anomaly (a level shift: a CUSUM of the key's
   *                         one-step errors whose false alarms are as rare as the band's, one step in
   *                         {@code 1 / (1 − level)})
   * @param spike            whether a reading that jumps away from the one before and straight back at the next step,
   *                         further either way than a key's own step-to-step changes go once in {@code 1 / (1 − level)}
   *                         steps, is an anomaly (flagged one step late, for the step it happened)
   */
  public record Anomalies(double level, double maxPerKeyPerHour, boolean clip, boolean flatline, boolean shift,
      boolean spike) {
    /** The largest {@code maxPerKeyPerHour}: one a second. */
    public static final double MAX_RATE = 3600;

    /** The band check with the default flatline, level-shift and spike watches. */
    public Anomalies(double level, double maxPerKeyPerHour, boolean clip) {
      this(level, maxPerKeyPerHour, clip, SpecDefaults.ANOMALIES_FLATLINE, SpecDefaults.ANOMALIES_SHIFT,
          SpecDefaults.ANOMALIES_SPIKE);
    }

    public Anomalies {
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException("anomalies.level " + level + " is not in (0, 1)");
      }
      if (!(maxPerKeyPerHour > 0 && maxPerKeyPerHour <= MAX_RATE)) {
        throw new IllegalArgumentException("anomalies.maxPerKeyPerHour " + maxPerKeyPerHour + " is not in (0, "
            + MAX_RATE + "]");
      }
    }

    /** The defaults for these interval levels: the widest band, {@link SpecDefaults#ANOMALIES_PER_KEY_PER_HOUR}. */
    public static Anomalies defaults(List<Double> intervals) {
      return new Anomalies(SpecDefaults.anomalyLevel(intervals), SpecDefaults.ANOMALIES_PER_KEY_PER_HOUR,
          SpecDefaults.ANOMALIES_CLIP);
    }
  }

  /**
   * Output topics.
   *
   * @param forecasts   forecasts, one record per key and origin
   * @param series      the regular resampled series (history for retraining)
   * @param deadLetters records that could not be used, with the reason in headers
   * @param anomalies   anomaly events, one per anomalous actual; null: none are published
   */
  public record Output(String forecasts, String series, String deadLetters, String anomalies) {
    /** Output topics without an anomalies topic (programmatic use; a loaded spec has one unless it says off). */
    public Output(String forecasts, String series, String deadLetters) {
      this(forecasts, series, deadLetters, null);
    }
  }

  /**
   * The optional {@code runtime} section: deployment settings a spec may carry. Every field may be absent
   * ({@code null}); {@link RuntimeSettings#resolve} layers them over the defaults and under environment variables and
   * command-line flags.
   *
   * @param bootstrap           Kafka bootstrap servers, {@code host:port[,host:port...]}
   * @param stateDir            directory for local state (RocksDB stores)
   * @param httpPort            port for metrics and queries; 0 picks a free one
   * @param httpHost            address the HTTP port binds to ({@code 127.0.0.1}, {@code 0.0.0.0}, ...)
   * @param applicationIdPrefix prefix of the Kafka Streams application id ({@code <prefix>-<pipeline>})
   * @param processingGuarantee Kafka Streams processing guarantee
   * @param kafka               Kafka client and Kafka Streams properties passed through as they are
   */
  public record Runtime(
      String bootstrap,
      Path stateDir,
      Integer httpPort,
      String httpHost,
      String applicationIdPrefix,
      ProcessingGuarantee processingGuarantee,
      Map<String, String> kafka) {
    /** No runtime settings at all. */
    public static final Runtime NONE = new Runtime(null, null, null, null, null, null, Map.of());

    public Runtime {
      kafka = Map.copyOf(kafka);
    }

    /** Runtime settings without {@code httpHost}. */
    public Runtime(String bootstrap, Path stateDir, Integer httpPort, String applicationIdPrefix,
        ProcessingGuarantee processingGuarantee, Map<String, String> kafka) {
      this(bootstrap, stateDir, httpPort, null, applicationIdPrefix, processingGuarantee, kafka);
    }
  }
}
