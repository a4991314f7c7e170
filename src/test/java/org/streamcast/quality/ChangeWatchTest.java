package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.quality.ChangeWatch.Found;

class ChangeWatchTest {
  private static final double LEVEL = 0.99;
  private static final ChangeWatch.Settings FLAT = ChangeWatch.Settings.of(LEVEL, true, false);
  private static final ChangeWatch.Settings SHIFT = ChangeWatch.Settings.of(LEVEL, false, true);
  private static final ChangeWatch.Settings BOTH = ChangeWatch.Settings.of(LEVEL, true, true);
  private static final ChangeWatch.Settings NONE = ChangeWatch.Settings.of(LEVEL, false, false);

  @Test
  void shouldMatchTheNormalQuantilesAndSiegmundsThresholdsWhenGivenLevels() {
    assertEquals(1.959964, ChangeWatch.normalQuantile(0.975), 1e-6);
    assertEquals(-2.575829, ChangeWatch.normalQuantile(0.005), 1e-6);
    assertEquals(3.090232, ChangeWatch.normalQuantile(0.999), 1e-6);
    assertEquals(0, ChangeWatch.normalQuantile(0.5), 1e-12);
    // e^x − x − 1 = 1 / (1 − level), h = x − 1.166
    assertEquals(3.494, ChangeWatch.cusumThreshold(0.99), 1e-3);
    assertEquals(5.750, ChangeWatch.cusumThreshold(0.999), 1e-3);
    assertThrows(IllegalArgumentException.class, () -> ChangeWatch.normalQuantile(1));
  }

