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
  private static final ChangeWatch.Settings FLAT = ChangeWatch.Settings.of(LEVEL, true, false, false);
  private static final ChangeWatch.Settings SHIFT = ChangeWatch.Settings.of(LEVEL, false, true, false);
  private static final ChangeWatch.Settings BOTH = ChangeWatch.Settings.of(LEVEL, true, true, false);
  private static final ChangeWatch.Settings NONE = ChangeWatch.Settings.of(LEVEL, false, false, false);
  private static final ChangeWatch.Settings SPIKE = ChangeWatch.Settings.of(LEVEL, false, false, true);
  private static final ChangeWatch.Settings ALL = ChangeWatch.Settings.of(LEVEL, true, true, true);

  /** A sensor whose readings are noise around 20, sd 1; every step has a band of ±2.58 around 20. */
  private static Found noisy(ChangeWatch w, double reading, boolean outside, ChangeWatch.Settings s) {
    return w.observe(reading, Double.NaN, outside, 20, 2.58, 1, s);
  }

  @Test
  void shouldFlagASpikeOneStepLateWithItsOwnBandWhenTheReadingComesStraightBack() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(11);
    for (int t = 0; t < 300; t++) {
      noisy(w, 20 + r.nextGaussian(), false, SPIKE);
    }
    noisy(w, 20.2, false, SPIKE);
    w.observe(24.9, Double.NaN, false, 20.1, 2.5, 1, SPIKE); // inside a wide band: the band does not see it
    assertEquals(Found.SPIKE, noisy(w, 19.9, false, SPIKE), "the reading came back");
    assertEquals(24.9, w.spikeActual());
    assertEquals(20.1, w.spikeForecast());
    assertEquals(2.5, w.spikeHalf());
    assertEquals(1, w.spikeH());
    assertEquals(Found.NOTHING, noisy(w, 20.1, false, SPIKE), "the return is no spike of its own");
  }

  @Test
  void shouldNotFlagASpikeWhenTheJumpStaysOrTheBandFlaggedItOrAGapCameBetween() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(12);
    for (int t = 0; t < 300; t++) {
      noisy(w, 20 + r.nextGaussian(), false, SPIKE);
    }
    noisy(w, 20.2, false, SPIKE);
    noisy(w, 24.9, false, SPIKE);
    assertEquals(Found.NOTHING, noisy(w, 24.7, false, SPIKE), "a jump that stays is a level change");
    noisy(w, 20.2, false, SPIKE);
    noisy(w, 20.0, false, SPIKE);
    noisy(w, 24.9, true, SPIKE);
    assertEquals(Found.NOTHING, noisy(w, 19.9, false, SPIKE), "the band flagged it at its own step");
    noisy(w, 20.2, false, SPIKE);
    noisy(w, 24.9, false, SPIKE);
    w.breakRun();
    assertEquals(Found.NOTHING, noisy(w, 19.9, false, SPIKE), "a skipped step between");
    noisy(w, 20.2, false, SPIKE);
    noisy(w, 24.9, false, NONE);
    assertEquals(Found.NOTHING, noisy(w, 19.9, false, NONE), "spikes off");
  }

  @Test
  void shouldFlagSpikesAboutAsOftenAsTheLevelMissesWhenTheReadingsAreNoise() {
    ChangeWatch w = new ChangeWatch();
    Random r = new Random(13);
    int n = 100_000;
    int spikes = 0;
    for (int t = 0; t < n; t++) {
      spikes += noisy(w, 20 + r.nextGaussian(), false, SPIKE) == Found.SPIKE ? 1 : 0;
    }
    double rate = spikes / (double) n;
    // (1 − level) by construction; the changes' mean square is an estimate, so allow for its wobble
    assertTrue(rate > 0.006 && rate < 0.014, "false spikes per step at level 0.99: " + rate);
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
    w.observe(1, 0.5, false, 1.2, 0.4, 1, ALL);
    w.observe(2, 0.5, false, 1.9, 0.4, 1, ALL);
    assertEquals(1 + 8 + 16 + 13 + 13 + 18, w.serializedSize(), "every block but the sums and the last flag");
    ByteBuffer b = ByteBuffer.allocate(w.serializedSize());
    w.write(b);
    byte[] good = b.array();
    byte[] badHalf = good.clone();
    ByteBuffer.wrap(badHalf).putDouble(good.length - 10, -1); // the previous check's band: a negative half-width
    assertThrows(IllegalArgumentException.class,
        () -> new ChangeWatch().read(ByteBuffer.wrap(badHalf), KeyScores.FORMAT));
    byte[] badCount = good.clone();
    badCount[good.length - 19] = (byte) 101; // more changes counted than are ever kept
    assertThrows(IllegalArgumentException.class,
        () -> new ChangeWatch().read(ByteBuffer.wrap(badCount), KeyScores.FORMAT));
    byte[] badRepeats = good.clone();
    ByteBuffer.wrap(badRepeats).putInt(1 + 8 + 4, 5); // more repeats than steps
    assertThrows(IllegalArgumentException.class,
        () -> new ChangeWatch().read(ByteBuffer.wrap(badRepeats), KeyScores.FORMAT));
    byte[] badSum = good.clone();
    ByteBuffer.wrap(badSum).putFloat(1 + 8 + 16 + 8, -1f); // a negative mean square
    assertThrows(IllegalArgumentException.class,
        () -> new ChangeWatch().read(ByteBuffer.wrap(badSum), KeyScores.FORMAT));
    assertEquals(1, new ChangeWatch().serializedSize());
    ChangeWatch first = new ChangeWatch();
    first.observe(1, Double.NaN, false, BOTH);
    assertEquals(9, first.serializedSize(), "a key's first step: its actual only");
    ChangeWatch read = new ChangeWatch();
    read.read(ByteBuffer.wrap(good), KeyScores.FORMAT);
    ByteBuffer again = ByteBuffer.allocate(read.serializedSize());
    read.write(again);
    assertArrayEquals(good, again.array(), "read and written again");
  }

  @Test
  void shouldReadBackTheLastCheckedHorizonWhenItIsBeyondOneByte() {
    for (int h : new int[] {300, 151}) {
      ChangeWatch w = new ChangeWatch();
      Random r = new Random(3);
      for (int t = 0; t < 60; t++) {
        w.observe(10 + r.nextGaussian() * 0.1, 0.5, false, 10, 0.4, 1, ALL);
      }
      w.observe(50, 0.5, false, 10, 0.4, h, ALL); // a jump, checked against a forecast made h steps before
      ByteBuffer b = ByteBuffer.allocate(w.serializedSize());
      w.write(b);
      ChangeWatch read = new ChangeWatch();
      read.read(ByteBuffer.wrap(b.array()), KeyScores.FORMAT);
      assertEquals(Found.SPIKE, read.observe(10, 0.5, false, 10, 0.4, 1, ALL), "and straight back");
      assertEquals(h, read.spikeH());
      if (h < 256) {
        // format 5 kept it in one byte, written signed: 151 came back as -105 and the key's state did not read
        ByteBuffer old = ByteBuffer.allocate(b.capacity() - 1).put(b.array(), 0, b.capacity() - 2).put((byte) h);
        ChangeWatch fromOld = new ChangeWatch();
        fromOld.read(ByteBuffer.wrap(old.array()), 5);
        assertEquals(Found.SPIKE, fromOld.observe(10, 0.5, false, 10, 0.4, 1, ALL));
        assertEquals(h, fromOld.spikeH());
      }
    }
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
