package org.streamcast.quality;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Layout 1 of {@link KeyScores}, the block inside key-state formats 2 and 3: written for them, read for old states.
 * Every length is checked against the bytes that remain before anything is allocated.
 */
final class KeyScoresLegacyFormat {

  private KeyScoresLegacyFormat() {}

  /** Bytes {@link #writeLegacy(KeyScores, ByteBuffer)} takes. */
  static int legacySize(KeyScores k) {
    if (k.horizons == null) {
      return 4;
    }
    int s = k.horizons.count();
    return 4 + 4 + 4 * s + 4 + 4 + 8 + 4 * k.pendingSize * (1 + k.levels) + 8 * k.origins.length + 8 * s
        + 9 * s * k.window + 4 * k.latestHalf.length;
  }

  /**
   * Writes {@code int H} (0: unshaped, nothing follows), {@code int S; int[S] scored horizons; int levels; int window;
   * long ordinal; float[Σh] pending; float[levels·Σh] pending half-widths; double[H] origin actuals;
   * S × (int count, int next); float[S·window] absolute errors, sorted per horizon; byte[S·window] the ring slot
   * each arrived in; float[S·window] naive errors (a ring per horizon); float[levels·H] latest half-widths}.
   */
  static void writeLegacy(KeyScores k, ByteBuffer b) {
    if (k.horizons == null) {
      b.putInt(0);
      return;
    }
    int s = k.horizons.count();
    b.putInt(k.horizons.horizon()).putInt(s);
    for (int j = 0; j < s; j++) {
      b.putInt(k.horizons.get(j));
    }
    b.putInt(k.levels).putInt(k.window).putLong(k.ordinal);
    KeyScoresFormat.putFloats(b, k.pending);
    KeyScoresFormat.putFloats(b, k.pendingHalf);
    b.asDoubleBuffer().put(k.origins);
    b.position(b.position() + 8 * k.origins.length);
    for (int j = 0; j < s; j++) {
      b.putInt(k.count[j]).putInt(k.next[j]);
    }
    KeyScoresFormat.putFloats(b, k.sortedErrors);
    b.put(k.arrivalSlots);
    KeyScoresFormat.putFloats(b, k.naiveErrors);
    KeyScoresFormat.putFloats(b, k.latestHalf);
  }

  /**
   * Reads what {@link #writeLegacy(KeyScores, ByteBuffer)} wrote (the key's band corrections then start again at 0).
   * Every length is
   * checked against the bytes that remain before anything is allocated, and the window bookkeeping is checked for
   * consistency, so corrupt bytes give an {@link IllegalArgumentException}, never an oversized allocation or a state
   * that fails later.
   */
  static KeyScores readLegacy(ByteBuffer b) {
    KeyScores k = new KeyScores();
    try {
      int horizon = b.getInt();
      if (horizon == 0) {
        return k;
      }
      int s = b.getInt();
      if (horizon < 0 || horizon > KeyScores.MAX_HORIZON || s < 1 || s > horizon) {
        throw new IllegalArgumentException("bad key scores shape: H=" + horizon + ", S=" + s);
      }
      if (b.remaining() < 4L * s) {
        throw new BufferUnderflowException();
      }
      int[] scored = new int[s];
      long pendingSize = 0;
      for (int j = 0; j < s; j++) {
        scored[j] = b.getInt();
        pendingSize += scored[j];
      }
      ScoredHorizons h = ScoredHorizons.of(horizon, scored);
      int levelCount = b.getInt();
      int windowSize = b.getInt();
      if (levelCount < 0 || levelCount > 8) {
        throw new IllegalArgumentException("bad key scores shape: " + levelCount + " levels");
      }
      if (windowSize < 1 || windowSize > 127) {
        throw new IllegalArgumentException("bad key scores shape: error window " + windowSize);
      }
      long needed = 8 + 4 * pendingSize * (1 + levelCount) + 8L * horizon + 8L * s + 9L * s * windowSize
          + 4L * levelCount * horizon;
      if (b.remaining() < needed) {
        throw new IllegalArgumentException("key scores block needs " + needed + " bytes, " + b.remaining()
            + " remain");
      }
      k.allocate(h, levelCount, windowSize);
      k.ordinal = b.getLong();
      KeyScoresFormat.getFloats(b, k.pending);
      KeyScoresFormat.getFloats(b, k.pendingHalf);
      b.asDoubleBuffer().get(k.origins);
      b.position(b.position() + 8 * k.origins.length);
      for (int j = 0; j < s; j++) {
        k.count[j] = b.getInt();
        k.next[j] = b.getInt();
        if (k.count[j] < 0 || k.count[j] > windowSize || k.next[j] < 0 || k.next[j] >= windowSize) {
          throw new IllegalArgumentException("bad error window of horizon " + scored[j] + ": count " + k.count[j]
              + ", next " + k.next[j]);
        }
      }
      KeyScoresFormat.getFloats(b, k.sortedErrors);
      b.get(k.arrivalSlots);
      KeyScoresFormat.getFloats(b, k.naiveErrors);
      KeyScoresFormat.getFloats(b, k.latestHalf);
      checkArrivals(k);
      KeyScoresFormat.ownStartFromCounts(k);
      return k;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("key scores block is truncated", e);
    }
  }

  /** Each window's first {@code count} arrival slots are distinct ring slots (else a step would lose track). */
  private static void checkArrivals(KeyScores k) {
    boolean[] seen = new boolean[k.window];
    for (int j = 0; j < k.count.length; j++) {
      Arrays.fill(seen, false);
      for (int i = 0; i < k.count[j]; i++) {
        int slot = k.arrivalSlots[j * k.window + i];
        if (slot < 0 || slot >= k.window || seen[slot]) {
          throw new IllegalArgumentException("bad error window of horizon " + k.horizons.get(j) + ": arrival slot "
              + slot + " repeated or out of range");
        }
        seen[slot] = true;
      }
    }
  }
}
