package org.streamcast.quality;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The persisted forms of {@link KeyScores}: layouts 2 to 6, the part's own format (written); layout 1, the block
 * inside key-state formats 2 and 3, is {@link KeyScoresLegacyFormat}. Every length is checked against the bytes that
 * remain before anything is allocated.
 */
final class KeyScoresFormat {

  private KeyScoresFormat() {}



  /** The most bytes {@link #write(KeyScores, ByteBuffer)} takes for a key shaped to {@code scored}, {@code levels}. */
  static long maxSize(ScoredHorizons scored, int levels) {
    long s = scored.count();
    long h = scored.horizon();
    long pending = 0;
    for (int j = 0; j < s; j++) {
      pending += scored.get(j);
    }
    return 1 + 4 + 1 + 4 + 4 * s + 1 + 1 + 8 + (pending + 7) / 8 + 4 * pending * (1 + levels) + (h + 7) / 8 + 8 * h
        + 1 + 4L * levels * h + s * (2 + 8L * KeyScores.WINDOW) + 1 + 4 * s * levels + 1 + 4 * s
        + AnomalyBudget.MAX_SERIALIZED + ChangeWatch.MAX_SERIALIZED;
  }

  /** Bytes {@link #write(KeyScores, ByteBuffer)} takes. */
  static int size(KeyScores k) {
    if (k.horizons == null) {
      return 1 + 4;
    }
    int s = k.horizons.count();
    int size = 1 + 4 + 1 + (isDefaultShape(k) ? 0 : 4 + 4 * s) + 1 + 1 + 8;
    size += (k.pendingSize + 7) / 8;
    for (int slot = 0; slot < k.pendingSize; slot++) {
      size += Float.isNaN(k.pending[slot]) ? 0 : 4 * (1 + k.levels);
    }
    size += (k.origins.length + 7) / 8;
    for (double o : k.origins) {
      size += Double.isNaN(o) ? 0 : 8;
    }
    size += 1 + (hasLatest(k) ? 4 * k.latestHalf.length : 0);
    for (int j = 0; j < s; j++) {
      size += 2 + 8 * k.count[j];
    }
    size += 1 + (hasTracked(k) ? 4 * k.tracked.length : 0);
    size += 1 + (ownStarting(k) ? 4 * s : 0);
    return size + k.budget.serializedSize() + k.change.serializedSize();
  }

  private static boolean isDefaultShape(KeyScores k) {
    return k.horizons.equals(ScoredHorizons.of(k.horizons.horizon()));
  }

