package org.streamcast.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.Gaps;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.TestForecasters;
import org.streamcast.quality.Intervals;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;

class AnomalyCheckTest {
  private static final List<Double> LEVELS = List.of(0.8, 0.95);
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;

  /** The band check alone (no flatline or level-shift watch). */
  private static QualityStep step(double perHour, boolean clip) {
    return new QualityStep(new PipelineScores(ScoredHorizons.of(1), LEVELS), Intervals.DEFAULT_RATE,
        new PipelineSpec.Anomalies(0.95, perHour, clip, false, false, false));
  }

  /** The band check with the flatline and level-shift watches. */
  private static QualityStep watching(boolean flatline, boolean shift) {
    return new QualityStep(new PipelineScores(ScoredHorizons.of(1), LEVELS), Intervals.DEFAULT_RATE,
        new PipelineSpec.Anomalies(0.95, 1000, false, flatline, shift, false));
  }

  @Test
  void shouldReportASpikeInsideTheBandAtTheNextStepWithTheSpikesOwnStepWhenTheReadingComesBack() {
    QualityStep step = new QualityStep(new PipelineScores(ScoredHorizons.of(1), LEVELS), Intervals.DEFAULT_RATE,
        new PipelineSpec.Anomalies(0.95, 1000, false, false, false, true));
    KeyScores key = new KeyScores();
    Random r = new Random(9);
    for (int t = 0; t < 300; t++) { // a forecast that is 10 off: a wide band around readings that barely move
      step.score(key, false, 0, t * HOUR, 10 + 0.3 * r.nextGaussian(), new double[] {0}, null);
    }
    double half = step.halfWidths()[1][0];
    step.score(key, false, 0, 300 * HOUR, 7, new double[] {0}, null);
    assertFalse(step.anomaly().flagged(), "inside the band of " + half);
    step.score(key, false, 0, 301 * HOUR, 10.1, new double[] {0}, null);
    QualityStep.Check c = step.anomaly();
    assertTrue(c.flagged(), "the reading came back");
    assertEquals(Anomaly.SPIKE, c.kind());
    assertEquals(1, c.stepsBack());
    assertEquals(7, c.actual());
    assertEquals(0, c.forecast(), 1e-6);
    assertEquals(half, c.halfWidth(), 1e-5);
    assertTrue(c.score() < 1, "inside its band: " + c.score());
  }

  @Test
  void shouldFlagAStuckSensorOnceAsAFlatlineWhenItsReadingsStopMovingInsideTheBand() {
    QualityStep step = watching(true, false);
    KeyScores key = new KeyScores();
    Random r = new Random(7);
    for (int t = 0; t < 300; t++) {
      step.score(key, false, 0, t * HOUR, Math.round(10 * r.nextGaussian()) / 10.0, new double[] {0}, null);
    }
    int flatlines = 0;
    for (int t = 0; t < 48; t++) { // stuck at a plausible reading, inside the band
      step.score(key, false, 0, (300 + t) * HOUR, 0.3, new double[] {0}, null);
      QualityStep.Check c = step.anomaly();
      if (c.flagged()) {
        assertEquals(Anomaly.FLATLINE, c.kind());
        assertTrue(c.score() < 1, "inside the band: " + c.score());
        flatlines++;
      }
    }
    assertEquals(1, flatlines);
    assertEquals(0, count(watching(false, false), 0.3, 0), "the band alone never sees it");
  }

  @Test
  void shouldFlagALevelShiftInsideTheBandAsAShiftWhenTheErrorsStayOnOneSide() {
    // a shift by 1.5σ: inside the 95% band (1.96σ) at every step, so the band alone flags (almost) none of it
    assertTrue(count(watching(false, true), 1.5, 0.1) >= 40, "the shift's steps after its sum crossed");
    assertTrue(count(watching(false, false), 1.5, 0.1) <= 5);
  }

  /**
   * Flags of 48 hourly steps of {@code level} + N(0, {@code noise}) after 300 steps of N(0, 1), forecasts 0
   * throughout.
   */
  private static int count(QualityStep step, double level, double noise) {
    KeyScores key = new KeyScores();
    Random r = new Random(7);
    for (int t = 0; t < 300; t++) {
      step.score(key, false, 0, t * HOUR, r.nextGaussian(), new double[] {0}, null);
    }
    int flags = 0;
    for (int t = 0; t < 48; t++) {
      step.score(key, false, 0, (300 + t) * HOUR, level + noise * r.nextGaussian(), new double[] {0}, null);
      flags += step.anomaly().flagged() ? 1 : 0;
    }
    return flags;
  }

