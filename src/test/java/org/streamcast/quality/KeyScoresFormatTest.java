package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** When a key's own bands began at each scored horizon, as quality part format 5 keeps it (KeyScoresFormat). */
class KeyScoresFormatTest {

  @Test
  void shouldWriteWhenTheOwnBandsBeganWhileSomeBeganLessThanHStepsAgo() {
    // horizon h holds t − h errors after t steps, so its own bands begin at step 30 + h: after 40 steps h = 1..5
    // began at least h steps ago (written as h), h = 6..10 began 10 − h steps ago, h = 11 and 12 not yet (−1)
    KeyScores k = KeyScoresTest.warm(12, 40);
    ByteBuffer b = ByteBuffer.allocate(k.serializedSize());
    k.write(b);
    int block = b.position() - 1 - 1 - 4 * 12 - 1; // the budget's and the watch's byte follow it
    assertEquals(1, b.get(block));
    int[] ages = new int[12];
    for (int j = 0; j < 12; j++) {
      ages[j] = b.getInt(block + 1 + 4 * j);
    }
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 4, 3, 2, 1, 0, -1, -1}, ages);
    KeyScores read = KeyScores.read(ByteBuffer.wrap(b.array()));
    ByteBuffer again = ByteBuffer.allocate(read.serializedSize());
    read.write(again);
    assertArrayEquals(b.array(), again.array());
  }

  @Test
  void shouldReadFormat4AsIfTheOwnBandsBeganAtLeastHStepsAgoWhenStoredBeforeTheStartWasKept() {
    KeyScores a = KeyScoresTest.warm(12, 200);
    ByteBuffer b = ByteBuffer.allocate(a.serializedSize());
    a.write(b);
    byte[] v5 = b.array();
    // format 4 is format 5 without the own-band start's block (one byte, 0, before the budget's and the watch's)
    int own = v5.length - 1 - 1 - 1;
    assertEquals(0, v5[own]);
    byte[] v4 = new byte[v5.length - 1];
    System.arraycopy(v5, 0, v4, 0, own);
    System.arraycopy(v5, own + 1, v4, own, 2);
    v4[0] = 4;
    KeyScores old = KeyScores.read(ByteBuffer.wrap(v4));
    ByteBuffer again = ByteBuffer.allocate(old.serializedSize());
    old.write(again);
    assertArrayEquals(v5, again.array(), "read as format 4, written as format 5");
    double[] levels = {0.8, 0.95};
    double[] f = new double[12];
    double[][] half = {new double[12], new double[12]};
    double[] x = new double[2];
    double[] y = new double[2];
    for (int t = 200; t < 230; t++) {
      a.observe(t * 1.5, ScoreSink.NONE, levels, 0.1);
      old.observe(t * 1.5, ScoreSink.NONE, levels, 0.1);
      Arrays.fill(f, t);
      for (int j = 0; j < 12; j++) {
        a.ownHalfWidths(j, levels, 0.1, x);
        old.ownHalfWidths(j, levels, 0.1, y);
        assertArrayEquals(x, y, "step " + t + ", h = " + (j + 1));
        half[0][j] = x[0];
        half[1][j] = x[1];
      }
      a.issue(t, f, half);
      old.issue(t, f, half);
    }
  }

  @Test
  void shouldRejectAnOwnBandStartThatContradictsTheWindowWhenRead() {
    KeyScores k = KeyScoresTest.warm(12, 40);
    ByteBuffer b = ByteBuffer.allocate(k.serializedSize());
    k.write(b);
    int block = b.position() - 1 - 1 - 4 * 12 - 1;
    b.putInt(block + 1 + 4 * 11, 3); // h = 12 holds 28 errors: it cannot have begun
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyScores.read(ByteBuffer.wrap(b.array())));
    assertEquals("bad own-band start of horizon 12: 3 steps ago with 28 errors", e.getMessage());
  }

  @Test
  void shouldOrderSortableBitsAsFloatCompareWhenValuesAreSignedZeroOrNaN() {
    float[] values = {Float.NaN, 3.5f, -0.0f, 0.0f, -7f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, -Float.MAX_VALUE};
    Integer[] keys = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      keys[i] = KeyScoresFormat.sortable(values[i]);
      assertEquals(Float.floatToIntBits(values[i]),
          Float.floatToIntBits(KeyScoresFormat.fromSortable(keys[i])), "round trip of " + values[i]);
    }
    Float[] byCompare = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      byCompare[i] = values[i];
    }
    Arrays.sort(byCompare, Float::compare);
    Arrays.sort(keys);
    for (int i = 0; i < values.length; i++) {
      assertEquals(byCompare[i], KeyScoresFormat.fromSortable(keys[i]));
    }
  }
}
