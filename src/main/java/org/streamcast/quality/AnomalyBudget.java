package org.streamcast.quality;

import java.nio.ByteBuffer;

/**
 * One key's anomaly rate limit: a token bucket in event time holding at most {@code max(1, perHour)} tokens and
 * refilled at {@code perHour} tokens an hour of the key's step times. Each published anomaly takes a token; without
 * one the anomaly is suppressed (counted, not published). Event time, not the wall clock, so that a replay and a
 * backtest publish the same anomalies as the live stream, and a stuck sensor costs at most the limit however fast its
 * steps come. Kept in the key's {@link KeyScores} (persisted with them); a key reset keeps it, so a sensor that keeps
 * breaking does not earn a fresh bucket. Mutable, owned by one thread at a time.
 */
public final class AnomalyBudget {
  private static final double HOUR_MS = 3_600_000.0;
  /** The most tokens a bucket holds (the spec's largest rate, one a second); bounds what is read back. */
  static final double MAX_TOKENS = 3600;

  /** Tokens left; NaN: the bucket was never used (full). */
  private double tokens = Double.NaN;
  /** The step time the tokens were counted at. */
  private long at;

  /** Whether the bucket was never used (then it is not persisted). */
  public boolean isFull() {
    return Double.isNaN(tokens);
  }

  /** Tokens left at the last take (the capacity while never used). */
  public double tokens(double perHour) {
    return isFull() ? capacity(perHour) : tokens;
  }

  private static double capacity(double perHour) {
    return Math.max(1, perHour);
  }

  /**
   * Refills the bucket up to {@code time} (a step's start, epoch ms) and takes a token if one is there.
   *
   * @return whether the anomaly may be published
   */
  public boolean take(long time, double perHour) {
    double cap = capacity(perHour);
    double t;
    if (isFull()) {
      t = cap;
    } else {
      // steps only move forward; an earlier time (never from the serving step) refills nothing
      t = Math.min(cap, tokens + Math.max(0, time - at) * perHour / HOUR_MS);
    }
    at = isFull() ? time : Math.max(at, time);
    boolean allowed = t >= 1;
    tokens = allowed ? t - 1 : t;
    return allowed;
  }

  /** The most bytes {@link #write} takes. */
  static final int MAX_SERIALIZED = 1 + 8 + 8;

  /** Bytes {@link #write} takes. */
  int serializedSize() {
    return isFull() ? 1 : 1 + 8 + 8;
  }

  /** {@code byte 0} (never used), or {@code byte 1; double tokens; long at}. */
  void write(ByteBuffer b) {
    if (isFull()) {
      b.put((byte) 0);
    } else {
      b.put((byte) 1).putDouble(tokens).putLong(at);
    }
  }

  /** Reads what {@link #write} wrote into this bucket; bad bytes give an {@link IllegalArgumentException}. */
  void read(ByteBuffer b) {
    byte marker = b.get();
    if (marker == 0) {
      tokens = Double.NaN;
      return;
    }
    if (marker != 1) {
      throw new IllegalArgumentException("bad anomaly budget marker " + marker);
    }
    double t = b.getDouble();
    if (!(t >= 0 && t <= MAX_TOKENS)) {
      throw new IllegalArgumentException("bad anomaly budget: " + t + " tokens");
    }
    tokens = t;
    at = b.getLong();
  }
}
