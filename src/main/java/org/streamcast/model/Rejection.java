package org.streamcast.model;

import java.util.Locale;

/**
 * Why a model record was not taken into service; the wire name is the {@code reason} tag of
 * {@code streamcast_models_rejected_total}. A bounded set: every rejection is one of these.
 */
public enum Rejection {
  /** Not an artifact, a format version this streamcast does not read, a length past the end, bad JSON. */
  UNREADABLE,
  /** The body does not match the checksum in its trailer (corrupted or truncated in transit). */
  CHECKSUM,
  /** A weight or scaler is NaN or infinite. */
  NOT_FINITE,
  /** A tensor's size does not match the architecture, or the network does not match its features. */
  SHAPE,
  /** A public key is configured and the artifact is unsigned or not signed by the matching private key. */
  SIGNATURE,
  /** A valid artifact this pipeline cannot serve (horizon, history, value fields the spec lacks). */
  UNSERVABLE,
  /** Its version is not above the one in service (a replay or a publisher's clock running behind). */
  STALE_VERSION,
  /**
   * Its version is further ahead of the reader's clock than a publisher stamps one (versions are creation seconds):
   * a version near the largest long left no version above it, so nothing could replace or roll back the model.
   */
  FUTURE_VERSION,
  /** A model record without a key: it names no pipeline. */
  NO_KEY;

  /** The tag value: lower case with dashes. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
