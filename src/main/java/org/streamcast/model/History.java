package org.streamcast.model;

import java.util.Arrays;

/**
 * A key's most recent values (a ring buffer), newest last, each flagged as observed or imputed. It is what a
 * forecaster reads for seasonal lags and what re-warms a hidden state for a new model. Mutable; owned by one
 * {@link KeyState}.
 */
public final class History {
  private final double[] values;
  private final boolean[] imputed;
  private int size;
  private int next;

  /** An empty history keeping at most {@code capacity} values. */
  public History(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be >= 1, was " + capacity);
    }
    this.values = new double[capacity];
    this.imputed = new boolean[capacity];
  }

  /** The most values kept. */
  public int capacity() {
    return values.length;
  }

  /** How many values are kept now. */
  public int size() {
    return size;
  }

  /** Appends a value; the oldest is dropped when full. */
  public void push(double value, boolean wasImputed) {
    values[next] = value;
    imputed[next] = wasImputed;
    next = (next + 1) % values.length;
    if (size < values.length) {
      size++;
    }
  }

  /** The value {@code lag} steps back: 0 is the newest. */
  public double get(int lag) {
    return values[index(lag)];
  }

  /** Whether the value {@code lag} steps back was imputed. */
  public boolean imputed(int lag) {
    return imputed[index(lag)];
  }

  private int index(int lag) {
    if (lag < 0 || lag >= size) {
      throw new IndexOutOfBoundsException("lag " + lag + " outside history of " + size);
    }
    int i = next - 1 - lag;
    return i < 0 ? i + values.length : i;
  }

  /** Forgets every value. */
  public void clear() {
    size = 0;
    next = 0;
    Arrays.fill(values, 0);
    Arrays.fill(imputed, false);
  }

  /** The values oldest first (a copy), for serialization. */
  public double[] valuesOldestFirst() {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(size - 1 - i);
    }
    return out;
  }

  /** The imputed flags oldest first (a copy), for serialization. */
  public boolean[] imputedOldestFirst() {
    boolean[] out = new boolean[size];
    for (int i = 0; i < size; i++) {
      out[i] = imputed(size - 1 - i);
    }
    return out;
  }
}
