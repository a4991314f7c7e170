package org.streamcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelHolder;
import org.streamcast.model.RecurrentForecaster;

/**
 * The model one pipeline serves: {@code streamcast.model.version} (0 for the seasonal-naive baseline) and
 * {@code streamcast.model.age} in seconds since the model finished training (NaN for the baseline, which was never
 * trained), tagged with the pipeline.
 */
public final class ModelMeters implements MeterBinder {
  private final String pipeline;
  private final ModelHolder models;
  private final Clock clock;

  public ModelMeters(String pipeline, ModelHolder models, Clock clock) {
    this.pipeline = pipeline;
    this.models = models;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("streamcast.model.version", models, h -> h.current().version())
        .description("Version of the model in service (0: the seasonal-naive baseline)")
        .tag("pipeline", pipeline).register(registry);
    Gauge.builder("streamcast.model.age", models, this::ageSeconds)
        .description("Time since the model in service finished training").baseUnit("seconds")
        .tag("pipeline", pipeline).register(registry);
  }

  private double ageSeconds(ModelHolder holder) {
    Forecaster f = holder.current();
    if (f instanceof RecurrentForecaster r) {
      return (clock.millis() - r.artifact().provenance().createdAt().toEpochMilli()) / 1000.0;
    }
    return Double.NaN;
  }
}
