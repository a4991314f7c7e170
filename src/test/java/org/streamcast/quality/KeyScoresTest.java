package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyScoresTest {
  /** One scored forecast as the sink saw it. */
  record Score(int h, double forecast, double error, double naiveError, double half) {}

  private static final ScoredHorizons H3 = ScoredHorizons.of(3);

  private static KeyScores shaped() {
    KeyScores k = new KeyScores();
    k.shape(H3, 1);
    return k;
  }

  /** Step t: actual 10t; the forecast issued at t for t+h is 10t + h, with half-width 100t + h. */
  private static List<Score> step(KeyScores k, int t) {
    List<Score> seen = new ArrayList<>();
    k.observe(10.0 * t, (j, f, e, ne, half) -> seen.add(new Score(H3.get(j), f, e, ne, half[0])));
    k.issue(10.0 * t, new double[] {10 * t + 1, 10 * t + 2, 10 * t + 3},
        new double[][] {{100 * t + 1, 100 * t + 2, 100 * t + 3}});
    return seen;
  }

  @Test
  void shouldScoreEachPendingForecastAtItsHorizonWhenItsActualArrives() {
    KeyScores k = shaped();
    assertEquals(List.of(), step(k, 1));
    assertEquals(List.of(new Score(1, 11, 9, 10, 101)), step(k, 2));
    assertEquals(List.of(new Score(1, 21, 9, 10, 201), new Score(2, 12, 18, 20, 102)), step(k, 3));
    // from t = 4 on every horizon scores: error 10(t) − (10(t−h) + h) = 9h, naive error 10h
    assertEquals(List.of(new Score(1, 31, 9, 10, 301), new Score(2, 22, 18, 20, 202), new Score(3, 13, 27, 30, 103)),
        step(k, 4));
    for (int t = 5; t <= 10; t++) {
      step(k, t);
    }
    assertEquals(9, k.count(0));
    assertEquals(7, k.count(2));
    assertEquals(9, k.mae(0), 1e-12);
    assertEquals(27, k.mae(2), 1e-12);
    assertEquals(27, k.rmse(2), 1e-12);
    assertEquals(1 - 27 / 30.0, k.skill(2), 1e-12);
  }

  @Test
  void shouldNotScoreImputedStepsButStillScoreForecastsMadeBeforeThemWhenStepsAreSkipped() {
    KeyScores k = shaped();
    step(k, 1);
    k.skip(2); // t = 2 and 3 imputed: nothing scored, nothing issued
    List<Score> seen = step(k, 4);
    assertEquals(List.of(new Score(3, 13, 27, 30, 103)), seen);
    assertEquals(List.of(new Score(1, 41, 9, 10, 401)), step(k, 5));
  }

  @Test
  void shouldDropPendingForecastsButKeepTheErrorsWhenCleared() {
    KeyScores k = shaped();
    for (int t = 1; t <= 5; t++) {
      step(k, t);
    }
    int before = k.count(0);
    k.clearPending();
    assertEquals(List.of(), step(k, 6));
    assertEquals(before, k.count(0));
    assertEquals(601, k.latestHalfWidth(0, 1), "the step after the reset issued again");
  }

  @Test
  void shouldKeepTheLastFiftyErrorsWhenTheWindowSlides() {
    KeyScores k = new KeyScores();
    ScoredHorizons one = ScoredHorizons.of(1);
    k.shape(one, 1);
    for (int t = 0; t < 80; t++) {
      k.observe(t, ScoreSink.NONE);
      k.issue(t, new double[] {t}, new double[][] {{Double.NaN}});
    }
    // forecast t for actual t+1: error 1 each time; the window holds the last 50
    assertEquals(KeyScores.WINDOW, k.count(0));
    assertEquals(1, k.mae(0), 1e-12);
    float[] scratch = new float[KeyScores.WINDOW];
    double[] out = new double[1];
    k.ownHalfWidths(0, new double[] {0.8}, scratch, out);
    assertEquals(1, out[0]);
  }

  @Test
  void shouldGiveNoOwnIntervalWhenTheKeyHasFewerThanMinOwnResiduals() {
    KeyScores k = new KeyScores();
    k.shape(ScoredHorizons.of(1), 1);
    double[] out = new double[1];
    for (int t = 0; t <= KeyScores.MIN_OWN + 1; t++) {
      k.ownHalfWidths(0, new double[] {0.8}, new float[KeyScores.WINDOW], out);
      assertEquals(k.count(0) < KeyScores.MIN_OWN, Double.isNaN(out[0]), "with " + k.count(0) + " residuals");
      k.observe(t, ScoreSink.NONE);
      k.issue(t, new double[] {t + 0.5}, new double[][] {{Double.NaN}});
    }
  }

  @Test
  void shouldContinueIdenticallyWhenWrittenAndReadBack() {
    KeyScores a = shaped();
    for (int t = 1; t <= 7; t++) {
      step(a, t);
    }
    ByteBuffer buf = ByteBuffer.allocate(a.serializedSize());
    a.write(buf);
    assertFalse(buf.hasRemaining(), "serializedSize is exact");
    KeyScores b = KeyScores.read(ByteBuffer.wrap(buf.array()));
    for (int t = 8; t <= 12; t++) {
      assertEquals(step(a, t), step(b, t), "t=" + t);
    }
    assertEquals(a.mae(1), b.mae(1));
    assertEquals(a.ordinal(), b.ordinal());
    ByteBuffer empty = ByteBuffer.allocate(new KeyScores().serializedSize());
    new KeyScores().write(empty);
    assertFalse(KeyScores.read(ByteBuffer.wrap(empty.array())).isShaped());
  }

  @Test
  void shouldStartOverWhenTheShapeChanges() {
    KeyScores k = shaped();
    for (int t = 1; t <= 5; t++) {
      step(k, t);
    }
    k.shape(H3, 1);
    assertEquals(4, k.count(0), "same shape: kept");
    k.shape(ScoredHorizons.of(4), 1);
    assertEquals(0, k.count(0), "new horizon: cleared");
    k.shape(ScoredHorizons.of(4), 2);
    assertEquals(2, k.levels());
    assertArrayEquals(new int[] {1, 2, 3, 4}, new int[] {k.horizons().get(0), k.horizons().get(1),
        k.horizons().get(2), k.horizons().get(3)});
  }
}