  @Test
  void shouldFlagAFlatlineOnceWhenIdenticalActualsOutlastWhatTheKeysHistoryMakesLikely() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(3);
    int flags = 0;
    for (int t = 0; t < 1000; t++) {
      // a reading to one decimal: about one step in twenty repeats the one before
      flags += w.observe(Math.round(10 * (20 + 2 * r.nextGaussian())) / 10.0, Double.NaN, false, FLAT)
          == Found.FLATLINE ? 1 : 0;
    }
    assertTrue(flags <= 2, "natural repeats flagged: " + flags);
    int firstFlag = -1;
    int stuckFlags = 0;
    for (int t = 0; t < 30; t++) {
      if (w.observe(23.4, Double.NaN, false, FLAT) == Found.FLATLINE) {
        stuckFlags++;
        firstFlag = firstFlag < 0 ? t : firstFlag;
      }
    }
    assertEquals(1, stuckFlags, "one flag per run");
    assertTrue(firstFlag >= 1 && firstFlag <= 4, "flagged after a few repeats: " + firstFlag);
    assertEquals(29, w.run());
  }

  @Test
  void shouldNotFlagARunWhenTheKeyHasShownAsLongARunBefore() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(5);
    int flags = 0;
    for (int week = 0; week < 80; week++) {
      // a rain gauge: a dry spell of 12 days every few weeks, rain on the other days
      for (int d = 0; d < 12; d++) {
        flags += w.observe(0, Double.NaN, false, FLAT) == Found.FLATLINE ? 1 : 0;
      }
      for (int d = 0; d < 3 + r.nextInt(10); d++) {
        flags += w.observe(0.1 + r.nextInt(300) / 10.0, Double.NaN, false, FLAT) == Found.FLATLINE ? 1 : 0;
      }
    }
    assertTrue(flags <= 1, "dry spells as long as the key's longest are its normal: " + flags);
  }

  @Test
  void shouldNotFlagWhenFlatlinesAreOffOrAGapBreaksTheRun() {
    ChangeWatch off = new ChangeWatch();
    ChangeWatch gaps = new ChangeWatch();
    Random r = new Random(1);
    for (int t = 0; t < 500; t++) {
      double y = r.nextGaussian();
      off.observe(y, Double.NaN, false, NONE);
      gaps.observe(y, Double.NaN, false, FLAT);
    }
    for (int t = 0; t < 40; t++) {
      assertEquals(Found.NOTHING, off.observe(7, Double.NaN, false, NONE));
      gaps.breakRun();
      assertEquals(Found.NOTHING, gaps.observe(7, Double.NaN, false, FLAT), "a gap before every step");
    }
  }

  @Test
  void shouldFlagTheStepsOfALevelShiftAndClearSoonAfterWhenErrorsStayOnOneSide() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(9);
    int n = 20_000;
    int alarms = 0;
    boolean before = false;
    for (int t = 0; t < n; t++) {
      boolean now = w.observe(t, r.nextGaussian(), false, SHIFT) == Found.SHIFT;
      alarms += now && !before ? 1 : 0;
      before = now;
    }
    // in control, an alarm starts about once in 1 / (1 − level) steps
    assertTrue(alarms > n / 400 && alarms < n / 50, "alarms on independent N(0, 1) errors: " + alarms);
    w.restartSums();
    int flagged = 0;
    int first = -1;
    for (int t = 0; t < 40; t++) { // the model misses a shift by 1.5σ a step
      if (w.observe(t, 1.5 + 0.3 * r.nextGaussian(), false, SHIFT) == Found.SHIFT) {
        flagged++;
        first = first < 0 ? t : first;
      }
    }
    assertTrue(first >= 2 && first <= 5, "detected after a few steps: " + first);
    assertEquals(40 - first, flagged, "every step after that");
    int stillFlagged = 0;
    for (int t = 0; t < 20; t++) {
      stillFlagged += w.observe(t, 0, false, SHIFT) == Found.SHIFT ? 1 : 0;
    }
    assertTrue(stillFlagged <= 4, "the alarm clears a few steps after the errors stop: " + stillFlagged);
  }

  @Test
  void shouldLeaveTheSumsAloneWhenTheErrorIsUnknownOrShiftsAreOff() {
    ChangeWatch w = new ChangeWatch();
    for (int t = 0; t < 100; t++) {
      assertEquals(Found.NOTHING, w.observe(t, 3, false, FLAT), "shifts off");
      assertEquals(Found.NOTHING, w.observe(t + 0.5, Double.NaN, false, BOTH), "no band of its own");
    }
  }

  @Test
  void shouldRefuseCorruptBytesWhenRead() {
    ChangeWatch w = new ChangeWatch();
    w.observe(1, 0.5, false, BOTH);
    w.observe(2, 0.5, false, BOTH);
    ByteBuffer b = ByteBuffer.allocate(w.serializedSize());
    w.write(b);
    byte[] good = b.array();
    byte[] badMarker = good.clone();
    badMarker[0] = 64;
    assertThrows(IllegalArgumentException.class, () -> new ChangeWatch().read(ByteBuffer.wrap(badMarker)));
    byte[] badRepeats = good.clone();
    ByteBuffer.wrap(badRepeats).putInt(1 + 8 + 4, 5); // more repeats than steps
    assertThrows(IllegalArgumentException.class, () -> new ChangeWatch().read(ByteBuffer.wrap(badRepeats)));
    byte[] badSum = good.clone();
    ByteBuffer.wrap(badSum).putFloat(1 + 8 + 16 + 8, -1f); // a negative mean square
    assertThrows(IllegalArgumentException.class, () -> new ChangeWatch().read(ByteBuffer.wrap(badSum)));
    assertEquals(1, new ChangeWatch().serializedSize());
    ChangeWatch first = new ChangeWatch();
    first.observe(1, Double.NaN, false, BOTH);
    assertEquals(9, first.serializedSize(), "a key's first step: its actual only");
    ChangeWatch read = new ChangeWatch();
    read.read(ByteBuffer.wrap(good));
    ByteBuffer again = ByteBuffer.allocate(read.serializedSize());
    read.write(again);
    assertArrayEquals(good, again.array(), "read and written again");
  }

  @Test
  void shouldStayQuietWhenTheErrorsRunInLongWavesWithoutAShift() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(4);
    double z = 0;
    int flagged = 0;
    for (int t = 0; t < 20_000; t++) {
      z = 0.9 * z + Math.sqrt(1 - 0.81) * r.nextGaussian(); // unit variance, lag-one correlation 0.9
      flagged += w.observe(t, z, false, SHIFT) == Found.SHIFT ? 1 : 0;
    }
    // a CUSUM of the errors themselves is in alarm for a large share of such steps
    assertTrue(flagged < 20_000 / 20, "steps flagged: " + flagged);
  }

  @Test
  void shouldNotEchoASpikeAsAShiftWhenTheErrorsAreCorrelated() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(4);
    double z = 0;
    for (int t = 0; t < 2_000; t++) {
      z = 0.9 * z + Math.sqrt(1 - 0.81) * r.nextGaussian();
      w.observe(t, z, false, SHIFT);
    }
    w.restartSums();
    for (int t = 0; t < 200; t++) {
      z = 0.9 * z + Math.sqrt(1 - 0.81) * r.nextGaussian();
      w.observe(t, z, false, SHIFT);
    }
    w.observe(0, z + 12, true, SHIFT); // the band flags the spike itself
    assertEquals(Found.NOTHING, w.observe(1, z, false, SHIFT), "the step after the spike");
  }
}
