package org.streamcast.training.backtest;

import java.time.Instant;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.quality.Intervals;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;

/**
 * The two detectors the anomaly backtest compares, each giving one flag per step of a series: streamcast's (the
 * serving step's band check, exactly as the stream runs it, without the per-key rate limit, which only decides what
 * is published) and a rolling z-score (mean ± kσ over a trailing window of the observed values).
 */
public final class AnomalyDetectors {

  private AnomalyDetectors() {}

  /**
   * streamcast's flags: the series through the shared serving step with {@code model}, flagging what the pipeline's
   * check flags (each actual outside the band at the spec's level forecast for it, and the flatline, level-shift and
   * spike watches the spec switches on; a spike is flagged at the step it happened). Missing steps are skipped.
   *
   * @param history   values of history the key keeps (as the pipeline's store: context plus the longest lag)
   * @param anomalies the check's settings (its rate limit plays no part: every flag counts)
   */
  public static boolean[] streamcast(double[] y, List<Instant> times, Forecaster model, int history,
      PipelineSpec.Anomalies anomalies) {
    long stepMs = times.size() > 1 ? times.get(1).toEpochMilli() - times.get(0).toEpochMilli() : 1;
    PipelineScores scores = new PipelineScores(ScoredHorizons.of(model.horizon()), List.of(anomalies.level()));
    ServingStep step = new ServingStep("anomalies", new KeyStepper(new Gaps(GapPolicy.SKIP, 0), stepMs), stepMs,
        scores, Intervals.DEFAULT_RATE, anomalies);
    ServingState state = new ServingState(history);
    double[] out = new double[model.horizon()];
    boolean[] flags = new boolean[y.length];
    int previous = -1;
    for (int t = 0; t < y.length; t++) {
      if (Double.isNaN(y[t])) {
        continue;
      }
      step.step(model, "k", state, times.get(t).toEpochMilli(), y[t], out, null);
      if (step.anomalyCheck().flagged()) {
        // a spike is flagged for the step it happened, known one step later
        flags[step.anomalyCheck().stepsBack() > 0 ? previous : t] = true;
      }
      previous = t;
    }
    return flags;
  }

  /**
   * The rolling z-score's flags: step t is flagged when {@code |y[t] − mean| > k·σ} over the {@code window} observed
   * values before it (population σ; no flag before the window is full or when σ is 0).
   */
  public static boolean[] zScore(double[] y, int window, double k) {
    boolean[] flags = new boolean[y.length];
    double[] ring = new double[window];
    int n = 0;
    int next = 0;
    double sum = 0;
    double sq = 0;
    for (int t = 0; t < y.length; t++) {
      if (Double.isNaN(y[t])) {
        continue;
      }
      if (n == window) {
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        flags[t] = sd > 0 && Math.abs(y[t] - mean) > k * sd;
        sum -= ring[next];
        sq -= ring[next] * ring[next];
      } else {
        n++;
      }
      ring[next] = y[t];
      next = (next + 1) % window;
      sum += y[t];
      sq += y[t] * y[t];
    }
    return flags;
  }
}
