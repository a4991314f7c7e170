package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;

/**
 * Backtests a servable {@link Forecaster} exactly as the stream processor runs it: each cursor holds a
 * {@link KeyState} and feeds observations through the same {@link KeyStepper}, so a backtest forecast equals the
 * streamed forecast for the same key and origin.
 *
 * <p>The cursor's answers where the pipeline has none: at a missing origin (the pipeline forecasts only after an
 * observation) it shifts the last forecast by one step, since nothing new was seen; before the key is warm it answers
 * the last observed value (naive), so every origin of the protocol is scored.
 */
public final class ForecasterMethod implements ForecastMethod {

  /** Learns a forecaster from the training parts (a trainer, or a fixed model that ignores them). */
  @FunctionalInterface
  public interface Fitter {
    Forecaster fit(Map<String, Series> trainParts, int horizon);
  }

  private final String name;
  private final Fitter fitter;
  private final PipelineSpec.Gaps gaps;
  private final long stepMs;
  private final int historyCapacity;

  /**
   * @param name            the method's name in reports ({@code gru}, ...)
   * @param fitter          builds the forecaster from the training parts
   * @param gaps            the gap policy, as the pipeline's spec says
   * @param stepMs          the step, as the pipeline's window
   * @param historyCapacity values each key keeps, as the pipeline's store
   */
  public ForecasterMethod(String name, Fitter fitter, PipelineSpec.Gaps gaps, long stepMs, int historyCapacity) {
    this.name = Objects.requireNonNull(name, "name");
    this.fitter = fitter;
    this.gaps = gaps;
    this.stepMs = stepMs;
    this.historyCapacity = historyCapacity;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Fitted fit(Map<String, Series> trainParts, int horizon) {
    Forecaster model = fitter.fit(trainParts, horizon);
    if (model.horizon() < horizon) {
      throw new IllegalArgumentException(name + " forecasts " + model.horizon() + " steps, the backtest needs "
          + horizon);
    }
    KeyStepper stepper = new KeyStepper(gaps, stepMs);
    return key -> new StepperCursor(model, key, stepper, new KeyState(historyCapacity), horizon);
  }

  /** One key's state driven through the shared step logic. */
  static final class StepperCursor implements Cursor {
    private final Forecaster model;
    private final String key;
    private final KeyStepper stepper;
    private final KeyState state;
    private final double[] out;
    private final double[] answer;
    private boolean warm;
    private double last = Double.NaN;

    StepperCursor(Forecaster model, String key, KeyStepper stepper, KeyState state, int horizon) {
      this.model = model;
      this.key = key;
      this.stepper = stepper;
      this.state = state;
      this.out = new double[model.horizon()];
      this.answer = new double[horizon];
    }

    @Override
    public void observe(Instant t, double y) {
      last = y;
      int outcome = stepper.observe(model, key, state, t.toEpochMilli(), y, out);
      warm = (outcome & KeyStepper.FORECAST) != 0;
      if (warm) {
        System.arraycopy(out, 0, answer, 0, answer.length);
      } else {
        Arrays.fill(answer, y);
      }
    }

    @Override
    public void missing(Instant t) {
      if (Double.isNaN(last)) {
        return;
      }
      System.arraycopy(answer, 1, answer, 0, answer.length - 1);
    }

    @Override
    public double[] forecast() {
      if (Double.isNaN(last)) {
        double[] none = new double[answer.length];
        Arrays.fill(none, Double.NaN);
        return none;
      }
      return answer.clone();
    }

    /** The key's state, for tests. */
    KeyState state() {
      return state;
    }
  }
}
