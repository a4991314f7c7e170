package org.streamcast.model;

/**
 * The most recent target values of one key (raw, unscaled), newest last: what the seasonal-lag and
 * difference/return features read. A ring buffer of fixed capacity; not thread-safe (one per key).
 */
public final class History {

  private final double[] ring;
  private int size;
  private int head;

  /** An empty history keeping the last {@code capacity} values (at least 1). */
  public History(int capacity) {
    this.ring = new double[Math.max(1, capacity)];
  }

  /** Appends the newest value, dropping the oldest when full. */
  public void push(double value) {
    ring[head] = value;
    head = (head + 1) % ring.length;
    if (size < ring.length) {
      size++;
    }
  }

  /** The value {@code k} steps back: {@code back(0)} is the newest. Requires {@code k < size()}. */
  public double back(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException("history has " + size + " values, asked for " + k + " back");
    }
    int i = head - 1 - k;
    return ring[i < 0 ? i + ring.length : i];
  }

  /** Values held (at most the capacity). */
  public int size() {
    return size;
  }

  public int capacity() {
    return ring.length;
  }

  /** The held values, oldest first. */
  public double[] toArray() {
    double[] out = new double[size];
    for (int k = 0; k < size; k++) {
      out[size - 1 - k] = back(k);
    }
    return out;
  }

  /** Forgets all values. */
  public void clear() {
    size = 0;
    head = 0;
  }
}
