package org.streamcast.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.config.PipelineSpec.CalendarFeature;
import org.streamcast.config.PipelineSpec.ModelType;
import org.streamcast.config.PipelineSpec.TargetTransform;
import org.streamcast.config.PipelineSpec.TimeFormat;

/**
 * What a spec gets for every field it leaves out. Some defaults follow from the step: seasonal lags of one day and one
 * week, calendar features that vary within a step's resolution, a context that covers the largest lag. The same rules
 * serve commands that run without a spec (such as a backtest of a bare CSV).
 */
public final class SpecDefaults {

  /** The default event is {@code {"key": "s-1", "ts": "2000-06-05T00:00:00Z", "value": 22262.0}}. */
  public static final String KEY_FIELD = "key";
  /** JSON field of the event time (ISO-8601 text or epoch milliseconds). */
  public static final String TIME_FIELD = "ts";
  /** The one value field of the default event. */
  public static final String VALUE_FIELD = "value";
  /** How event times are read by default: ISO-8601 text or epoch milliseconds, whichever the event has. */
  public static final TimeFormat TIME_FORMAT = TimeFormat.AUTO;

  /**
   * Longest record key and series key, in UTF-8 bytes: a key is an identifier (a meter, a ticker, a city), and every
   * key is stored, changelogged and shown; 1 KiB is ten times any such name.
   */
  public static final int MAX_KEY_BYTES = 1024;
  /**
   * Largest input record, key, value and headers together: 64 KiB. An event is about 100 bytes (16 value fields
   * fit in 1 KiB), so this leaves room for whatever else producers put in an event, while every record the pipeline
   * writes from one (its repartition record, a dead-letter copy with its headers) stays far below Kafka's 1 MiB
   * request and message limits.
   */
  public static final int MAX_RECORD_BYTES = 64 * 1024;
  /**
   * Largest magnitude of a value: 1e15, above any price, count or sensor reading (a trillion dollars in cents is
   * 1e14) and far enough below the largest double that no window of up to 1e290 events can overflow its sum.
   */
  public static final double MAX_ABS_VALUE = 1e15;
  /**
   * How far past the wall clock an event time may be: one hour covers clocks that are off and producers that stamp
   * the end of an interval; an event from further ahead would make the honest events before it late.
   */
  public static final Duration MAX_FUTURE = Duration.ofHours(1);
  /** The shortest default {@code window.maxSkew}: five days, the longest market closure of a normal year. */
  public static final Duration MIN_DEFAULT_SKEW = Duration.ofDays(5);
  /** Default {@code window.maxSkew} in steps, for steps longer than a day. */
  public static final int SKEW_STEPS = 4;

  /** Resampling step. */
  public static final Duration STEP = Duration.ofHours(1);
  /**
   * Default {@code state.keyIdleTimeout}: 30 days of stream time. Longer than any gap the model bridges (imputation
   * stops after {@code model.gaps.maxImputed} steps, a key back after longer is reset anyway; market closures with
   * {@code skip} last days), so no state that would still be used is deleted; short enough that the state of keys
   * that are gone (a retired meter, a delisted ticker) stops costing disk and restore time within a month.
   */
  public static final Duration KEY_IDLE_TIMEOUT = Duration.ofDays(30);
  /** Aggregation of a step's events. */
  public static final Aggregation AGGREGATION = Aggregation.MEAN;
  /** Upper bound of the default grace (the default is one step, at most this). */
  public static final Duration MAX_DEFAULT_GRACE = Duration.ofMinutes(1);

  /** Model cell. */
  public static final ModelType MODEL_TYPE = ModelType.GRU;
  /** Stacked layers. */
  public static final int LAYERS = 1;
  /** Hidden units per layer. */
  public static final int HIDDEN_SIZE = 32;
  /** Steps forecast at once. */
  public static final int HORIZON = 12;
  /** Target transform. */
  public static final TargetTransform TARGET = TargetTransform.LEVEL;
  /** Whether the model gets a flag input for imputed steps. */
  public static final boolean IMPUTED_FLAG = true;
  /** Seasonal lags derived from the step are at most this many steps (bounds the per-key state). */
  public static final int MAX_DEFAULT_LAG = 1008;
  /** The shortest default context, in steps. */
  public static final int MIN_DEFAULT_CONTEXT = 48;

