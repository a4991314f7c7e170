package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.streamcast.model.KeyState;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.ScoreSink;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.ServingState;

class KeyStateSerdeTest {
  private static final double[] LEVELS = {0.8, 0.95};

  /**
   * A key state as format version 1 wrote it (before live scores): history [10.5, 11.0 imputed, 12.25], hidden
   * [0.5, −0.25] of model v3, last step 2023-11-14T22:13:20Z, 42 observed steps, 1 imputed in a row, scale (11, 2),
   * forecast [13, 14.5] from that step.
   */
  static final byte[] V1 = HexFormat.of().parseHex("0100000000000000030000018bcfe56800000000000000002a000000014026"
      + "0000000000004000000000000000000000023f000000be80000000000003402500000000000040260000000000004028800000000000"
      + "020000018bcfe5680000000002402a000000000000402d000000000000");

  @Test
  void shouldReadAVersionOneStateWithEmptyScoresWhenTheStoreHoldsOldBytes() {
    ServingState read = KeyStateSerde.read(V1, 6);
    KeyState s = read.model();
    assertEquals(3, s.modelVersion());
    assertEquals(1_700_000_000_000L, s.lastStep());
    assertEquals(42, s.observedSteps());
    assertEquals(1, s.imputedRun());
    assertEquals(11.0, s.scaleMean());
    assertEquals(2.0, s.scaleSpread());
    assertArrayEquals(new float[] {0.5f, -0.25f}, s.hidden());
    assertArrayEquals(new double[] {10.5, 11.0, 12.25}, s.history().valuesOldestFirst());
    assertArrayEquals(new boolean[] {false, true, false}, s.history().imputedOldestFirst());
    assertEquals(1_700_000_000_000L, s.forecastOrigin());
    assertArrayEquals(new double[] {13.0, 14.5}, s.forecast());
    assertFalse(read.quality().isShaped());
    // read into a smaller history: the newest values stay
    assertArrayEquals(new double[] {11.0, 12.25}, KeyStateSerde.read(V1, 2).model().history().valuesOldestFirst());
  }

  /** The V1 state with live scores over {@code steps} steps (errors tracked once the window holds 30). */
  private static ServingState scored(int steps) {
    ServingState s = KeyStateSerde.read(V1, 6);
    KeyScores q = s.quality();
    q.shape(ScoredHorizons.of(2), 2);
    for (int t = 0; t < steps; t++) {
      q.observe(t, ScoreSink.NONE, LEVELS, 0.05);
      q.issue(t, new double[] {t + 0.5, t - 1.5 * (t % 3)}, new double[][] {{1, 2}, {3, 4}});
    }
    return s;
  }

  @Test
  void shouldWriteVersionFourAndReadItBackWithBothPartsWhenRoundTripped() {
    ServingState s = scored(70);
    s.model().protection().start(5, new boolean[] {true, false});
    byte[] bytes = KeyStateSerde.write(s);
    assertEquals(4, bytes[0], "format version");
    assertEquals(KeyState.FORMAT, bytes[1], "the model part's own version");
    ServingState back = KeyStateSerde.read(bytes, 6);
    assertEquals(null, back.corruption());
    assertArrayEquals(s.model().history().valuesOldestFirst(), back.model().history().valuesOldestFirst());
    assertArrayEquals(s.model().forecast(), back.model().forecast());
    KeyScores q = back.quality();
    assertTrue(q.isShaped());
    assertEquals(KeyScores.WINDOW, q.count(0));
    assertEquals(s.quality().mae(0), q.mae(0), 1e-6);
    assertEquals(s.quality().skill(1), q.skill(1), 1e-6);
    double[] own = new double[2];
    double[] ownBack = new double[2];
    for (int j = 0; j < 2; j++) {
      s.quality().ownHalfWidths(j, LEVELS, 0.05, own);
      q.ownHalfWidths(j, LEVELS, 0.05, ownBack);
      assertArrayEquals(own, ownBack, "tracked half-widths of scored horizon " + j);
      assertTrue(Double.isFinite(own[1]));
    }
    assertEquals(3, q.latestHalfWidth(1, 1));
    assertTrue(back.model().protection().startedFor(5));
    assertFalse(back.model().protection().learned(2));
    assertArrayEquals(bytes, KeyStateSerde.write(back), "stable: written again, the same bytes");
    // the restored state scores on exactly as the original
    s.quality().observe(71, ScoreSink.NONE, LEVELS, 0.05);
    q.observe(71, ScoreSink.NONE, LEVELS, 0.05);
    assertArrayEquals(KeyStateSerde.write(s), KeyStateSerde.write(back));
    // an unshaped state
    assertFalse(KeyStateSerde.read(KeyStateSerde.write(new ServingState(4)), 4).quality().isShaped());
  }