  private static boolean hasLatest(KeyScores k) {
    for (float f : k.latestHalf) {
      if (!Float.isNaN(f)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasTracked(KeyScores k) {
    for (float f : k.tracked) {
      if (!Float.isNaN(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a scored horizon's own bands began less than h steps ago (its pending forecasts mix pooled and own bands);
   * otherwise {@link KeyScores#ownFrom} follows from the window counts and is not written.
   */
  private static boolean ownStarting(KeyScores k) {
    for (int j = 0; j < k.ownFrom.length; j++) {
      if (k.ownFrom[j] != Long.MAX_VALUE && k.ordinal - k.ownFrom[j] < k.horizons.get(j)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes only what a key holds, so a young key is small: {@code byte FORMAT; int H} (0: unshaped, nothing follows),
   * {@code byte shape} (0: the default scored horizons of H; 1: {@code int S; int[S]} follow), {@code byte levels;
   * byte window; long ordinal}; the pending forecasts as a presence bitmap over their Σh slots, then per present slot
   * {@code float forecast; float[levels] half-widths}; the origin actuals as a presence bitmap over H, then the
   * present doubles; {@code byte} 1 and {@code float[levels·H]} latest half-widths (or 0); per scored horizon
   * {@code byte count; byte next; float[count] absolute errors in arrival (ring) order; float[count] naive errors};
   * {@code byte} 1 and {@code float[S·levels]} tracked band corrections (or 0); {@code byte} 1 and {@code int[S]}
   * steps since each horizon's own bands began, −1 for none yet (or 0: every horizon's began at least h steps ago
   * or not at all, as its count says; not in formats 2 to 4, which read as 0); the
   * anomaly budget ({@link AnomalyBudget#write}; not in format 2, which reads with a full bucket); the change watch
   * ({@link ChangeWatch#write}; not in formats 2 and 3, which read with an empty one). Floats are the precision the
   * state is kept in, so a restored key scores exactly as one that was never stored.
   */
  static void write(KeyScores k, ByteBuffer b) {
    b.put(KeyScores.FORMAT);
    if (k.horizons == null) {
      b.putInt(0);
      return;
    }
    int s = k.horizons.count();
    b.putInt(k.horizons.horizon());
    if (isDefaultShape(k)) {
      b.put((byte) 0);
    } else {
      b.put((byte) 1).putInt(s);
      for (int j = 0; j < s; j++) {
        b.putInt(k.horizons.get(j));
      }
    }
    b.put((byte) k.levels).put((byte) k.window).putLong(k.ordinal);
    putPresence(b, k.pendingSize, slot -> !Float.isNaN(k.pending[slot]));
    for (int slot = 0; slot < k.pendingSize; slot++) {
      if (!Float.isNaN(k.pending[slot])) {
        b.putFloat(k.pending[slot]);
        for (int l = 0; l < k.levels; l++) {
          b.putFloat(k.pendingHalf[l * k.pendingSize + slot]);
        }
      }
    }
    putPresence(b, k.origins.length, i -> !Double.isNaN(k.origins[i]));
    for (double o : k.origins) {
      if (!Double.isNaN(o)) {
        b.putDouble(o);
      }
    }
    if (hasLatest(k)) {
      b.put((byte) 1);
      putFloats(b, k.latestHalf);
    } else {
      b.put((byte) 0);
    }
    float[] ring = new float[k.window];
    for (int j = 0; j < s; j++) {
      int base = j * k.window;
      b.put((byte) k.count[j]).put((byte) k.next[j]);
      for (int i = 0; i < k.count[j]; i++) {
        ring[k.arrivalSlots[base + i]] = k.sortedErrors[base + i];
      }
      b.asFloatBuffer().put(ring, 0, k.count[j]).put(k.naiveErrors, base, k.count[j]);
      b.position(b.position() + 8 * k.count[j]);
    }
    if (hasTracked(k)) {
      b.put((byte) 1);
      putFloats(b, k.tracked);
    } else {
      b.put((byte) 0);
    }
    if (ownStarting(k)) {
      b.put((byte) 1);
      for (int j = 0; j < s; j++) {
        b.putInt(k.ownFrom[j] == Long.MAX_VALUE ? -1 : (int) Math.min(k.ordinal - k.ownFrom[j], k.horizons.get(j)));
      }
    } else {
      b.put((byte) 0);
    }
    k.budget.write(b);
    k.change.write(b);
  }

  /**
   * Reads what {@link #write(KeyScores, ByteBuffer)} wrote. Every length is checked against the bytes that remain
   * before anything is allocated, so corrupt bytes give an {@link IllegalArgumentException}, never an oversized
   * allocation.
   */
  static KeyScores read(ByteBuffer b) {
    KeyScores k = new KeyScores();
    try {
      byte version = b.get();
      if (version < 2 || version > KeyScores.FORMAT) {
        throw new IllegalArgumentException("key scores have unknown format version " + version);
      }
      int horizon = b.getInt();
      if (horizon == 0) {
        return k;
      }
      if (horizon < 0 || horizon > KeyScores.MAX_HORIZON) {
        throw new IllegalArgumentException("bad key scores shape: H=" + horizon);
      }
      byte shape = b.get();
      ScoredHorizons h;
      if (shape == 0) {
        h = ScoredHorizons.of(horizon);
      } else if (shape == 1) {
        int s = b.getInt();
        if (s < 1 || s > horizon || b.remaining() < 4L * s) {
          throw new IllegalArgumentException("bad key scores shape: H=" + horizon + ", S=" + s);
        }
        int[] scored = new int[s];
        for (int j = 0; j < s; j++) {
          scored[j] = b.getInt();
        }
        h = ScoredHorizons.of(horizon, scored);
      } else {
        throw new IllegalArgumentException("bad key scores shape marker " + shape);
      }
      int levelCount = b.get();
      int windowSize = b.get();
      if (levelCount < 0 || levelCount > 8) {
        throw new IllegalArgumentException("bad key scores shape: " + levelCount + " levels");
      }
      if (windowSize < 1) {
        throw new IllegalArgumentException("bad key scores shape: error window " + windowSize);
      }
      long sum = 0;
      for (int j = 0; j < h.count(); j++) {
        sum += h.get(j);
      }
      // the fixed parts must fit before the arrays are allocated
      if (b.remaining() < 8 + (sum + 7) / 8 + (horizon + 7) / 8 + 2L + 2L * h.count()) {
        throw new IllegalArgumentException("key scores block is truncated");
      }
      k.allocate(h, levelCount, windowSize);
      k.ordinal = b.getLong();
      boolean[] present = getPresence(b, k.pendingSize);
      for (int slot = 0; slot < k.pendingSize; slot++) {
        if (present[slot]) {
          k.pending[slot] = b.getFloat();
          for (int l = 0; l < levelCount; l++) {
            k.pendingHalf[l * k.pendingSize + slot] = b.getFloat();
          }
        }
      }
      present = getPresence(b, horizon);
      for (int i = 0; i < horizon; i++) {
        if (present[i]) {
          k.origins[i] = b.getDouble();
        }
      }
      if (b.get() == 1) {
        getFloats(b, k.latestHalf);
      }
      long[] order = new long[windowSize];
      for (int j = 0; j < h.count(); j++) {
        int n = b.get() & 0xff;
        int nx = b.get() & 0xff;
        if (n > windowSize || nx >= windowSize || (n < windowSize && nx != n)) {
          throw new IllegalArgumentException("bad error window of horizon " + h.get(j) + ": count " + n + ", next "
              + nx);
        }
        k.count[j] = n;
        k.next[j] = nx;
        int base = j * windowSize;
        // sorted by (error, slot) as primitives: boxed indices and a comparator were a tenth of a step's time
        for (int p = 0; p < n; p++) {
          order[p] = ((long) sortable(b.getFloat()) << 32) | p;
        }
        for (int p = 0; p < n; p++) {
          k.naiveErrors[base + p] = b.getFloat();
        }
        Arrays.sort(order, 0, n);
        for (int i = 0; i < n; i++) {
          k.sortedErrors[base + i] = fromSortable((int) (order[i] >> 32));
          k.arrivalSlots[base + i] = (byte) order[i];
        }
      }
      if (b.get() == 1) {
        getFloats(b, k.tracked);
      }
      if (version >= 5 && b.get() == 1) {
        readOwnStart(k, b);
      } else {
        ownStartFromCounts(k);
      }
      if (version >= 3) {
        k.budget.read(b);
      }
      if (version >= 4) {
        k.change.read(b, version);
      }
      return k;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("key scores block is truncated", e);
    }
  }

  /**
   * Format 5 without the block: every own start was at least h steps back (any such start scores alike). Formats
   * before 5 did not keep it: a key with a full enough window is taken to have issued its own bands for h steps (it
   * did unless its window reached {@value KeyScores#MIN_OWN} errors within the last h steps before the upgrade).
   */
  static void ownStartFromCounts(KeyScores k) {
    for (int j = 0; j < k.ownFrom.length; j++) {
      k.ownFrom[j] = k.count[j] >= KeyScores.MIN_OWN ? k.ordinal - k.horizons.get(j) : Long.MAX_VALUE;
    }
  }

  private static void readOwnStart(KeyScores k, ByteBuffer b) {
    if (b.remaining() < 4L * k.ownFrom.length) {
      throw new BufferUnderflowException();
    }
    for (int j = 0; j < k.ownFrom.length; j++) {
      int age = b.getInt();
      int h = k.horizons.get(j);
      if (age < -1 || age > h || (age >= 0) != (k.count[j] >= KeyScores.MIN_OWN)) {
        throw new IllegalArgumentException("bad own-band start of horizon " + h + ": " + age + " steps ago with "
            + k.count[j] + " errors");
      }
      k.ownFrom[j] = age < 0 ? Long.MAX_VALUE : k.ordinal - age;
    }
  }

  /** Float bits whose signed order is {@link Float#compare}'s (negative values' magnitude bits flipped). */
  static int sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  static float fromSortable(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }

  private static void putPresence(ByteBuffer b, int n, java.util.function.IntPredicate present) {
    for (int i = 0; i < n; i += 8) {
      int bits = 0;
      for (int j = 0; j < 8 && i + j < n; j++) {
        if (present.test(i + j)) {
          bits |= 1 << j;
        }
      }
      b.put((byte) bits);
    }
  }

  private static boolean[] getPresence(ByteBuffer b, int n) {
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i += 8) {
      int bits = b.get();
      for (int j = 0; j < 8 && i + j < n; j++) {
        out[i + j] = (bits & (1 << j)) != 0;
      }
    }
    return out;
  }

  static void putFloats(ByteBuffer b, float[] values) {
    b.asFloatBuffer().put(values);
    b.position(b.position() + 4 * values.length);
  }

  static void getFloats(ByteBuffer b, float[] into) {
    b.asFloatBuffer().get(into);
    b.position(b.position() + 4 * into.length);
  }
}
