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
    k.observe(10.0 * t, (j, f, e, ne, half) -> seen.add(new Score(H3.get(j), f, e, ne, half[0])), new double[0], 0);
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
      k.observe(t, ScoreSink.NONE, new double[0], 0);
      k.issue(t, new double[] {t}, new double[][] {{Double.NaN}});
    }
    // forecast t for actual t+1: error 1 each time; the window holds the last 50
    assertEquals(KeyScores.WINDOW, k.count(0));
    assertEquals(1, k.mae(0), 1e-12);
    double[] out = new double[1];
    k.ownHalfWidths(0, new double[] {0.8}, 0, out);
    assertEquals(1, out[0]);
  }

  @Test
  void shouldMatchABruteForceWindowWhenRandomErrorsSlideThrough() {
    java.util.Random random = new java.util.Random(17);
    ScoredHorizons two = ScoredHorizons.of(2);
    KeyScores k = new KeyScores();
    k.shape(two, 2);
    double[] levels = {0.8, 0.95};
    java.util.ArrayDeque<Double> h2 = new java.util.ArrayDeque<>();
    double[] own = new double[2];
    for (int t = 0; t < 400; t++) {
      // integer-valued actuals make ties among the errors common
      double actual = random.nextInt(3) == 0 ? random.nextInt(4) : random.nextGaussian() * 10;
      k.observe(actual, (j, f, e, ne, half) -> {
        if (j == 1) {
          h2.addLast(Math.abs((double) (float) Math.abs(e)));
          if (h2.size() > KeyScores.WINDOW) {
            h2.removeFirst();
          }
        }
      }, new double[0], 0);
      k.issue(actual, new double[] {0, 0}, new double[][] {{NAN, NAN}, {NAN, NAN}});
      double[] sorted = h2.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      assertEquals(sorted.length, k.count(1));
      assertEquals(java.util.Arrays.stream(sorted).average().orElse(Double.NaN), k.mae(1), 1e-9, "t=" + t);
      k.ownHalfWidths(1, levels, 0, own);
      for (int l = 0; l < 2; l++) {
        int rank = Conformal.rank(sorted.length, levels[l]);
        double expected = sorted.length < KeyScores.MIN_OWN || rank > sorted.length ? Double.NaN : sorted[rank - 1];
        assertEquals(expected, own[l], "t=" + t + ", level " + levels[l]);
      }
    }
  }

  private static final double NAN = Double.NaN;

  @Test
  void shouldGiveNoOwnIntervalWhenTheKeyHasFewerThanMinOwnResiduals() {
    KeyScores k = new KeyScores();
    k.shape(ScoredHorizons.of(1), 1);
    double[] out = new double[1];
    for (int t = 0; t <= KeyScores.MIN_OWN + 1; t++) {
      k.ownHalfWidths(0, new double[] {0.8}, 0, out);
      assertEquals(k.count(0) < KeyScores.MIN_OWN, Double.isNaN(out[0]), "with " + k.count(0) + " residuals");
      k.observe(t, ScoreSink.NONE, new double[0], 0);
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
  void shouldTakeOnlyTheBytesItHoldsWhenSerialized() {
    // topologies/README.md: a new key's block is its shape and counters; a warm one adds 4·(1+L) per pending
    // forecast (Σh), 8 per origin actual (H), 4·L·H latest half-widths, 8 per error in the windows (S·50) and 4·L·S
    // tracked half-widths (the anomaly budget is 1 byte until the key has an anomaly, 17 after; the change watch 1
    // byte until it has observed a step, at most 46 after; when its own bands began 1 byte, 1 + 4·S in the h steps
    // after they began at a scored horizon)
    assertEquals(57, warm(12, 0).serializedSize());
    assertEquals(57 + 4 * 3 * 78 + 8 * 12 + 4 * 2 * 12 + 8 * 50 * 12 + 4 * 2 * 12, warm(12, 200).serializedSize());
    assertEquals(6081, warm(12, 200).serializedSize());
    assertEquals(34_734, warm(48, 200).serializedSize());
    for (int steps : new int[] {0, 1, 5, 40, 200}) {
      KeyScores k = warm(12, steps);
      ByteBuffer b = ByteBuffer.allocate(k.serializedSize());
      k.write(b);
      assertEquals(0, b.remaining(), "size of " + steps + " steps");
    }
  }

  @Test
  void shouldMoveTheCorrectionByTheIssuedBandsMissesAtGammaOverHWhenTheirErrorsArrive() {
    // H = 2, one level (80%), γ = 0.1, forecasts 0: the error is the actual. Bands of 0.1 are issued up to step 31
    // and of 1 after; actuals 0.5 up to step 40, then 5 (a run of misses)
    KeyScores k = new KeyScores();
    k.shape(ScoredHorizons.of(2), 1);
    double[] level = {0.8};
    for (int t = 1; t <= 60; t++) {
      k.observe(t <= 40 ? 0.5 : 5, ScoreSink.NONE, level, 0.1);
      double band = t <= 31 ? 0.1 : 1;
      k.issue(0, new double[] {0, 0}, new double[][] {{band, band}});
    }
    // h = 1: 30 errors at step 31, so its own band begins there; from step 32 each forecast is scored against the
    // band issued with it: one miss of 0.1 (+0.1·0.8), 8 covered (−0.1·0.2 each), 20 misses of 1 (+0.1·0.8 each)
    // h = 2: own from step 32; at step 33 the forecast of step 31 carried a band the key did not make, so the
    // window's quantile (0.5) scores it instead: covered; then 7 covered and 20 misses, at γ/2
    double c1 = 0.1 * 0.8 - 8 * 0.1 * 0.2 + 20 * 0.1 * 0.8;
    double c2 = -8 * 0.05 * 0.2 + 20 * 0.05 * 0.8;
    assertEquals(1.52, c1, 1e-12);
    assertEquals(0.72, c2, 1e-12);
    // each window holds 30 errors of 0.5 and 20 of 5: its 80% quantile (rank 41 of 50) is 5
    double[] out = new double[1];
    k.ownHalfWidths(0, level, 0.1, out);
    assertEquals(5 * Math.exp(c1), out[0], 1e-4);
    k.ownHalfWidths(1, level, 0.1, out);
    assertEquals(5 * Math.exp(c2), out[0], 1e-4);
  }

  @Test
  void shouldReadFormat2WithAFullAnomalyBudgetWhenStoredBeforeTheBudgetExisted() {
    KeyScores a = warm(12, 200);
    ByteBuffer b = ByteBuffer.allocate(a.serializedSize());
    a.write(b);
    // format 2 is format 5 without the own-band start's, the budget's and the change watch's blocks (one byte each
    // while unused)
    byte[] v5 = b.array();
    byte[] v2 = java.util.Arrays.copyOf(v5, v5.length - 3);
    v2[0] = 2;
    KeyScores old = KeyScores.read(ByteBuffer.wrap(v2));
    assertEquals(a.ordinal(), old.ordinal());
    assertEquals(a.mae(0), old.mae(0));
    assertTrue(old.budget().isFull());
    ByteBuffer again = ByteBuffer.allocate(old.serializedSize());
    old.write(again);
    assertArrayEquals(v5, again.array(), "read as format 2, written as format 5");
  }

  @Test
  void shouldReadFormat3WithAnEmptyChangeWatchWhenStoredBeforeTheWatchExisted() {
    KeyScores a = warm(12, 200);
    a.budget().take(0, 1);
    ByteBuffer b = ByteBuffer.allocate(a.serializedSize());
    a.write(b);
    byte[] v5 = b.array();
    // format 3 is format 5 without the own-band start's block (one byte, 0, before the budget's 17) and the watch's
    byte[] v3 = new byte[v5.length - 2];
    int own = v5.length - 1 - 17 - 1;
    assertEquals(0, v5[own]);
    System.arraycopy(v5, 0, v3, 0, own);
    System.arraycopy(v5, own + 1, v3, own, 17);
    v3[0] = 3;
    KeyScores old = KeyScores.read(ByteBuffer.wrap(v3));
    assertEquals(a.mae(0), old.mae(0));
    assertFalse(old.budget().take(60_000, 1), "format 3's budget is read");
    assertEquals(0, old.change().run());
    ByteBuffer again = ByteBuffer.allocate(old.serializedSize());
    old.write(again);
    assertEquals(v5.length, again.position(), "written as format 5 with an empty watch");
    assertEquals(KeyScores.FORMAT, again.array()[0]);
  }

  private static final ChangeWatch.Settings WATCH = ChangeWatch.Settings.of(0.99, true, true, true);

  @Test
  void shouldKeepTheChangeWatchWhenWrittenAndRead() {
    KeyScores a = warm(12, 20);
    for (int t = 0; t < 300; t++) {
      a.change().observe(t % 7, Math.sin(t), false, WATCH);
    }
    for (int t = 0; t < 3; t++) {
      a.change().observe(42, 1.2, false, WATCH);
    }
    ByteBuffer b = ByteBuffer.allocate(a.serializedSize());
    a.write(b);
    assertFalse(b.hasRemaining());
    KeyScores read = KeyScores.read(ByteBuffer.wrap(b.array()));
    assertEquals(2, read.change().run());
    for (int t = 0; t < 20; t++) {
      double actual = t < 10 ? 42 : t;
      assertEquals(a.change().observe(actual, 1.2, false, WATCH),
          read.change().observe(actual, 1.2, false, WATCH), "step " + t + " after the round trip");
    }
  }

  @Test
  void shouldKeepTheAnomalyBudgetWhenWrittenAndRead() {
    KeyScores a = warm(12, 20);
    a.budget().take(0, 1);
    ByteBuffer b = ByteBuffer.allocate(a.serializedSize());
    a.write(b);
    assertFalse(b.hasRemaining());
    KeyScores read = KeyScores.read(ByteBuffer.wrap(b.array()));
    assertFalse(read.budget().take(60_000, 1), "the token taken before it was stored stays taken");
  }

  /** A key scored over {@code steps} steps at horizon {@code h} with 2 levels. */
  static KeyScores warm(int h, int steps) {
    KeyScores k = new KeyScores();
    k.shape(ScoredHorizons.of(h), 2);
    double[] f = new double[h];
    double[][] half = new double[2][h];
    for (int t = 0; t < steps; t++) {
      k.observe(t, ScoreSink.NONE, new double[] {0.8, 0.95}, 0.05);
      java.util.Arrays.fill(f, t + Math.sin(t));
      java.util.Arrays.fill(half[0], 1);
      java.util.Arrays.fill(half[1], 2);
      k.issue(t, f, half);
    }
    return k;
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

  @Test
  void shouldNotScoreAForecastWhoseErrorIsNotFiniteInFloatWhenTheModelOverflowed() {
    KeyScores k = shaped();
    List<Score> seen = new ArrayList<>();
    k.observe(10, (j, f, e, ne, half) -> seen.add(new Score(H3.get(j), f, e, ne, half[0])), new double[0], 0);
    k.issue(10, new double[] {1e300, 11, 12}, new double[][] {{1, 1, 1}});
    k.observe(11, (j, f, e, ne, half) -> seen.add(new Score(H3.get(j), f, e, ne, half[0])), new double[0], 0);
    assertEquals(List.of(), seen, "h = 1 forecast 1e300 is infinite as a float: not scored");
    assertEquals(0, k.count(0));
    assertTrue(Double.isNaN(k.mae(0)));
    k.issue(11, new double[] {12, 13, 14}, new double[][] {{1, 1, 1}});
    k.observe(12, (j, f, e, ne, half) -> seen.add(new Score(H3.get(j), f, e, ne, half[0])), new double[0], 0);
    assertEquals(List.of(new Score(1, 12, 0, 1, 1), new Score(2, 11, 1, 2, 1)), seen, "finite ones are");
  }

  @Test
  void shouldRejectLengthsBeyondTheBytesBeforeAllocatingWhenTheBlockIsCorrupt() {
    // H = 100,000 and S = 2 (horizons 1 and 100,000), 1 level, window 50: far more bytes than the block holds
    ByteBuffer b = ByteBuffer.allocate(64);
    b.put(KeyScores.FORMAT).putInt(100_000).put((byte) 1).putInt(2).putInt(1).putInt(100_000).put((byte) 1)
        .put((byte) 50);
    b.flip();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> KeyScores.read(b));
    assertEquals("key scores block is truncated", e.getMessage());
    // the first layout (inside key-state versions 2 and 3) guards the same way
    ByteBuffer old = ByteBuffer.allocate(64);
    old.putInt(100_000).putInt(2).putInt(1).putInt(100_000).putInt(1).putInt(50);
    old.flip();
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> KeyScores.readLegacy(old));
    assertTrue(e.getMessage().startsWith("key scores block needs "), e.getMessage());
  }
}
