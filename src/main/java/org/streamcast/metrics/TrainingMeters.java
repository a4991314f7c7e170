package org.streamcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retrainer's meters for one pipeline: {@code streamcast.training.runs{outcome}} (promoted, rejected, skipped,
 * failed), and gauges of the last run: {@code streamcast.training.duration} (seconds) and
 * {@code streamcast.training.loss{split}} (train and validation loss of the kept epoch).
 */
public final class TrainingMeters implements MeterBinder {
  /** The outcome tag values. */
  public static final List<String> OUTCOMES = List.of("promoted", "rejected", "skipped", "failed");

  private final String pipeline;
  private final Map<String, Counter> runs = new LinkedHashMap<>();
  private final AtomicLong durationBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private final AtomicLong trainLossBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private final AtomicLong validationLossBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

  public TrainingMeters(String pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String outcome : OUTCOMES) {
      runs.put(outcome, Counter.builder("streamcast.training.runs").description("Retraining runs by outcome")
          .tag("pipeline", pipeline).tag("outcome", outcome).register(registry));
    }
    Gauge.builder("streamcast.training.duration", durationBits, b -> Double.longBitsToDouble(b.get()))
        .description("Wall time of the last retraining run").baseUnit("seconds").tag("pipeline", pipeline)
        .register(registry);
    Gauge.builder("streamcast.training.loss", trainLossBits, b -> Double.longBitsToDouble(b.get()))
        .description("Loss of the last trained model's kept epoch (scaled MSE)").tag("pipeline", pipeline)
        .tag("split", "train").register(registry);
    Gauge.builder("streamcast.training.loss", validationLossBits, b -> Double.longBitsToDouble(b.get()))
        .description("Loss of the last trained model's kept epoch (scaled MSE)").tag("pipeline", pipeline)
        .tag("split", "validation").register(registry);
  }

  /** Records a finished run; the losses are NaN when nothing was trained (and then leave the gauges as they were). */
  public void record(String outcome, double seconds, double trainLoss, double validationLoss) {
    Counter c = runs.get(outcome);
    if (c == null) {
      throw new IllegalArgumentException("unknown outcome " + outcome + " (known: " + OUTCOMES + ")");
    }
    c.increment();
    durationBits.set(Double.doubleToLongBits(seconds));
    if (!Double.isNaN(trainLoss)) {
      trainLossBits.set(Double.doubleToLongBits(trainLoss));
      validationLossBits.set(Double.doubleToLongBits(validationLoss));
    }
  }
}
