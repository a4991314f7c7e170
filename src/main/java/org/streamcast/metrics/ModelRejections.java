package org.streamcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.streamcast.model.Rejection;

/**
 * {@code streamcast_models_rejected_total{pipeline,reason}}: model records a pipeline did not take into service, by
 * {@link Rejection}. Every reason of every pipeline is registered at 0, so a dashboard sees the series before the
 * first rejection.
 */
public final class ModelRejections {
  private final MeterRegistry registry;
  private final Map<String, Map<Rejection, Counter>> counters = new ConcurrentHashMap<>();

  public ModelRejections(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the counters of {@code pipeline} (at 0). */
  public void register(String pipeline) {
    counters.computeIfAbsent(pipeline, p -> {
      Map<Rejection, Counter> byReason = new EnumMap<>(Rejection.class);
      for (Rejection r : Rejection.values()) {
        byReason.put(r, Counter.builder("streamcast.models.rejected")
            .description("Model records not taken into service, by reason")
            .tag("pipeline", p).tag("reason", r.wire()).register(registry));
      }
      return byReason;
    });
  }

  /** Counts one rejected record of {@code pipeline}. */
  public void count(String pipeline, Rejection reason) {
    register(pipeline);
    counters.get(pipeline).get(reason).increment();
  }
}
