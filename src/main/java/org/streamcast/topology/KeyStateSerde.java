package org.streamcast.topology;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.KeyState;
import org.streamcast.model.LiveProtection;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.ServingState;

/**
 * Versioned binary format of a key's state in the forecast store (and its changelog). Written as the newest version;
 * every older version stays readable.
 *
 * <p>Version 4: {@code byte 4}, then the model part in its own format ({@link KeyState#write}: hidden state, counters,
 * scale, history, latest forecast, live protection), then the quality part in its own format ({@link KeyScores#write}:
 * only what the key holds of its pending forecasts, error windows and tracked interval half-widths). Each part
 * carries its own version.
 *
 * <p>Version 1: {@code byte 1; long modelVersion; long lastStep; long observedSteps; int imputedRun;
 * double scaleMean; double scaleSpread; int n; float[n] hidden; int size; double[size] history (oldest first);
 * bytes[ceil(size/8)] imputed bits; long forecastOrigin; int h; double[h] forecast} ({@link KeyState#writeFields}).
 *
 * <p>Version 2: {@code byte 2}, the fields of version 1, then the key's live scores in their first layout
 * ({@link KeyScores#writeLegacy}). A version-1 state reads with empty scores, which the serving step shapes on the
 * key's next step.
 *
 * <p>Version 3: {@code byte 3}, the fields of version 2, then the key's live protection ({@link LiveProtection#write}).
 * Versions 1 and 2 read without it: the key starts from its model's choice on its next step. Scores read from
 * versions 2 and 3 keep their error windows; their tracked half-widths start again from the window.
 *
 * <p>A state written with another history capacity is read into this spec's capacity, keeping the newest values.
 *
 * <p>Reading never fails on bad bytes: see {@link #read}.
 */
final class KeyStateSerde {
  /** The version written. */
  static final byte VERSION = 4;
  /** How the reason of a state written by a newer format version begins. */
  static final String NEWER = "key state was written by a newer streamcast";

  private KeyStateSerde() {}

  static Serde<ServingState> serde(int historyCapacity) {
    Serializer<ServingState> ser = (topic, s) -> s == null ? null : write(s);
    Deserializer<ServingState> de = (topic, bytes) -> bytes == null ? null : read(bytes, historyCapacity);
    return Serdes.serdeFrom(ser, de);
  }

  /**
   * The most bytes a key's state of {@code spec} can take ({@link #write}): its full history with every covariate, the
   * largest recurrent state of its cell (an LSTM's cell state doubles it), full error windows and every pending
   * forecast at every level.
   */
  static long maxBytes(PipelineSpec spec) {
    PipelineSpec.Model m = spec.model();
    return 1 + KeyState.maxSerializedSize(m.historyCapacity(), 2 * m.layers() * m.hiddenSize(), m.horizon(),
        spec.input().valueFields().size() - 1)
        + KeyScores.maxSerializedSize(ScoredHorizons.of(m.horizon()), spec.intervals().size());
  }

  static byte[] write(ServingState s) {
    ByteBuffer b = ByteBuffer.allocate(1 + s.model().serializedSize() + s.quality().serializedSize());
    b.put(VERSION);
    s.model().write(b);
    s.quality().write(b);
    if (b.hasRemaining()) {
      throw new IllegalStateException("key state size miscounted: " + b.remaining() + " bytes left");
    }
    return b.array();
  }

  /** Version 3 (the format before the state was split), for tests that prove old stores stay readable. */
  static byte[] writeVersion3(ServingState s) {
    KeyState m = s.model();
    int size = m.fieldsSize();
    ByteBuffer b = ByteBuffer.allocate(1 + size + s.quality().legacySize() + m.protection().serializedSize());
    b.put((byte) 3);
    m.writeFields(b);
    s.quality().writeLegacy(b);
    m.protection().write(b);
    return b.array();
  }

  /**
   * Decodes a stored state. Never throws for bad bytes: an entry that cannot be decoded (truncated, inconsistent
   * lengths, trailing bytes, an unknown version) or one written by a newer format version gives a
   * {@link ServingState#corrupt} marker whose reason is one line, which the forecast processor turns into a fresh key.
   * Every length is checked against the bytes that remain before anything is allocated.
   */
  static ServingState read(byte[] bytes, int historyCapacity) {
    if (bytes.length == 0) {
      return ServingState.corrupt("key state entry is empty");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version > VERSION) {
      return ServingState.corrupt(newerVersion(version));
    }
    if (version < 1) {
      return ServingState.corrupt("key state has unknown format version " + version + " (" + bytes.length
          + " bytes)");
    }
    try {
      ServingState s;
      if (version == 4) {
        KeyState model = KeyState.read(b, historyCapacity);
        s = new ServingState(model, KeyScores.read(b));
      } else {
        KeyState model = KeyState.readFields(b, historyCapacity);
        KeyScores scores = version >= 2 ? KeyScores.readLegacy(b) : new KeyScores();
        if (version >= 3) {
          model.protection(LiveProtection.read(b));
        }
        s = new ServingState(model, scores);
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      return ServingState.corrupt("key state (format version " + version + ", " + bytes.length + " bytes) is corrupt: "
          + "truncated");
    } catch (IllegalArgumentException | IllegalStateException e) {
      return ServingState.corrupt("key state (format version " + version + ", " + bytes.length + " bytes) is corrupt: "
          + e.getMessage());
    }
  }

  /** The one line said about a state written by a newer streamcast (after a rollback of the software). */
  static String newerVersion(int version) {
    return NEWER + " in format version " + version + "; this version reads formats 1 to " + VERSION;
  }
}