  /** Training history, in steps. */
  public static final int HISTORY_STEPS = 2000;
  /** Maximum epochs. */
  public static final int EPOCHS = 30;
  /** Early-stopping patience, in epochs. */
  public static final int PATIENCE = 5;
  /** Adam learning rate. */
  public static final double LEARNING_RATE = 0.005;
  /** Gradient clipping threshold. */
  public static final double GRADIENT_CLIP = 1.0;
  /** What the gradient clipping threshold bounds. */
  public static final PipelineSpec.GradientClipMode GRADIENT_CLIP_MODE = PipelineSpec.GradientClipMode.NORM;
  /** Dropout probability. */
  public static final double DROPOUT = 0.0;
  /** L2 weight decay. */
  public static final double L2 = 0.0;
  /** Training sequences per mini-batch. */
  public static final int BATCH_SIZE = 32;
  /** Validation fraction. */
  public static final double VALIDATION = 0.1;
  /** Random seed. */
  public static final long SEED = 42L;
  /** Required MASE improvement for a candidate to replace the champion. */
  public static final double PROMOTE_MARGIN = 0.02;
  /** Keys a retraining run trains on (a stratified seeded sample of a larger fleet). */
  public static final int MAX_KEYS = 256;
  /** Training windows per epoch (a seeded sample when the keys have more). */
  public static final int MAX_WINDOWS = 2048;
  /** Training time of one retraining run. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(5);
  /** Keys the champion-versus-challenger judgement scores. */
  public static final int JUDGE_KEYS = 200;
  /** Bytes of series history a retraining run holds while reading: 64 MiB. */
  public static final long MAX_HISTORY_BYTES = 64L << 20;

  /** Prediction-interval levels. */
  public static final List<Double> INTERVALS = List.of(0.8, 0.95);
  /**
   * Default {@code anomalies.maxPerKeyPerHour}: one anomaly per key and hour of event time. A spike or a level
   * shift is reported at once; a sensor that is stuck or broken costs one record an hour, not one a step.
   */
  public static final double ANOMALIES_PER_KEY_PER_HOUR = 1;
  /**
   * Default {@code anomalies.clip}: off, the model is fed the actual. Clipping protects a hidden state from spikes,
   * but on prices a large move is information: with it on, eustockmarkets' GRU went from naive's MASE at h = 1 to
   * 0.5% worse (BENCHMARKS.md "Anomalies"). Sensor pipelines switch it on.
   */
  public static final boolean ANOMALIES_CLIP = false;
  /** Default {@code anomalies.flatline}: on, a stuck sensor sends plausible values that only their sameness betrays. */
  public static final boolean ANOMALIES_FLATLINE = true;
  /** Default {@code anomalies.shift}: on, a lasting change is flagged beyond its first step. */
  public static final boolean ANOMALIES_SHIFT = true;
  /**
   * Default {@code anomalies.spike}: on, a reading that jumps and comes straight back is flagged one step late even
   * inside the band (chosen on the development seeds of the anomaly backtest: BENCHMARKS.md "Anomalies").
   */
  public static final boolean ANOMALIES_SPIKE = true;
  /** The compacted topic that carries model artifacts; no pipeline topic may have this name. */
  public static final String MODELS_TOPIC = "streamcast.models";

  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration YEAR = Duration.ofDays(366);

  private SpecDefaults() {}

  /** {@code <name>.events}: the default input topic. */
  public static String inputTopic(String pipeline) {
    return pipeline + ".events";
  }

  /** {@code <name>.forecasts}. */
  public static String forecastsTopic(String pipeline) {
    return pipeline + ".forecasts";
  }

  /** {@code <name>.series}: the resampled series, history for retraining. */
  public static String seriesTopic(String pipeline) {
    return pipeline + ".series";
  }

  /** {@code <name>.dlq}: dead letters. */
  public static String deadLetterTopic(String pipeline) {
    return pipeline + ".dlq";
  }

