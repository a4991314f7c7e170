package org.streamcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.streamcast.domain.Anomaly;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of a pipeline's forecasting processor, tagged with the pipeline only: {@code streamcast.forecasts.out},
 * {@code streamcast.steps.imputed}, {@code streamcast.rewarms}, {@code streamcast.key.resets},
 * {@code streamcast.forecasts.withheld}, {@code streamcast.state.entries.reset}, {@code streamcast.fallbacks}
 * (key-horizons live protection switched to the baseline), {@code streamcast.keys.expired},
 * {@code streamcast.anomalies} (anomalies published) and {@code streamcast.anomalies.suppressed} (anomalies the
 * per-key rate limit kept off the topic) (counters, also tagged with the anomaly's {@code kind}: band, flatline,
 * shift or spike, so an operator sees a stuck sensor apart from a spike);
 * {@code streamcast.keys.tracked} and {@code streamcast.keys.warming} (gauges: keys in this instance's stores, and
 * those without a forecast yet); {@code streamcast.inference} (histogram of one key's model step; keys stepped
 * together each record an equal share of their batch's time) and {@code streamcast.forecast.lag} (histogram of
 * wall-clock time from the end of a forecast's origin step, in event time, to its publication; for replayed history
 * this is the age of the data).
 */
public final class ForecastMeters implements MeterBinder {
  /** Bucket bounds of the inference histogram. */
  static final Duration[] INFERENCE_BUCKETS = millis(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      25, 50, 100, 250, 1000);
  /** Bucket bounds of the event-time-to-forecast lag histogram. */
  static final Duration[] LAG_BUCKETS = millis(10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
      300_000, 900_000, 3_600_000, 21_600_000, 86_400_000);

  private final String pipeline;
  private final AtomicLong tracked = new AtomicLong();
  private final AtomicLong warming = new AtomicLong();
  private Counter forecasts;
  private Counter imputed;
  private Counter rewarms;
  private Counter resets;
  private Counter withheld;
  private Counter stateEntriesReset;
  private Counter fallbacks;
  private Counter expired;
  /** Published and suppressed anomalies per kind (three kinds: the tag is bounded). */
  private final Map<String, Counter> anomalies = new TreeMap<>();
  private final Map<String, Counter> suppressed = new TreeMap<>();
  private Timer inference;
  private Timer lag;

  public ForecastMeters(String pipeline) {
    this.pipeline = pipeline;
  }

  private static Duration[] millis(double... ms) {
    Duration[] out = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = Duration.ofNanos(Math.round(ms[i] * 1_000_000));
    }
    return out;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    forecasts = Counter.builder("streamcast.forecasts.out").description("Forecast records published")
        .tag("pipeline", pipeline).register(registry);
    imputed = Counter.builder("streamcast.steps.imputed")
        .description("Missing steps filled with the model's own one-step forecast").tag("pipeline", pipeline)
        .register(registry);
    rewarms = Counter.builder("streamcast.rewarms")
        .description("Key hidden states rebuilt from history for a new model version").tag("pipeline", pipeline)
        .register(registry);
    resets = Counter.builder("streamcast.key.resets")
        .description("Key states reset by a gap longer than the gap policy allows, or by a non-finite model output")
        .tag("pipeline", pipeline).register(registry);
    withheld = Counter.builder("streamcast.forecasts.withheld")
        .description("Forecasts not published because the model gave a non-finite value (the key was reset)")
        .tag("pipeline", pipeline).register(registry);
    stateEntriesReset = Counter.builder("streamcast.state.entries.reset")
        .description("Keys whose stored state could not be decoded (corrupt or a newer format) and started over")
        .tag("pipeline", pipeline).register(registry);
    fallbacks = Counter.builder("streamcast.fallbacks")
        .description("Key-horizons that live protection switched from the learned output to the baseline")
        .tag("pipeline", pipeline).register(registry);
    expired = Counter.builder("streamcast.keys.expired")
        .description("Keys whose state was deleted after they were idle longer than state.keyIdleTimeout")
        .tag("pipeline", pipeline).register(registry);
    for (String kind : Anomaly.KINDS) {
      anomalies.put(kind, Counter.builder("streamcast.anomalies")
          .description("Anomalies published: actuals outside the band forecast for them at anomalies.level (band), "
              + "stuck readings (flatline), level shifts (shift) and spikes inside the band (spike)")
          .tag("pipeline", pipeline).tag("kind", kind).register(registry));
      suppressed.put(kind, Counter.builder("streamcast.anomalies.suppressed")
          .description("Anomalies not published because their key had used up anomalies.maxPerKeyPerHour")
          .tag("pipeline", pipeline).tag("kind", kind).register(registry));
    }
    Gauge.builder("streamcast.keys.tracked", tracked, AtomicLong::get)
        .description("Keys in this instance's forecast stores").tag("pipeline", pipeline).strongReference(true)
        .register(registry);
    Gauge.builder("streamcast.keys.warming", warming, AtomicLong::get)
        .description("Keys in this instance's forecast stores without a forecast yet (warming up)")
        .tag("pipeline", pipeline).strongReference(true).register(registry);
    inference = Timer.builder("streamcast.inference")
        .description("Model step of one key (inference) time; a share of the batch when keys step together")
        .serviceLevelObjectives(INFERENCE_BUCKETS).tag("pipeline", pipeline).register(registry);
    lag = Timer.builder("streamcast.forecast.lag")
        .description("Wall-clock time from the end of a forecast's origin step (event time) to its publication")
        .serviceLevelObjectives(LAG_BUCKETS).tag("pipeline", pipeline).register(registry);
  }

  void keys(long trackedDelta, long warmingDelta) {
    tracked.addAndGet(trackedDelta);
    warming.addAndGet(warmingDelta);
  }

  void stepped(long nanos) {
    inference.record(nanos, TimeUnit.NANOSECONDS);
  }

  void published(long lagMillis) {
    forecasts.increment();
    lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
  }

  void imputed(int steps) {
    imputed.increment(steps);
  }

  void reset() {
    resets.increment();
  }

  void expired(int keys) {
    expired.increment(keys);
  }

  void withheld() {
    withheld.increment();
  }

  void stateEntryReset() {
    stateEntriesReset.increment();
  }

  void rewarmed() {
    rewarms.increment();
  }

  void anomaly(String kind, boolean published) {
    Counter c = (published ? anomalies : suppressed).get(kind);
    if (c != null) {
      c.increment();
    }
  }

  void fellBack(int horizons) {
    fallbacks.increment(horizons);
  }
}
