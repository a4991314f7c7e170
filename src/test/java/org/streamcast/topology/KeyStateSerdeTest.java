package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
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
  void shouldFailWithTheVersionWhenTheBytesAreUnknownOrTruncated() {
    byte[] unknown = V1.clone();
    unknown[0] = 9;
    SerializationException e = assertThrows(SerializationException.class, () -> KeyStateSerde.read(unknown, 6));
    assertTrue(e.getMessage().contains("unknown format version 9"), e.getMessage());
    byte[] truncated = java.util.Arrays.copyOf(V1, V1.length - 5);
    e = assertThrows(SerializationException.class, () -> KeyStateSerde.read(truncated, 6));
    assertTrue(e.getMessage().contains("format version 1"), e.getMessage());
  }
}
