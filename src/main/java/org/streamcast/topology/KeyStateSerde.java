package org.streamcast.topology;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.model.History;
import org.streamcast.model.KeyState;
import org.streamcast.model.LiveProtection;
import org.streamcast.quality.KeyScores;

/**
 * Compact, versioned binary format of a key's state in the forecast store (and its changelog). Written as the
 * newest version; every older version stays readable.
 *
 * <p>Version 1: {@code byte 1; long modelVersion; long lastStep; long observedSteps; int imputedRun;
 * double scaleMean; double scaleSpread; int n; float[n] hidden; int size; double[size] history (oldest first);
 * bytes[ceil(size/8)] imputed bits; long forecastOrigin; int h; double[h] forecast}.
 *
 * <p>Version 2: {@code byte 2}, the fields of version 1, then the key's live scores ({@link KeyScores#write}: the
 * pending forecasts with their interval half-widths, the origin actuals, the error windows). A version-1 state reads
 * with empty scores, which the forecast processor shapes on the key's next step.
 *
 * <p>Version 3: {@code byte 3}, the fields of version 2, then the key's live protection ({@link LiveProtection#write}:
 * per horizon the source serving it and the evidence for it). Versions 1 and 2 read without it: the key starts from
 * its model's choice on its next step.
 *
 * <p>A state written with another history capacity is read into this spec's capacity, keeping the newest values.
 *
 * <p>Reading never fails on bad bytes: see {@link #read}.
 */
final class KeyStateSerde {
  /** The version written. */
  static final byte VERSION = 3;
  /** How the reason of a state written by a newer format version begins. */
  static final String NEWER = "key state was written by a newer streamcast";

  private KeyStateSerde() {}

  static Serde<KeyState> serde(int historyCapacity) {
    Serializer<KeyState> ser = (topic, s) -> s == null ? null : write(s);
    Deserializer<KeyState> de = (topic, bytes) -> bytes == null ? null : read(bytes, historyCapacity);
    return Serdes.serdeFrom(ser, de);
  }

  static byte[] write(KeyState s) {
    float[] hidden = s.hidden();
    History h = s.history();
    int size = h.size();
    double[] forecast = s.forecast();
    KeyScores scores = s.scores();
    ByteBuffer b = ByteBuffer.allocate(1 + 8 * 3 + 4 + 8 * 2 + 4 + 4 * hidden.length + 4 + 8 * size
        + (size + 7) / 8 + 8 + 4 + 8 * forecast.length + scores.serializedSize()
        + s.protection().serializedSize());
    b.put(VERSION).putLong(s.modelVersion()).putLong(s.lastStep()).putLong(s.observedSteps())
        .putInt(s.imputedRun()).putDouble(s.scaleMean()).putDouble(s.scaleSpread());
    b.putInt(hidden.length);
    for (float f : hidden) {
      b.putFloat(f);
    }
    b.putInt(size);
    for (double v : h.valuesOldestFirst()) {
      b.putDouble(v);
    }
    boolean[] imputed = h.imputedOldestFirst();
    for (int i = 0; i < size; i += 8) {
      int bits = 0;
      for (int j = 0; j < 8 && i + j < size; j++) {
        if (imputed[i + j]) {
          bits |= 1 << j;
        }
      }
      b.put((byte) bits);
    }
    b.putLong(s.forecastOrigin()).putInt(forecast.length);
    for (double v : forecast) {
      b.putDouble(v);
    }
    scores.write(b);
    s.protection().write(b);
    return b.array();
  }

  /**
   * Decodes a stored state. Never throws for bad bytes: an entry that cannot be decoded (truncated, inconsistent
   * lengths, trailing bytes, an unknown version) or one written by a newer format version gives a
   * {@link KeyState#corrupt} marker whose reason is one line, which the forecast processor turns into a fresh key.
   * Every length is checked against the bytes that remain before anything is allocated.
   */
  static KeyState read(byte[] bytes, int historyCapacity) {
    if (bytes.length == 0) {
      return KeyState.corrupt("key state entry is empty");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version > VERSION) {
      return KeyState.corrupt(newerVersion(version));
    }
    if (version < 1) {
      return KeyState.corrupt("key state has unknown format version " + version + " (" + bytes.length + " bytes)");
    }
    try {
      KeyState s = readVersion1Fields(b, historyCapacity);
      if (version >= 2) {
        s.scores(KeyScores.read(b));
      }
      if (version >= 3) {
        s.protection(LiveProtection.read(b));
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      return KeyState.corrupt("key state (format version " + version + ", " + bytes.length + " bytes) is corrupt: "
          + "truncated");
    } catch (IllegalArgumentException | IllegalStateException e) {
      return KeyState.corrupt("key state (format version " + version + ", " + bytes.length + " bytes) is corrupt: "
          + e.getMessage());
    }
  }

  /** The one line said about a state written by a newer streamcast (after a rollback of the software). */
  static String newerVersion(int version) {
    return NEWER + " in format version " + version + "; this version reads formats 1 to " + VERSION;
  }

  /** A length read from {@code b}, checked: at least 0 and {@code unit} bytes each no more than what remains. */
  private static int length(ByteBuffer b, int unit, String what) {
    int n = b.getInt();
    if (n < 0 || (long) n * unit > b.remaining()) {
      throw new IllegalArgumentException(what + " length " + n + " with " + b.remaining() + " bytes left");
    }
    return n;
  }

  private static KeyState readVersion1Fields(ByteBuffer b, int historyCapacity) {
    KeyState s = new KeyState(historyCapacity);
    long modelVersion = b.getLong();
    s.lastStep(b.getLong());
    long observed = b.getLong();
    int imputedRun = b.getInt();
    s.restoreCounters(observed, imputedRun);
    s.scale(b.getDouble(), b.getDouble());
    float[] hidden = new float[length(b, 4, "hidden state")];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = b.getFloat();
    }
    s.hidden(hidden, modelVersion);
    int size = b.getInt();
    if (size < 0 || 8L * size + (size + 7L) / 8 > b.remaining()) {
      throw new IllegalArgumentException("history length " + size + " with " + b.remaining() + " bytes left");
    }
    double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      values[i] = b.getDouble();
    }
    byte[] bits = new byte[(size + 7) / 8];
    b.get(bits);
    for (int i = Math.max(0, size - historyCapacity); i < size; i++) {
      s.history().push(values[i], (bits[i / 8] & (1 << (i % 8))) != 0);
    }
    long origin = b.getLong();
    double[] forecast = new double[length(b, 8, "forecast")];
    for (int i = 0; i < forecast.length; i++) {
      forecast[i] = b.getDouble();
    }
    if (origin != KeyState.NO_STEP) {
      s.forecast(origin, forecast);
    }
    return s;
  }
}
