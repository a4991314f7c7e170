package org.streamcast.serving;

import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.quality.ChangeWatch;
import org.streamcast.quality.Intervals;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoreSink;

/**
 * The quality part of a key's step, for any point forecast: live scores and the adaptive conformal intervals
 * ({@link Intervals}). The serving step runs it after each model step; the backtest runs it after the baselines'
 * steps, so their bands come from the same machinery driven on their own errors. Holds scratch space: one instance
 * per thread.
 *
 * <p>Anomalies: an actual outside the interval at {@code anomalies.level} that was forecast for it (the shortest
 * horizon scored at the step, h = 1 unless the steps before were imputed) is an anomaly ({@link #anomaly()}); the
 * key's {@link org.streamcast.quality.AnomalyBudget} decides whether it is published or suppressed. With
 * {@code anomalies.clip} the key's error windows take an anomalous error clipped to its band, as the model takes the
 * clipped actual ({@link KeyScores#observe(double, ScoreSink, double[], double, int)}); the pipeline's scores always
 * take the raw error. A lasting change still widens the band step by step (each miss moves the tracked correction)
 * and stops being flagged by it; the key's {@link ChangeWatch} flags what the band lets pass: a run of identical
 * actuals (a stuck sensor, {@code anomalies.flatline}) and errors that stay on one side (a level shift,
 * {@code anomalies.shift}). Its sums take the errors of forecasts whose band was the key's own only, so that what a
 * key flags depends on the key alone.
 */
public final class QualityStep {
  private final PipelineScores scores;
  private final Intervals intervals;
  private final double[] levels;
  private final double[][] halfWidths;
  private final PipelineSpec.Anomalies anomalies;
  private final int anomalyLevel;
  /** The key's flatline and level-shift watches (null: anomalies are not checked). */
  private final ChangeWatch.Settings watches;
  private final Check check = new Check();
  /** The pipeline's scores and the check, for the steps of keys that are not watched (no allocation per step). */
  private final ScoreSink checked;

  /** A step that flags no anomalies. */
  public QualityStep(PipelineScores scores, double rate) {
    this(scores, rate, null);
  }

  /**
   * @param scores    the pipeline's live scores (every scored forecast goes there; young keys' bands come from there)
   * @param rate      the tracking rate γ ({@link Intervals})
   * @param anomalies what is an anomaly and how many a key may publish; null: none are flagged
   */
  public QualityStep(PipelineScores scores, double rate, PipelineSpec.Anomalies anomalies) {
    this.scores = scores;
    this.intervals = new Intervals(scores, rate);
    this.levels = scores.levels();
    this.halfWidths = intervals.newOutput();
    this.anomalies = anomalies;
    int at = -1;
    for (int l = 0; anomalies != null && l < levels.length; l++) {
      at = levels[l] == anomalies.level() ? l : at;
    }
    this.anomalyLevel = at;
    this.watches = at < 0 ? null : ChangeWatch.Settings.of(anomalies.level(), anomalies.flatline(), anomalies.shift(),
        anomalies.spike());
    this.checked = at < 0 ? scores : new Tee(scores, check);
  }

  /** Whether anomalies are checked (the spec's anomaly level is one of the pipeline's levels). */
  public boolean checksAnomalies() {
    return anomalyLevel >= 0;
  }