  /** 100 hourly steps of N(0, 1) actuals against forecasts of 0 (seed 7): the key has its own bands after them. */
  private static void warm(QualityStep step, KeyScores key) {
    Random r = new Random(7);
    for (int t = 0; t < 100; t++) {
      step.score(key, false, 0, t * HOUR, r.nextGaussian(), new double[] {0}, null);
    }
  }

  @Test
  void shouldFlagWithItsBandAndScoreWhenTheActualFallsOutsideTheBandForecastForIt() {
    QualityStep step = step(1, true);
    KeyScores key = new KeyScores();
    warm(step, key);
    double half = step.halfWidths()[1][0];
    assertTrue(half > 1 && half < 4, "a 95% band of N(0, 1) errors: " + half);
    step.score(key, false, 0, 100 * HOUR, 10, new double[] {0}, null);
    QualityStep.Check c = step.anomaly();
    assertTrue(c.flagged());
    assertTrue(c.published());
    assertEquals(1, c.h());
    assertEquals(0, c.forecast());
    assertEquals(half, c.halfWidth(), 1e-6);
    assertEquals(10 / half, c.score(), 1e-6);
    assertEquals(0.95, c.level());
    assertEquals(10, c.actual());
  }

  @Test
  void shouldNotFlagWhenTheActualIsInsideTheBand() {
    QualityStep step = step(1, true);
    KeyScores key = new KeyScores();
    warm(step, key);
    double half = step.halfWidths()[1][0];
    step.score(key, false, 0, 100 * HOUR, 0.9 * half, new double[] {0}, null);
    assertFalse(step.anomaly().flagged());
  }

  @Test
  void shouldFlagNothingWhenTheSpecHasNoAnomalies() {
    QualityStep step = new QualityStep(new PipelineScores(ScoredHorizons.of(1), LEVELS), Intervals.DEFAULT_RATE);
    KeyScores key = new KeyScores();
    warm(step, key);
    step.score(key, false, 0, 100 * HOUR, 1e6, new double[] {0}, null);
    assertFalse(step.checksAnomalies());
    assertFalse(step.anomaly().flagged());
    assertEquals(1e6, step.fed(key, 1e6));
  }

  @Test
  void shouldPublishAtMostTheRateLimitWhenABrokenSensorIsOutsideEveryBand() {
    QualityStep step = step(6, true);
    KeyScores key = new KeyScores();
    warm(step, key);
    int flagged = 0;
    int published = 0;
    long start = 100 * HOUR;
    // a runaway reading, 5^t at one-minute steps against forecasts of 0: each error outgrows the widest band the
    // window can give (20 times its second largest error)
    for (int t = 1; t <= 50; t++) {
      step.score(key, false, 0, start + t * MINUTE, Math.pow(5, t), new double[] {0}, null);
      flagged += step.anomaly().flagged() ? 1 : 0;
      published += step.anomaly().published() ? 1 : 0;
    }
    assertEquals(50, flagged);
    // a full bucket of 6, then 6 an hour over the 49 minutes after the first
    assertEquals(6 + 4, published);
  }

  @Test
  void shouldAdoptAStuckSensorAfterTwoFlagsWhenRawAndStepByStepWhenClipped() {
    assertEquals(2, stuckFlags(false), "the 95% band of 50 errors is their second largest: two raw errors of 50 "
        + "widen it at once");
    // clipped errors enter the window at the band's edge: each miss widens the band by its tracked correction
    assertEquals(10, stuckFlags(true));
  }

  /** Flags of a sensor stuck at 50 for 3 hours of one-minute steps, forecast 0 all along. */
  private static int stuckFlags(boolean clip) {
    QualityStep step = step(1000, clip);
    KeyScores key = new KeyScores();
    warm(step, key);
    int flagged = 0;
    for (int t = 0; t < 180; t++) {
      step.score(key, false, 0, 100 * HOUR + t * MINUTE, 50, new double[] {0}, null);
      flagged += step.anomaly().flagged() ? 1 : 0;
    }
    return flagged;
  }

  @Test
  void shouldFeedTheBandEdgeWhenClipIsOnAndTheRawActualWhenOff() {
    QualityStep clip = step(1, true);
    QualityStep raw = step(1, false);
    KeyScores a = new KeyScores();
    KeyScores b = new KeyScores();
    warm(clip, a);
    warm(raw, b);
    double half = (float) clip.halfWidths()[1][0];
    assertEquals(half, clip.fed(a, 10), 1e-12);
    assertEquals(-half, clip.fed(a, -10), 1e-12);
    assertEquals(0.5, clip.fed(a, 0.5), "inside the band: the actual itself");
    assertEquals(10, raw.fed(b, 10));
  }