  @Test
  void shouldKeepTheSmoothingStateWhenRoundTripped() {
    ServingState s = scored(30);
    double[] smoothing = {10.5, 0.25, 3, -1, 2, 0.5, -1.5};
    s.model().ownBaseline(smoothing);
    byte[] bytes = KeyStateSerde.write(s);
    assertEquals(3, bytes[1], "the model part's version 3 carries the smoothing state (since 2) and covariates");
    ServingState back = KeyStateSerde.read(bytes, 6);
    assertEquals(null, back.corruption());
    assertArrayEquals(smoothing, back.model().ownBaseline(), 0);
    s.model().reset();
    assertEquals(0, s.model().ownBaseline().length, "a reset key starts its smoothing again");
  }

  @Test
  void shouldReadAModelPartOfVersionOneWithoutSmoothingWhenWrittenBeforeIt() {
    ServingState s = scored(30);
    KeyState m = s.model();
    ByteBuffer b = ByteBuffer.allocate(2 + m.fieldsSize() + m.protection().serializedSize()
        + s.quality().serializedSize());
    b.put((byte) 4).put((byte) 1);
    m.writeFields(b);
    m.protection().write(b);
    s.quality().write(b);
    ServingState back = KeyStateSerde.read(b.array(), 6);
    assertEquals(null, back.corruption());
    assertArrayEquals(m.history().valuesOldestFirst(), back.model().history().valuesOldestFirst());
    assertEquals(0, back.model().ownBaseline().length);
  }

  @Test
  void shouldReadVersionThreeWithItsErrorWindowsWhenTheStoreHoldsStatesFromBeforeTheSplit() {
    ServingState s = scored(40);
    s.model().protection().start(5, new boolean[] {true, false});
    byte[] v3 = KeyStateSerde.writeVersion3(s);
    assertEquals(3, v3[0]);
    ServingState back = KeyStateSerde.read(v3, 6);
    assertEquals(null, back.corruption());
    assertEquals(40 - 1, back.quality().count(0));
    assertEquals(s.quality().mae(0), back.quality().mae(0), 1e-6);
    assertEquals(s.quality().latestHalfWidth(0, 2), back.quality().latestHalfWidth(0, 2));
    assertTrue(back.model().protection().startedFor(5));
    assertArrayEquals(s.model().history().valuesOldestFirst(), back.model().history().valuesOldestFirst());
    // the tracked corrections were not in version 3: the bands start again from the window's split-conformal quantile
    double[] own = new double[2];
    double[] split = new double[2];
    back.quality().ownHalfWidths(0, LEVELS, 0.05, own);
    back.quality().ownHalfWidths(0, LEVELS, 0, split);
    assertArrayEquals(split, own);
    assertTrue(Double.isFinite(own[0]) && Double.isFinite(own[1]), java.util.Arrays.toString(own));
  }