  /**
   * The value the model is fed for an observed step that directly follows the key's last one: with
   * {@code anomalies.clip}, an actual outside the band forecast for it at h = 1 is clipped to the band's edge (the
   * raw actual could push a recurrent hidden state, and the history its seasonal lags read, far from anything it
   * was trained on); otherwise, and whenever the key has no band of its own yet or its band has width 0, the actual
   * itself.
   */
  public double fed(KeyScores quality, double actual) {
    if (anomalyLevel < 0 || !anomalies.clip() || !quality.isShaped() || !quality.horizons().equals(scores.horizons())
        || quality.levels() != levels.length || quality.count(0) < KeyScores.MIN_OWN) {
      // a young key's band comes from the pipeline's pooled errors, which depend on the other keys' order: what a
      // key is fed must depend on the key alone (the stream and the backtest then agree)
      return actual;
    }
    double forecast = quality.nextForecast();
    double half = quality.nextHalfWidth(anomalyLevel);
    // a band of width 0 (a key whose last errors were all 0: a constant run) has no edge to clip to; clipping to the
    // forecast itself would feed the model its own forecast and keep the band at 0, freezing the key for good
    if (!(Double.isFinite(forecast) && Double.isFinite(half) && half > 0) || !(Math.abs(actual - forecast) > half)) {
      return actual;
    }
    return actual > forecast ? forecast + half : forecast - half;
  }

  /** What the latest {@link #score} found: {@link Check#flagged()} says whether there is an anomaly at all. */
  public Check anomaly() {
    return check;
  }

  /**
   * Scores the key's pending forecasts against {@code actual} (into the pipeline's scores and {@code watch}), then
   * computes the intervals of {@code forecast} ({@link #halfWidths()}) and records it as pending.
   *
   * @param quality the key's quality part (shaped here)
   * @param reset   the key was reset at this step: its pending forecasts are dropped unscored
   * @param skipped steps passed without an actual since the last call (imputed or missing)
   * @param start   this step's start (epoch ms: the anomaly budget refills in event time)
   * @param actual  this step's actual
   * @param forecast the forecast made at this step, h = 1..H, or null when none (then no interval either)
   * @param watch   also receives each scored forecast (null: none)
   */
  public void score(KeyScores quality, boolean reset, int skipped, long start, double actual, double[] forecast,
      ScoreSink watch) {
    quality.shape(scores.horizons(), levels.length);
    if (reset) {
      // the key warms up again: its pending forecasts are not its model's any more
      quality.clearPending();
    }
    quality.skip(skipped);
    check.clear(actual);
    ScoreSink sink = watch == null ? checked : new Tee(checked, watch);
    quality.observe(actual, sink, levels, intervals.rate(), anomalyLevel >= 0 && anomalies.clip() ? anomalyLevel : -1);
    if (anomalyLevel >= 0) {
      watch(quality, reset, skipped, actual);
    }
    if (check.flagged()) {
      check.published = quality.budget().take(start, anomalies.maxPerKeyPerHour());
    }
    if (forecast != null) {
      intervals.halfWidths(quality, halfWidths);
    } else {
      Intervals.none(halfWidths);
    }
    quality.issue(actual, forecast, halfWidths);
  }

  /** Runs the key's change watch on this step and marks what it found on the check. */
  private void watch(KeyScores quality, boolean reset, int skipped, double actual) {
    ChangeWatch change = quality.change();
    if (reset) {
      change.restartSums();
    }
    if (skipped > 0) {
      change.breakRun();
    }
    double sigmaErr = Double.NaN;
    if (check.seen && check.half > 0 && quality.count(0) >= KeyScores.MIN_OWN + check.h) {
      // issued when the key's windows already held MIN_OWN errors: a band of its own
      sigmaErr = (check.actual - check.forecast) * watches.limit() / check.half;
    }
    ChangeWatch.Found found = change.observe(actual, sigmaErr, check.flagged, check.seen ? check.forecast
        : Double.NaN, check.half, check.h, watches);
    if (found == ChangeWatch.Found.SPIKE && !check.flagged) {
      // the previous step's actual: reported with the band it was checked against there
      check.flagged = true;
      check.kind = Anomaly.SPIKE;
      check.stepsBack = 1;
      check.actual = change.spikeActual();
      check.forecast = change.spikeForecast();
      check.half = change.spikeHalf();
      check.h = change.spikeH();
    } else if (check.seen && !check.flagged && found != ChangeWatch.Found.NOTHING
        && found != ChangeWatch.Found.SPIKE) {
      check.flagged = true;
      check.kind = found == ChangeWatch.Found.FLATLINE ? Anomaly.FLATLINE : Anomaly.SHIFT;
    }
  }