  @Test
  void shouldFeedTheActualAndWidenTheBandWhenAConstantRunEndsWithClipOn() {
    QualityStep step = step(1000, true);
    KeyScores key = new KeyScores();
    for (int t = 0; t < 100; t++) { // a setpoint held for 100 steps, forecast exactly: every error 0
      step.score(key, false, 0, t * HOUR, 5, new double[] {5}, null);
    }
    assertEquals(0, step.halfWidths()[1][0], "a constant run leaves a band of width 0");
    // clipped to a band of width 0, the model would be fed its own forecast and the band would stay 0 for good
    assertEquals(1000, step.fed(key, 1000));
    step.score(key, false, 0, 100 * HOUR, 1000, new double[] {1000}, null);
    assertTrue(step.anomaly().flagged(), "the jump itself is flagged");
    step.score(key, false, 0, 101 * HOUR, 1010, new double[] {1010}, null);
    double half = step.halfWidths()[1][0];
    assertTrue(half > 5 && half < 20, "the errors after the run entered the window whole: " + half);
    assertEquals(1012, step.fed(key, 1012), "the key follows its new level");
  }

  @Test
  void shouldFeedAYoungKeyTheRawActualWhenItsBandIsThePipelines() {
    QualityStep clip = step(1, true);
    KeyScores old = new KeyScores();
    warm(clip, old); // the pipeline's pooled errors now give young keys a band
    KeyScores young = new KeyScores();
    for (int t = 0; t < 5; t++) {
      clip.score(young, false, 0, t * HOUR, 0.1, new double[] {0}, null);
    }
    assertTrue(Double.isFinite(clip.halfWidths()[1][0]), "the young key has the pipeline's band");
    // what a key is fed must not depend on the other keys (their order differs between the stream and a backtest)
    assertEquals(10, clip.fed(young, 10));
  }

  @Test
  void shouldProtectTheHiddenStateFromASpikeWhenClipIsOn() {
    Forecaster model = TestForecasters.lstm();
    double[] series = new double[200];
    Random r = new Random(11);
    for (int t = 0; t < series.length; t++) {
      series[t] = 300 + 40 * Math.sin(t * 2 * Math.PI / 24) + 5 * r.nextGaussian();
    }
    int spike = 150;
    double[] clean = run(model, series, spike, 0, true);
    double[] clipped = run(model, series, spike, 5000, true);
    double[] edge = run(model, series, spike, Double.NaN, true);
    double[] cleanRaw = run(model, series, spike, 0, false);
    double[] raw = run(model, series, spike, 5000, false);
    // clipped: the hidden state after the spike is exactly that of a key fed the band's edge
    for (int i = 0; i < clipped.length; i++) {
      assertEquals(edge[i], clipped[i], 0, "state " + i);
    }
    double toClean = distance(clipped, clean);
    double rawToClean = distance(raw, cleanRaw);
    assertTrue(rawToClean > 5 * toClean, "raw " + rawToClean + " against clipped " + toClean);
  }

  /**
   * The hidden state after step {@code spike} of {@code series} through the serving step, with the spike's value
   * {@code series[spike] + jump}, or with NaN the upper edge of its 95% band (what clipping feeds).
   */
  private static double[] run(Forecaster model, double[] series, int spike, double jump, boolean clip) {
    ServingStep step = new ServingStep("p", new KeyStepper(Gaps.DEFAULT, HOUR), HOUR,
        new PipelineScores(ScoredHorizons.of(model.horizon()), LEVELS), Intervals.DEFAULT_RATE,
        new PipelineSpec.Anomalies(0.95, 1, clip));
    ServingState state = new ServingState(64);
    double[] out = new double[model.horizon()];
    for (int t = 0; t <= spike; t++) {
      double y = series[t];
      if (t == spike) {
        KeyScores q = state.quality();
        y = Double.isNaN(jump) ? q.nextForecast() + q.nextHalfWidth(1) : y + jump;
      }
      step.step(model, "k", state, t * HOUR, y, out, null);
      if (t == spike && jump > 0) {
        Anomaly a = step.anomaly("k", t * HOUR, model, state);
        assertNotNull(a);
        assertEquals(y, a.actual(), "the record keeps the raw actual");
        assertEquals(1, a.h());
        assertEquals("lstm", a.model());
      }
    }
    float[] h = state.model().hidden();
    double[] copy = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      copy[i] = h[i];
    }
    return copy;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }
}