  @Test
  void shouldReadVersionTwoWithoutLiveProtectionWhenWrittenBeforeIt() {
    ServingState s = scored(2);
    byte[] v3 = KeyStateSerde.writeVersion3(s);
    // version 2 is version 3 without the protection block (an unstarted one is the int 0)
    byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 4);
    v2[0] = 2;
    ServingState back = KeyStateSerde.read(v2, 6);
    assertFalse(back.model().protection().isStarted());
    assertTrue(back.quality().isShaped());
    assertArrayEquals(s.model().history().valuesOldestFirst(), back.model().history().valuesOldestFirst());
    assertArrayEquals(v3, KeyStateSerde.writeVersion3(back));
  }

  @Test
  void shouldGiveACorruptMarkerNamingTheVersionWhenTheBytesAreUnknownOrTruncated() {
    byte[] unknown = V1.clone();
    unknown[0] = -7;
    assertEquals("key state has unknown format version -7 (" + V1.length + " bytes)",
        KeyStateSerde.read(unknown, 6).corruption());
    byte[] truncated = java.util.Arrays.copyOf(V1, V1.length - 5);
    String why = KeyStateSerde.read(truncated, 6).corruption();
    assertTrue(why.startsWith("key state (format version 1, " + truncated.length + " bytes) is corrupt: "), why);
    byte[] trailing = java.util.Arrays.copyOf(V1, V1.length + 3);
    assertTrue(KeyStateSerde.read(trailing, 6).corruption().endsWith("3 trailing bytes"));
    assertEquals("key state entry is empty", KeyStateSerde.read(new byte[0], 6).corruption());
    assertEquals(null, KeyStateSerde.read(V1, 6).corruption(), "a good state is no marker");
    byte[] v4 = KeyStateSerde.write(scored(3));
    String v4why = KeyStateSerde.read(java.util.Arrays.copyOf(v4, v4.length - 3), 6).corruption();
    assertTrue(v4why.startsWith("key state (format version 4, " + (v4.length - 3) + " bytes) is corrupt: "), v4why);
  }

  @Test
  void shouldNameBothVersionsInOneLineWhenANewerStreamcastWroteTheState() {
    byte[] newer = V1.clone();
    newer[0] = 5;
    assertEquals("key state was written by a newer streamcast in format version 5; this version reads formats 1 to 4",
        KeyStateSerde.read(newer, 6).corruption());
  }

  @Test
  void shouldRejectALengthBeyondTheBytesBeforeAllocatingWhenLengthsAreHuge() {
    // version 2, then the fixed fields, then a hidden-state length of 2^31 - 1 floats in a 60-byte entry
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(60);
    b.put((byte) 2).putLong(1).putLong(0).putLong(5).putInt(0).putDouble(0).putDouble(1).putInt(Integer.MAX_VALUE);
    String why = KeyStateSerde.read(b.array(), 6).corruption();
    assertTrue(why.contains("hidden state length 2147483647 with 11 bytes left"), why);
    // a valid state whose scores block claims the largest allowed horizon, in versions 3 and 4
    ServingState s = KeyStateSerde.read(V1, 6);
    byte[] bytes = KeyStateSerde.writeVersion3(s);
    java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(bytes.length + 16);
    big.put(bytes, 0, bytes.length - 8).putInt(100_000).putInt(100_000);
    for (int i = 0; i < 2; i++) {
      big.putInt(i + 1);
    }
    why = KeyStateSerde.read(big.array(), 6).corruption();
    assertTrue(why.contains("is corrupt"), why);
    bytes = KeyStateSerde.write(s);
    big = java.nio.ByteBuffer.allocate(bytes.length + 16);
    big.put(bytes, 0, bytes.length - 4).putInt(100_000).put((byte) 0).put((byte) 2).put((byte) 50).putLong(0);
    why = KeyStateSerde.read(big.array(), 6).corruption();
    assertTrue(why.contains("is corrupt"), why);
  }

  /**
   * Random bytes, every truncation and every single bit flip of a real state, and random splices: each read gives a
   * state or a marker, never an exception or an allocation beyond the entry (the heap would not survive 2^31-element
   * arrays: a read that trusted a length would fail here with OutOfMemoryError).
   */
  @Test
  void shouldGiveAStateOrAMarkerNeverAnExceptionWhenBytesAreFuzzed() {
    for (byte[] good : new byte[][] {KeyStateSerde.write(scored(60)), KeyStateSerde.writeVersion3(scored(60))}) {
      fuzz(good);
    }
  }

  private static void fuzz(byte[] good) {
    java.util.Random random = new java.util.Random(13);
    int markers = 0;
    for (int n = 0; n < good.length; n++) {
      markers += fuzzRead(java.util.Arrays.copyOf(good, n));
    }
    assertEquals(good.length, markers, "every truncation is a marker");
    assertEquals(0, fuzzRead(good));
    markers = 0;
    int reads = 0;
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      markers += fuzzRead(flipped);
      reads++;
    }
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      if (junk.length > 0 && random.nextBoolean()) {
        junk[0] = (byte) (1 + random.nextInt(4));
      }
      markers += fuzzRead(junk);
      byte[] splice = good.clone();
      int at = random.nextInt(good.length);
      byte[] noise = new byte[Math.min(8, good.length - at)];
      random.nextBytes(noise);
      System.arraycopy(noise, 0, splice, at, noise.length);
      markers += fuzzRead(splice);
      reads += 2;
    }
    // most flips land in values (a different but readable state); those in lengths and counts must be caught
    assertTrue(markers > 100 && markers < reads, markers + " markers of " + reads + " reads");
  }

  /** 1 when the bytes read as a corrupt marker, 0 when as a state (which must then write again without failing). */
  private static int fuzzRead(byte[] bytes) {
    ServingState s = KeyStateSerde.read(bytes, 6);
    if (s.corruption() != null) {
      assertFalse(s.corruption().contains("\n"), "one line");
      return 1;
    }
    KeyStateSerde.write(s);
    return 0;
  }
}