  /**
   * The interval half-widths at a step without an actual ({@code skipped} steps passed since the last call): the
   * key's pending forecasts for them cannot be scored; the half-widths of its bands as they stand go to
   * {@link #halfWidths()}.
   */
  public void skip(KeyScores quality, int skipped) {
    quality.shape(scores.horizons(), levels.length);
    quality.skip(skipped);
    intervals.halfWidths(quality, halfWidths);
  }

  /** The half-widths the latest call computed, {@code [level][h − 1]} (NaN: none); valid until the next call. */
  public double[][] halfWidths() {
    return halfWidths;
  }

  /**
   * The anomaly check of one step: the first (shortest-horizon) forecast scored at the step that had an interval at
   * the anomaly level, and whether the actual fell outside it. Reused: valid until the next {@link #score}.
   */
  public final class Check implements ScoreSink {
    /** The score written for a band of width 0 (an actual off a forecast whose errors were all 0). */
    public static final double MAX_SCORE = 1e6;
    private boolean seen;
    private boolean flagged;
    private String kind = Anomaly.BAND;
    private boolean published;
    private double actual;
    private double forecast;
    private double half;
    private int h;
    private int stepsBack;

    void clear(double value) {
      seen = false;
      flagged = false;
      stepsBack = 0;
      kind = Anomaly.BAND;
      published = false;
      actual = value;
    }

    @Override
    public void scored(int j, double value, double error, double naiveError, double[] issued) {
      double w = issued[anomalyLevel];
      if (seen || Double.isNaN(w)) {
        return;
      }
      seen = true;
      forecast = value;
      half = w;
      h = scores.horizons().get(j);
      flagged = Math.abs(error) > w;
    }

    /** Whether the step is an anomaly of any {@link #kind()}. */
    public boolean flagged() {
      return flagged;
    }

    /** What made it one: one of {@link Anomaly#KINDS}. */
    public String kind() {
      return kind;
    }

    /**
     * Steps before this one whose actual it is: 1 for a {@link Anomaly#SPIKE} (known when the next reading came back),
     * else 0.
     */
    public int stepsBack() {
      return stepsBack;
    }

    /** Whether the key's budget let it be published (else it is suppressed). */
    public boolean published() {
      return published;
    }

    /** The anomalous step's actual. */
    public double actual() {
      return actual;
    }

    /** The forecast it was checked against. */
    public double forecast() {
      return forecast;
    }

    /** The band's half-width. */
    public double halfWidth() {
      return half;
    }

    /** Steps ahead the forecast was made. */
    public int h() {
      return h;
    }

    /** The level checked. */
    public double level() {
      return anomalies.level();
    }

    /** |actual − forecast| / half-width (above 1 for a {@link Anomaly#BAND} anomaly), at most {@link #MAX_SCORE}. */
    public double score() {
      double e = Math.abs(actual - forecast);
      return half > 0 ? Math.min(MAX_SCORE, e / half) : MAX_SCORE;
    }
  }

  /** Hands each score to two sinks. */
  private record Tee(ScoreSink first, ScoreSink second) implements ScoreSink {
    @Override
    public void scored(int j, double forecast, double error, double naiveError, double[] halfWidths) {
      first.scored(j, forecast, error, naiveError, halfWidths);
      second.scored(j, forecast, error, naiveError, halfWidths);
    }

    @Override
    public void scored(int j, double forecast, double error, double naiveError, double keyScale,
        double[] halfWidths) {
      first.scored(j, forecast, error, naiveError, keyScale, halfWidths);
      second.scored(j, forecast, error, naiveError, keyScale, halfWidths);
    }
  }
}