  /** {@code <name>.anomalies}: anomaly events. */
  public static String anomaliesTopic(String pipeline) {
    return pipeline + ".anomalies";
  }

  /**
   * Default {@code anomalies.level}: the widest interval level, so an anomaly is rarer than a miss of any narrower
   * band (with the default intervals 0.8 and 0.95, the 0.95 band).
   */
  public static double anomalyLevel(List<Double> intervals) {
    return intervals.stream().mapToDouble(Double::doubleValue).max().orElse(INTERVALS.get(INTERVALS.size() - 1));
  }

  /** Grace for late events: one step, at most {@link #MAX_DEFAULT_GRACE}. */
  public static Duration grace(Duration step) {
    return step.compareTo(MAX_DEFAULT_GRACE) < 0 ? step : MAX_DEFAULT_GRACE;
  }

  /**
   * How far one event may move a partition's stream time ahead: five days (a weekend with a holiday on each side,
   * e.g. Easter from Thursday's close to Tuesday's open, or a half-hourly FX feed over a weekend), or four steps
   * when that is longer (monthly or yearly series).
   */
  public static Duration maxSkew(Duration step) {
    Duration steps = step.multipliedBy(SKEW_STEPS);
    return steps.compareTo(MIN_DEFAULT_SKEW) > 0 ? steps : MIN_DEFAULT_SKEW;
  }

  /**
   * Seasonal lags that suit a step: for steps shorter than a day that divide it, one day and one week in steps (48 and
   * 336 for 30m, 24 and 168 for 1h), each only if at most {@link #MAX_DEFAULT_LAG}; for daily steps, one week (7);
   * none otherwise.
   */
  public static List<Integer> seasonalLags(Duration step) {
    if (step.isZero() || step.isNegative()) {
      return List.of();
    }
    if (step.equals(DAY)) {
      return List.of(7);
    }
    List<Integer> lags = new ArrayList<>();
    if (step.compareTo(DAY) < 0 && DAY.toNanos() % step.toNanos() == 0) {
      long perDay = DAY.toNanos() / step.toNanos();
      for (long lag : new long[] {perDay, perDay * 7}) {
        if (lag <= MAX_DEFAULT_LAG) {
          lags.add((int) lag);
        }
      }
    }
    return Collections.unmodifiableList(lags);
  }

  /**
   * Calendar features that vary between steps: time of day and day of week below a day; day of week and day of year
   * from a day to below a week; day of year from a week to below a year; none above.
   */
  public static List<CalendarFeature> calendar(Duration step) {
    if (step.compareTo(DAY) < 0) {
      return List.of(CalendarFeature.TIME_OF_DAY, CalendarFeature.DAY_OF_WEEK);
    }
    if (step.compareTo(WEEK) < 0) {
      return List.of(CalendarFeature.DAY_OF_WEEK, CalendarFeature.DAY_OF_YEAR);
    }
    return step.compareTo(YEAR) < 0 ? List.of(CalendarFeature.DAY_OF_YEAR) : List.of();
  }

  /** The step from which a calendar feature is constant within every step and so carries no information. */
  public static Duration longestStepFor(CalendarFeature feature) {
    return switch (feature) {
      case TIME_OF_DAY -> DAY;
      case DAY_OF_WEEK -> WEEK;
      case DAY_OF_YEAR -> YEAR;
    };
  }

  /**
   * Context length: the largest seasonal lag, twice the horizon, or {@link #MIN_DEFAULT_CONTEXT}, whichever is most.
   */
  public static int context(List<Integer> seasonalLags, int horizon) {
    int largestLag = seasonalLags.stream().mapToInt(Integer::intValue).max().orElse(0);
    return Math.max(Math.max(largestLag, 2 * horizon), MIN_DEFAULT_CONTEXT);
  }

  /**
   * Training history: {@link #HISTORY_STEPS} steps, or two training windows ({@code context + horizon} steps each)
   * when the model's context is longer, so that a long seasonal lag never makes the defaults contradict each other.
   */
  public static Duration history(Duration step, int context, int horizon) {
    return step.multipliedBy(Math.max(HISTORY_STEPS, 2L * (context + horizon)));
  }
}
