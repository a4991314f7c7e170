package org.streamcast.serving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.Forecast;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoreSink;

/**
 * One key's serving step: the model step ({@link KeyStepper}: re-warm, gaps, the step, live protection), then the
 * live scores (the key's pending forecasts scored against the actual, into the key's quality part and the pipeline's
 * scores), the adaptive conformal intervals ({@link Intervals}) and the forecast with its values, sources and
 * intervals. The stream's forecast processor steps the models of several keys at once ({@link #stepModels}) and
 * finishes each ({@link #finish}); the backtest calls {@link #step} per key. Both get the same numbers.
 *
 * <p>Holds scratch space: one instance per thread (a stream task, a backtest method). The pipeline's scores are
 * shared and thread-safe.
 */
public final class ServingStep {
  private final String pipeline;
  private final KeyStepper stepper;
  private final long stepMs;
  private final PipelineScores scores;
  private final QualityStep quality;
  private final double[] levels;
  private static final double[] NO_COVARIATES = new double[0];
  private KeyState[] models = new KeyState[0];
  private double[] fed = new double[0];

  /**
   * @param pipeline the pipeline's name (written into each forecast)
   * @param stepper  the model's step logic (gap policy, step)
   * @param stepMs   the step
   * @param scores   the pipeline's live scores: every scored forecast goes there, and young keys' intervals come
   *                 from there
   * @param rate     the intervals' tracking rate γ ({@link Intervals})
   */
  public ServingStep(String pipeline, KeyStepper stepper, long stepMs, PipelineScores scores, double rate) {
    this(pipeline, stepper, stepMs, scores, rate, null);
  }

  /**
   * A step that also checks each actual for an anomaly ({@link QualityStep}) and, with {@code anomalies.clip}, feeds
   * the model the band's edge instead of an anomalous actual ({@link QualityStep#fed}).
   *
   * @param anomalies the spec's anomaly settings; null: no anomalies are checked
   */
  public ServingStep(String pipeline, KeyStepper stepper, long stepMs, PipelineScores scores, double rate,
      PipelineSpec.Anomalies anomalies) {
    this.pipeline = pipeline;
    this.stepper = stepper;
    this.stepMs = stepMs;
    this.scores = scores;
    this.quality = new QualityStep(scores, rate, anomalies);
    this.levels = scores.levels();
  }

  /** The step, as the window's. */
  public long stepMs() {
    return stepMs;
  }

  /**
   * One key's whole step: {@link #stepModel}, then {@link #finish}.
   *
   * @return the forecast to publish, or null (the key is not warm, or its forecast was withheld)
   */
  public Forecast step(Forecaster model, String key, ServingState state, long start, double value, double[] out,
      ScoreSink watch) {
    return step(model, key, state, start, value, NO_COVARIATES, out, watch);
  }

  /** {@link #step(Forecaster, String, ServingState, long, double, double[], ScoreSink)} with the step's covariates. */
  public Forecast step(Forecaster model, String key, ServingState state, long start, double value,
      double[] covariates, double[] out, ScoreSink watch) {
    int outcome = stepModel(model, key, state, start, value, covariates, out);
    return finish(model, key, state, start, value, outcome, out, watch);
  }

  /**
   * The model part of one key's step; returns the outcome flags of {@link KeyStepper#observe}. The model is fed
   * {@link #fed} of the value.
   */
  public int stepModel(Forecaster model, String key, ServingState state, long start, double value, double[] out) {
    return stepModel(model, key, state, start, value, NO_COVARIATES, out);
  }

  /**
   * {@link #stepModel(Forecaster, String, ServingState, long, double, double[])} with the step's covariates (in the
   * model's order; fed as they are, only the target is clipped).
   */
  public int stepModel(Forecaster model, String key, ServingState state, long start, double value,
      double[] covariates, double[] out) {
    return stepper.observe(model, key, state.model(), start, fed(state, start, value), covariates, out);
  }

  /**
   * What the model is fed for an observation: the value, or with {@code anomalies.clip} an anomalous value clipped to
   * the edge of the band forecast for it, when the step directly follows the key's last ({@link QualityStep#fed});
   * after a gap the value itself.
   */
  public double fed(ServingState state, long start, double value) {
    return stepper.follows(state.model(), start) ? quality.fed(state.quality(), value) : value;
  }

  /**
   * The model parts of keys {@code 0 .. n−1}, stepped together ({@link KeyStepper#observeAll}); the keys must be
   * distinct.
   */
  public void stepModels(Forecaster model, String[] keys, ServingState[] states, long[] starts, double[] values,
      double[][] outs, int[] outcomes, int n) {
    stepModels(model, keys, states, starts, values, null, outs, outcomes, n);
  }

