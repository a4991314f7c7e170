package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiveProtectionTest {
  private static final int H = 3;

  /**
   * A synthetic key: a random walk y; the baseline is naive (y[t] at every horizon); the learned output is the true
   * future value plus noise of {@code learnedNoise(t)}, so it beats naive while its noise is small and loses to it
   * when the noise is large.
   */
  private static final class Synthetic {
    final Random rnd = new Random(42);
    final double[] y = new double[4000];
    final LiveProtection p = new LiveProtection();
    final double[] learned = new double[H];
    final double[] baseline = new double[H];
    final double[] served = new double[H];
    int fellBack;
    int recovered;

    Synthetic() {
      this(new boolean[] {true, true, true});
    }

    Synthetic(boolean[] choice) {
      for (int t = 1; t < y.length; t++) {
        y[t] = y[t - 1] + rnd.nextGaussian();
      }
      p.start(7, choice);
    }

    /** Steps t = from .. to − 1 with the learned output's noise. */
    void run(int from, int to, double noise) {
      for (int t = from; t < to; t++) {
        p.observe(y[t]);
        fellBack += p.fellBack();
        recovered += p.recovered();
        for (int h = 1; h <= H; h++) {
          learned[h - 1] = y[t + h] + noise * rnd.nextGaussian();
          baseline[h - 1] = y[t];
        }
        p.issue(learned, baseline);
        p.serve(learned, baseline, served);
      }
    }
  }

  @Test
  void shouldFallBackWhenTheLearnedOutputDegradesAndRecoverWhenItImprovesAgain() {
    Synthetic k = new Synthetic();
    k.run(0, 1000, 0.3);
    assertEquals(0, k.fellBack, "a learned output far better than naive never falls back");
    assertTrue(k.p.learned(1) && k.p.learned(3));
    assertArrayEquals(k.learned, k.served);

    k.run(1000, 2000, 4.0);
    assertEquals(H, k.fellBack, "every horizon falls back once");
    assertFalse(k.p.learned(1));
    assertFalse(k.p.learned(3));
    assertArrayEquals(k.baseline, k.served, "the baseline serves");
    assertTrue(k.p.pValue(1) > LiveProtection.LEVEL, "serving the baseline, the test to switch back does not reject");

    k.run(2000, 3000, 0.3);
    assertEquals(H, k.recovered, "every horizon switches back once");
    assertTrue(k.p.learned(1) && k.p.learned(2) && k.p.learned(3));
    assertArrayEquals(k.learned, k.served);
  }

  @Test
  void shouldKeepTheBaselineWhenTheModelChoseItHoweverWellTheLearnedOutputDoes() {
    Synthetic k = new Synthetic(new boolean[] {false, true, false});
    k.run(0, 2000, 0.3);
    assertEquals(0, k.recovered, "a learned output training did not vouch for is never promoted live");
    assertFalse(k.p.learned(1));
    assertTrue(k.p.learned(2));
    assertFalse(k.p.learned(3));
    assertEquals(k.baseline[0], k.served[0]);
    LiveProtection read = LiveProtection.read(roundTrip(k.p));
    read.observe(0);
    assertFalse(read.learned(1), "the hold survives the store");
  }

  @Test
  void shouldFallBackWithinAFewTensOfPairsOfTheDegradation() {
    Synthetic k = new Synthetic();
    k.run(0, 500, 0.3);
    int t = 500;
    while (k.p.learned(1)) {
      k.run(t, t + 1, 4.0);
      t++;
    }
    // h = 1 compares every step: from a window full of "learned better" to 22 of 32 "learned worse"
    assertTrue(t - 500 >= LiveProtection.MIN_PAIRS && t - 500 <= 40, "fell back after " + (t - 500) + " steps");
    // h = 3 compares only every third forecast (non-overlapping errors): about three times as many steps
    while (!k.p.learned(1) && k.p.learned(3)) {
      k.run(t, t + 1, 4.0);
      t++;
    }
    assertFalse(k.p.learned(3));
  }

  @Test
  void shouldNotFallBackBeforeMinPairsNorOnASpikeWhenTheLearnedOutputIsBetter() {
    LiveProtection p = new LiveProtection();
    p.start(1, new boolean[] {true});
    for (int t = 0; t < LiveProtection.MIN_PAIRS - 1; t++) {
      p.observe(10);
      p.issue(new double[] {1e6}, new double[] {10.5}); // learned far worse, 9 times
    }
    p.observe(10);
    assertTrue(p.learned(1), "9 pairs cannot switch, however bad");
    assertEquals(LiveProtection.MIN_PAIRS - 1, p.learnedWorse(1));

    LiveProtection q = new LiveProtection();
    q.start(1, new boolean[] {true});
    for (int t = 0; t < 200; t++) {
      q.observe(10);
      boolean spike = t % 10 == 0;
      q.issue(new double[] {spike ? 1e9 : 10.1}, new double[] {10.5});
      assertEquals(0, q.fellBack());
    }
    assertTrue(q.learned(1), "one huge error in ten counts once each: learned still wins 9 of 10");
  }

  @Test
  void shouldSwitchRarelyWhenBothOutputsAreEquallyAccurate() {
    Random rnd = new Random(7);
    LiveProtection p = new LiveProtection();
    p.start(1, new boolean[] {true});
    int switches = 0;
    int steps = 20_000;
    double actual = 0;
    for (int t = 0; t < steps; t++) {
      p.observe(actual);
      switches += p.fellBack() + p.recovered();
      actual = rnd.nextGaussian();
      // next step's actual is known here only to build two equally good forecasts of it
      p.issue(new double[] {actual + rnd.nextGaussian()}, new double[] {actual + rnd.nextGaussian()});
    }
    // a hair trigger (switch on the latest pair, or on a 5% test of 3 pairs) would switch thousands of times
    assertTrue(switches < steps / 100, switches + " switches in " + steps + " pairs of equal accuracy");
  }

  @Test
  void shouldRejectAtTheStatedLevelWhenCountingSigns() {
    assertEquals(22, LiveProtection.criticalCount(32));
    assertEquals(9, LiveProtection.criticalCount(10));
    assertEquals(5, LiveProtection.criticalCount(4), "4 pairs cannot reject at 5% (1/16 > 0.05)");
    for (int n = LiveProtection.MIN_PAIRS; n <= LiveProtection.WINDOW; n++) {
      int k = LiveProtection.criticalCount(n);
      assertTrue(LiveProtection.upperTail(n, k) <= LiveProtection.LEVEL, "n=" + n);
      assertTrue(LiveProtection.upperTail(n, k - 1) > LiveProtection.LEVEL, "n=" + n);
    }
    assertEquals(11 / 1024.0, LiveProtection.upperTail(10, 9), 1e-15);
  }

  @Test
  void shouldDropPendingPairsOfImputedStepsAndAfterAReset() {
    LiveProtection p = new LiveProtection();
    p.start(1, new boolean[] {true, true});
    p.observe(1);
    p.observe(1); // step 2: both horizons take their turn
    p.issue(new double[] {5, 5}, new double[] {1, 1});
    p.skip(); // the h = 1 pair's target was imputed
    p.observe(1); // the h = 2 pair is scored
    assertEquals(0, p.pairs(1));
    assertEquals(1, p.pairs(2));
    assertEquals(1, p.learnedWorse(2));
    p.issue(new double[] {5, 5}, new double[] {1, 1});
    p.clearPending();
    p.observe(1);
    p.observe(1);
    assertEquals(0, p.pairs(1), "a reset drops pending pairs");
    assertEquals(1, p.pairs(2), "and keeps the windows");
  }

  @Test
  void shouldStartFromTheModelsChoiceAndAgainForANewModel() {
    LiveProtection p = new LiveProtection();
    assertFalse(p.isStarted());
    p.start(3, new boolean[] {true, false});
    assertTrue(p.startedFor(3));
    assertFalse(p.startedFor(4));
    assertTrue(p.learned(1));
    assertFalse(p.learned(2));
    assertEquals(1, p.baselineHorizons());
    double[] out = new double[2];
    p.serve(new double[] {1, 2}, new double[] {10, 20}, out);
    assertArrayEquals(new double[] {1, 20}, out);
  }

  @Test
  void shouldRoundTripItsBlockWhenWrittenAndRead() {
    Synthetic k = new Synthetic();
    k.run(0, 1000, 0.3);
    k.run(1000, 1100, 4.0);
    ByteBuffer b = ByteBuffer.allocate(k.p.serializedSize());
    k.p.write(b);
    assertEquals(4 + 16 + 13 * H, b.position());
    LiveProtection back = LiveProtection.read(ByteBuffer.wrap(b.array()));
    ByteBuffer again = ByteBuffer.allocate(back.serializedSize());
    back.write(again);
    assertArrayEquals(b.array(), again.array());
    for (int h = 1; h <= H; h++) {
      assertEquals(k.p.learned(h), back.learned(h));
      assertEquals(k.p.pairs(h), back.pairs(h));
      assertEquals(k.p.learnedWorse(h), back.learnedWorse(h));
    }
    ByteBuffer none = ByteBuffer.allocate(new LiveProtection().serializedSize());
    new LiveProtection().write(none);
    assertFalse(LiveProtection.read(ByteBuffer.wrap(none.array())).isStarted());
  }

  @Test
  void shouldRejectACorruptBlockWithoutAllocatingWhenLengthsLie() {
    ByteBuffer huge = ByteBuffer.allocate(24).putInt(LiveProtection.MAX_HORIZON).putLong(1).putLong(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LiveProtection.read(ByteBuffer.wrap(huge.array())));
    assertTrue(e.getMessage().contains("horizon 100000"), e.getMessage());
    ByteBuffer negative = ByteBuffer.allocate(4).putInt(-3);
    assertThrows(IllegalArgumentException.class, () -> LiveProtection.read(ByteBuffer.wrap(negative.array())));
  }

  private static ByteBuffer roundTrip(LiveProtection p) {
    ByteBuffer b = ByteBuffer.allocate(p.serializedSize());
    p.write(b);
    b.flip();
    return b;
  }
}
