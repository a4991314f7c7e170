package org.streamcast.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Step;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelHolder;

/**
 * Advances each key's state by its new step with the model serving now, and forwards the forecast when the key is
 * warm. The key's state lives in a persistent, changelogged store, so it is partitioned, restored after a crash and
 * moved on rebalance with the key.
 */
final class ForecastProcessor implements FixedKeyProcessor<String, Step, Forecast> {
  private final String pipeline;
  private final ModelHolder models;
  private final KeyStepper stepper;
  private final long stepMs;
  private final int historyCapacity;
  private final String storeName;
  private final PipelineObserver observer;
  private FixedKeyProcessorContext<String, Forecast> context;
  private KeyValueStore<String, KeyState> store;
  private double[] out = new double[0];

  ForecastProcessor(String pipeline, ModelHolder models, KeyStepper stepper, long stepMs, int historyCapacity,
      String storeName, PipelineObserver observer) {
    this.pipeline = pipeline;
    this.models = models;
    this.stepper = stepper;
    this.stepMs = stepMs;
    this.historyCapacity = historyCapacity;
    this.storeName = storeName;
    this.observer = observer;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Forecast> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, Step> record) {
    Step step = record.value();
    Forecaster model = models.current();
    if (out.length != model.horizon()) {
      out = new double[model.horizon()];
    }
    KeyState state = store.get(record.key());
    boolean wasWarm = state != null && state.forecastOrigin() != KeyState.NO_STEP;
    if (state == null) {
      state = new KeyState(historyCapacity);
      observer.keyStarted();
    }
    long started = System.nanoTime();
    int outcome = stepper.observe(model, record.key(), state, step.start().toEpochMilli(), step.value(), out);
    boolean forecast = (outcome & KeyStepper.FORECAST) != 0;
    observer.stepped(System.nanoTime() - started, forecast);
    if ((outcome & KeyStepper.REWARMED) != 0) {
      observer.rewarmed();
    }
    if ((outcome & KeyStepper.RESET) != 0) {
      observer.reset();
      if (wasWarm) {
        observer.keyStarted();
      }
      wasWarm = false;
    }
    if (KeyStepper.imputed(outcome) > 0) {
      observer.imputed(KeyStepper.imputed(outcome));
    }
    store.put(record.key(), state);
    if (forecast) {
      if (!wasWarm) {
        observer.keyWarm();
      }
      context.forward(record.withValue(forecast(record.key(), step.start(), model, out))
          .withTimestamp(step.start().toEpochMilli()));
    }
  }

  private Forecast forecast(String key, Instant origin, Forecaster model, double[] values) {
    List<Forecast.Point> points = new ArrayList<>(values.length);
    for (int h = 1; h <= values.length; h++) {
      points.add(new Forecast.Point(h, origin.plusMillis(h * stepMs), values[h - 1]));
    }
    return new Forecast(key, pipeline, origin, model.name(), model.version(), points);
  }
}
