package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.QualityStep;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;
import org.streamcast.domain.Gaps;

/**
 * Backtests a servable {@link Forecaster} exactly as the stream processor runs it: each cursor holds a
 * {@link ServingState} and feeds observations through the same {@link ServingStep}, so a backtest forecast and its
 * intervals equal the streamed ones for the same key and origin (the intervals of a key young enough to use the
 * pipeline's bands depend on which other keys were scored before, in the stream as here).
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
  private final Gaps gaps;
  private final long stepMs;
  private final int historyCapacity;
  private final Bands bands;
  private final PipelineSpec.Anomalies anomalies;

  /** A method with the pipeline's default interval levels and rate ({@link Bands#DEFAULT}). */
  public ForecasterMethod(String name, Fitter fitter, Gaps gaps, long stepMs, int historyCapacity) {
    this(name, fitter, gaps, stepMs, historyCapacity, Bands.DEFAULT);
  }

  /**
   * @param name            the method's name in reports ({@code gru}, ...)
   * @param fitter          builds the forecaster from the training parts
   * @param gaps            the gap policy, as the pipeline's spec says
   * @param stepMs          the step, as the pipeline's window
   * @param historyCapacity values each key keeps, as the pipeline's store
   * @param bands           interval levels and rate, as the pipeline's
   */
  public ForecasterMethod(String name, Fitter fitter, Gaps gaps, long stepMs, int historyCapacity,
      Bands bands) {
    this(name, fitter, gaps, stepMs, historyCapacity, bands, null);
  }

  /**
   * A method served with the pipeline's anomaly settings too: with {@code anomalies.clip} an anomalous actual is fed
   * to the model clipped to its band, as the stream does ({@code PipelineTopology.anomalies}; null: no check).
   */
  public ForecasterMethod(String name, Fitter fitter, Gaps gaps, long stepMs, int historyCapacity,
      Bands bands, PipelineSpec.Anomalies anomalies) {
    this.anomalies = anomalies;
    this.name = Objects.requireNonNull(name, "name");
    this.fitter = fitter;
    this.gaps = gaps;
    this.stepMs = stepMs;
    this.historyCapacity = historyCapacity;
    this.bands = bands;
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
    PipelineScores pooled = new PipelineScores(ScoredHorizons.of(model.horizon()), bands.levels());
    ServingStep step = new ServingStep(name, new KeyStepper(gaps, stepMs), stepMs, pooled, bands.rate(),
        anomalies == null || !bands.levels().contains(anomalies.level()) ? null : anomalies);
    // a key the model does not forecast yet is scored as naive, with naive's bands from its own errors
    Fitted naive = new NaiveMethod().fit(trainParts, horizon);
    QualityStep fallbackBands = new QualityStep(new PipelineScores(ScoredHorizons.of(horizon), bands.levels()),
        bands.rate());
    return key -> new StepperCursor(model, key, step, new ServingState(historyCapacity), horizon,
        new ConformalCursor(naive.start(key), fallbackBands, horizon));
  }

  /**
   * One key's state driven through the shared serving step. Until the key forecasts (its warm-up, or after a reset),
   * the backtest scores naive's forecast and naive's conformal bands in its place ({@code fallback}, fed every step);
   * the stream publishes nothing for such a key.
   */
  static final class StepperCursor implements Cursor {
    private static final double[] NO_COVARIATES = new double[0];
    private final Forecaster model;
    private final String key;
    private final ServingStep step;
    private final ServingState state;
    private final Cursor fallback;
    private final double[] out;
    private final double[] answer;
    private final double[][] half;
    private boolean warm;
    private double last = Double.NaN;

    StepperCursor(Forecaster model, String key, ServingStep step, ServingState state, int horizon, Cursor fallback) {
      this.model = model;
      this.key = key;
      this.step = step;
      this.state = state;
      this.fallback = fallback;
      this.out = new double[model.horizon()];
      this.answer = new double[horizon];
      this.half = new double[step.levels().length][horizon];
    }

    @Override
    public void observe(Instant t, double y) {
      observe(t, y, NO_COVARIATES);
    }

    @Override
    public void observe(Instant t, double y, double[] covariates) {
      last = y;
      fallback.observe(t, y);
      warm = step.step(model, key, state, t.toEpochMilli(), y, covariates, out, null) != null;
      if (warm) {
        double[][] issued = step.halfWidths();
        for (int l = 0; l < half.length; l++) {
          for (int h = 1; h <= answer.length; h++) {
            half[l][h - 1] = h <= issued[l].length ? issued[l][h - 1] : Double.NaN;
          }
        }
        System.arraycopy(out, 0, answer, 0, answer.length);
      } else {
        useFallback();
      }
    }

    @Override
    public void missing(Instant t) {
      if (Double.isNaN(last)) {
        return;
      }
      fallback.missing(t);
      if (!warm) {
        useFallback();
        return;
      }
      System.arraycopy(answer, 1, answer, 0, answer.length - 1);
      for (double[] row : half) {
        System.arraycopy(row, 1, row, 0, row.length - 1);
        row[row.length - 1] = Double.NaN;
      }
    }

    private void useFallback() {
      System.arraycopy(fallback.forecast(), 0, answer, 0, answer.length);
      double[][] bands = fallback.halfWidths();
      for (int l = 0; l < half.length; l++) {
        for (int h = 1; h <= answer.length; h++) {
          half[l][h - 1] = bands == null || l >= bands.length ? Double.NaN : bands[l][h - 1];
        }
      }
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

    @Override
    public double[][] halfWidths() {
      double[][] copy = new double[half.length][];
      for (int l = 0; l < half.length; l++) {
        copy[l] = half[l].clone();
      }
      return copy;
    }

    /** The key's state, for tests. */
    ServingState state() {
      return state;
    }
  }
}
