package org.streamcast.serving;

import java.util.Objects;
import org.streamcast.model.KeyState;
import org.streamcast.quality.KeyScores;

/**
 * One key's state, split by how it changes: the model part ({@link KeyState}: hidden state, last step, history,
 * scale, latest forecast, live protection) and the quality part ({@link KeyScores}: pending forecasts, error windows,
 * tracked interval half-widths). Each part owns its own versioned format. Mutable, owned by one thread at a time.
 */
public final class ServingState {
  private final KeyState model;
  private final KeyScores quality;
  private final String corruption;

  /** A new key with room for {@code historyCapacity} values; nothing of its quality part is allocated yet. */
  public ServingState(int historyCapacity) {
    this(new KeyState(historyCapacity), new KeyScores());
  }

  /** A key made of its two parts (read from the store). */
  public ServingState(KeyState model, KeyScores quality) {
    this.model = Objects.requireNonNull(model, "model");
    this.quality = Objects.requireNonNull(quality, "quality");
    this.corruption = null;
  }

  private ServingState(String corruption) {
    this.model = new KeyState(1);
    this.quality = new KeyScores();
    this.corruption = corruption;
  }

  /**
   * A marker for a stored entry that could not be decoded (corrupt bytes, or a format newer than this version reads):
   * the store's reader returns it instead of failing, and the stream processor starts the key over.
   *
   * @param why one line saying what is wrong with the entry
   */
  public static ServingState corrupt(String why) {
    return new ServingState(Objects.requireNonNull(why, "why"));
  }

  /** Why this is a {@link #corrupt} marker, or null for a real state. */
  public String corruption() {
    return corruption;
  }

  /** The model part. */
  public KeyState model() {
    return model;
  }

  /** The quality part. */
  public KeyScores quality() {
    return quality;
  }

  /** Whether the key has forecast since it was new or last reset. */
  public boolean isWarm() {
    return model.forecastOrigin() != KeyState.NO_STEP;
  }

  @Override
  public String toString() {
    return corruption != null ? "ServingState[corrupt: " + corruption + "]" : "ServingState[" + model + "]";
  }
}