  /** {@link #stepModels} with each key's covariates ({@code covariates[b]}; null: none). */
  public void stepModels(Forecaster model, String[] keys, ServingState[] states, long[] starts, double[] values,
      double[][] covariates, double[][] outs, int[] outcomes, int n) {
    if (models.length < n) {
      models = new KeyState[Math.max(n, states.length)];
    }
    if (fed.length < n) {
      fed = new double[Math.max(n, states.length)];
    }
    for (int b = 0; b < n; b++) {
      models[b] = states[b].model();
      fed[b] = fed(states[b], starts[b], values[b]);
    }
    try {
      stepper.observeAll(model, keys, models, starts, fed, covariates, outs, outcomes, n);
    } finally {
      java.util.Arrays.fill(models, 0, n, null);
    }
  }

  /**
   * The rest of one key's step after its model step: scores the pending forecasts against {@code value} (each to the
   * pipeline's scores and to {@code watch}), computes the intervals of the new forecast, records it as pending and
   * assembles it.
   *
   * @param outcome the model step's outcome ({@link KeyStepper})
   * @param out     the model step's forecast
   * @param watch   also receives each scored forecast (null: none)
   * @return the forecast to publish, or null when the step gave none
   */
  public Forecast finish(Forecaster model, String key, ServingState state, long start, double value, int outcome,
      double[] out, ScoreSink watch) {
    boolean forecast = (outcome & KeyStepper.FORECAST) != 0;
    boolean scorable = forecast && out.length >= scores.horizons().horizon();
    quality.score(state.quality(), (outcome & KeyStepper.RESET) != 0, KeyStepper.imputed(outcome), start, value,
        scorable ? out : null, watch);
    if (!forecast) {
      return null;
    }
    return assemble(key, Instant.ofEpochMilli(start), model, out, KeyStepper.sources(model, key, state.model()));
  }

  /** The anomaly check of the latest {@link #finish} ({@link QualityStep.Check#flagged()}: whether there was one). */
  public QualityStep.Check anomalyCheck() {
    return quality.anomaly();
  }

  /** Whether this step checks anomalies at all. */
  public boolean checksAnomalies() {
    return quality.checksAnomalies();
  }

  /**
   * The anomaly the latest {@link #finish} found for {@code key} at {@code start}, as published, or null when there
   * was none or the key's budget suppressed it. {@code model} is the model serving the key at the step.
   */
  public Anomaly anomaly(String key, long start, Forecaster model, ServingState state) {
    QualityStep.Check c = quality.anomaly();
    if (!c.flagged() || !c.published()) {
      return null;
    }
    List<String> sources = KeyStepper.sources(model, key, state.model());
    int h = Math.min(c.h(), sources.size());
    String name = Forecast.modelName(model.name(), sources.subList(h - 1, h));
    return new Anomaly(key, Instant.ofEpochMilli(start - c.stepsBack() * stepMs), c.actual(), c.forecast(),
        c.forecast() - c.halfWidth(), c.forecast() + c.halfWidth(), c.level(), c.h(), c.score(), name,
        model.version(), c.kind());
  }

  /**
   * The interval half-widths of the latest forecast {@link #finish} made, {@code [level][h − 1]} (NaN: none); valid
   * until the next call.
   */
  public double[][] halfWidths() {
    return quality.halfWidths();
  }

  /** The interval levels, ascending. */
  public double[] levels() {
    return levels.clone();
  }

  /** The forecast, each point labelled with the source that served it ({@code sources}, per horizon). */
  private Forecast assemble(String key, Instant origin, Forecaster model, double[] values, List<String> sources) {
    List<Forecast.Point> points = new ArrayList<>(values.length);
    double[][] halfWidths = quality.halfWidths();
    int scoredHorizon = halfWidths.length == 0 ? 0 : halfWidths[0].length;
    for (int h = 1; h <= values.length; h++) {
      List<Forecast.Interval> bands = List.of();
      if (h <= scoredHorizon) {
        bands = bands(values[h - 1], h);
      }
      points.add(new Forecast.Point(h, origin.plusMillis(h * stepMs), values[h - 1], bands, sources.get(h - 1)));
    }
    return new Forecast(key, pipeline, origin, Forecast.modelName(model.name(), sources), model.version(), points);
  }

  private List<Forecast.Interval> bands(double value, int h) {
    List<Forecast.Interval> bands = null;
    for (int l = 0; l < levels.length; l++) {
      double half = quality.halfWidths()[l][h - 1];
      if (!Double.isNaN(half)) {
        if (bands == null) {
          bands = new ArrayList<>(levels.length);
        }
        bands.add(new Forecast.Interval(levels[l], value - half, value + half));
      }
    }
    return bands == null ? List.of() : bands;
  }
}
