package org.streamcast.model;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A key's recent covariates (the value fields besides the target), newest last, one row per step of its
 * {@link History} and pushed with it, so that a re-warm replays each step with the covariates it had. Nothing is
 * allocated until the first row with a field: a univariate key carries none. A row older than the first one pushed
 * (a state written before covariates were kept) reads as {@code NaN}, which the encoder feeds as the field's pooled
 * mean. Mutable; owned by one {@link KeyState}.
 */
public final class Covariates {
  /** The most fields a row may have when read back (a bound for corrupt bytes). */
  static final int MAX_FIELDS = 64;

  private final int capacity;
  private double[] rows;
  private int width;
  private int size;
  private int next;

  /** An empty history keeping at most {@code capacity} rows. */
  public Covariates(int capacity) {
    this.capacity = capacity;
  }

  /** Fields per row (0 until the first row). */
  public int width() {
    return width;
  }

  /** Rows kept now. */
  public int size() {
    return size;
  }

  /**
   * Appends a step's covariates; the oldest row is dropped when full. A row of another width than the kept ones (a
   * pipeline whose fields changed) starts the history over.
   */
  public void push(double[] row) {
    if (row.length == 0 && width == 0) {
      return;
    }
    if (row.length != width) {
      width = row.length;
      rows = new double[capacity * width];
      size = 0;
      next = 0;
    }
    System.arraycopy(row, 0, rows, next * width, width);
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /**
   * Appends a step's covariates where each missing one ({@code NaN}, or beyond the end of a shorter {@code row})
   * holds the newest row's value (none yet: stays missing). A wider row than the kept ones starts the history over.
   * Allocates nothing once the history has its width.
   */
  public void pushHolding(double[] row) {
    if (row.length > width || rows == null) {
      if (row.length > 0) {
        push(row);
      }
      return;
    }
    int prev = size == 0 ? -1 : (next - 1 + capacity) % capacity;
    for (int f = 0; f < width; f++) {
      double v = f < row.length ? row[f] : Double.NaN;
      rows[next * width + f] = Double.isNaN(v) && prev >= 0 ? rows[prev * width + f] : v;
    }
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** Field {@code f} of the row {@code lag} steps back (0 is the newest), {@code NaN} when there is none. */
  public double get(int lag, int f) {
    if (lag < 0 || lag >= size || f >= width) {
      return Double.NaN;
    }
    int i = next - 1 - lag;
    return rows[(i < 0 ? i + capacity : i) * width + f];
  }

  /** Writes the row {@code lag} steps back into {@code dst} ({@code NaN} where there is none). */
  public void row(int lag, double[] dst) {
    for (int f = 0; f < dst.length; f++) {
      dst[f] = get(lag, f);
    }
  }

  /** Forgets every row (the width stays). */
  public void clear() {
    size = 0;
    next = 0;
    if (rows != null) {
      Arrays.fill(rows, 0);
    }
  }

  /** The most bytes {@link #write} takes for {@code rows} rows of {@code width} fields. */
  static long maxSerializedSize(int rows, int width) {
    return 1 + 4 + 8L * rows * width;
  }

  /** Bytes {@link #write} takes. */
  int serializedSize() {
    return 1 + 4 + 8 * size * width;
  }

  /** Writes {@code byte width; int size; double[size × width] rows (oldest first)}. */
  void write(ByteBuffer b) {
    b.put((byte) width).putInt(size);
    for (int lag = size - 1; lag >= 0; lag--) {
      for (int f = 0; f < width; f++) {
        b.putDouble(get(lag, f));
      }
    }
  }

  /** Reads what {@link #write} wrote into this (empty) history, keeping the newest {@code capacity} rows. */
  void read(ByteBuffer b) {
    int w = b.get() & 0xff;
    int n = b.getInt();
    if (w > MAX_FIELDS || n < 0 || 8L * n * w > b.remaining()) {
      throw new IllegalArgumentException("covariates of " + n + " rows of " + w + " fields with " + b.remaining()
          + " bytes left");
    }
    double[] row = new double[w];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < w; f++) {
        row[f] = b.getDouble();
      }
      if (i >= n - capacity) {
        push(row);
      }
    }
  }
}
