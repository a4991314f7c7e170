package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.streamcast.model.KeyState;
import org.streamcast.quality.ScoreSink;
import org.streamcast.quality.ScoredHorizons;

class KeyStateSerdeTest {
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
    KeyState s = KeyStateSerde.read(V1, 6);
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
    assertFalse(s.scores().isShaped());
    // read into a smaller history: the newest values stay
    assertArrayEquals(new double[] {11.0, 12.25}, KeyStateSerde.read(V1, 2).history().valuesOldestFirst());
  }

  @Test
  void shouldWriteVersionThreeAndReadItBackWithItsScoresWhenRoundTripped() {
    KeyState s = KeyStateSerde.read(V1, 6);
    s.scores().shape(ScoredHorizons.of(2), 2);
    for (int t = 0; t < 5; t++) {
      s.scores().observe(t, ScoreSink.NONE);
      s.scores().issue(t, new double[] {t + 0.5, t + 1.5}, new double[][] {{1, 2}, {3, 4}});
    }
    s.protection().start(5, new boolean[] {true, false});
    byte[] bytes = KeyStateSerde.write(s);
    assertEquals(3, bytes[0], "format version");
    KeyState back = KeyStateSerde.read(bytes, 6);
    assertArrayEquals(s.history().valuesOldestFirst(), back.history().valuesOldestFirst());
    assertArrayEquals(s.forecast(), back.forecast());
    assertTrue(back.scores().isShaped());
    assertEquals(4, back.scores().count(0));
    assertEquals(0.5, back.scores().mae(0), 1e-12);
    assertEquals(3, back.scores().latestHalfWidth(1, 1));
    assertTrue(back.protection().startedFor(5));
    assertTrue(back.protection().learned(1));
    assertFalse(back.protection().learned(2));
    assertArrayEquals(bytes, KeyStateSerde.write(back), "stable: written again, the same bytes");
    // an unshaped state
    KeyState fresh = new KeyState(4);
    assertFalse(KeyStateSerde.read(KeyStateSerde.write(fresh), 4).scores().isShaped());
  }

  @Test
  void shouldReadVersionTwoWithoutLiveProtectionWhenWrittenBeforeIt() {
    KeyState s = KeyStateSerde.read(V1, 6);
    s.scores().shape(ScoredHorizons.of(2), 2);
    s.scores().observe(1, ScoreSink.NONE);
    s.scores().issue(1, new double[] {1.5, 2.5}, new double[][] {{1, 2}, {3, 4}});
    byte[] v3 = KeyStateSerde.write(s);
    // version 2 is version 3 without the protection block (an unstarted one is the int 0)
    byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 4);
    v2[0] = 2;
    KeyState back = KeyStateSerde.read(v2, 6);
    assertFalse(back.protection().isStarted());
    assertTrue(back.scores().isShaped());
    assertArrayEquals(s.history().valuesOldestFirst(), back.history().valuesOldestFirst());
    assertArrayEquals(v3, KeyStateSerde.write(back));
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
  }

  @Test
  void shouldNameBothVersionsInOneLineWhenANewerStreamcastWroteTheState() {
    byte[] newer = V1.clone();
    newer[0] = 4;
    assertEquals("key state was written by a newer streamcast in format version 4; this version reads formats 1 to 3",
        KeyStateSerde.read(newer, 6).corruption());
  }

  @Test
  void shouldRejectALengthBeyondTheBytesBeforeAllocatingWhenLengthsAreHuge() {
    // version 2, then the fixed fields, then a hidden-state length of 2^31 - 1 floats in a 60-byte entry
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(60);
    b.put((byte) 2).putLong(1).putLong(0).putLong(5).putInt(0).putDouble(0).putDouble(1).putInt(Integer.MAX_VALUE);
    String why = KeyStateSerde.read(b.array(), 6).corruption();
    assertTrue(why.contains("hidden state length 2147483647 with 11 bytes left"), why);
    // a valid state whose scores block claims the largest allowed horizon
    KeyState s = KeyStateSerde.read(V1, 6);
    byte[] bytes = KeyStateSerde.write(s);
    java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(bytes.length + 16);
    big.put(bytes, 0, bytes.length - 4).putInt(100_000).putInt(100_000);
    for (int i = 0; i < 2; i++) {
      big.putInt(i + 1);
    }
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
    KeyState s = KeyStateSerde.read(V1, 6);
    s.scores().shape(ScoredHorizons.of(2), 2);
    for (int t = 0; t < 60; t++) {
      s.scores().observe(t, ScoreSink.NONE);
      s.scores().issue(t, new double[] {t + 0.5, t - 1.5}, new double[][] {{1, 2}, {3, 4}});
    }
    byte[] good = KeyStateSerde.write(s);
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
        junk[0] = (byte) (1 + random.nextInt(2));
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
    KeyState s = KeyStateSerde.read(bytes, 6);
    if (s.corruption() != null) {
      assertFalse(s.corruption().contains("\n"), "one line");
      return 1;
    }
    KeyStateSerde.write(s);
    return 0;
  }
}
