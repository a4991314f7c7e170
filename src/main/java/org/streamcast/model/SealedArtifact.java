package org.streamcast.model;

import java.util.Objects;

/**
 * An artifact as read from bytes, with what its envelope says.
 *
 * @param artifact the model, verified (lengths, shapes, finite values, checksum; its signature when a key was given)
 * @param version  the version under which it serves: the one its publisher chose, or for an artifact without one
 *                 (files from {@code train}, format versions before 4) its creation time in epoch seconds
 * @param signed   whether it carries a signature (checked only when a public key was given)
 */
public record SealedArtifact(ModelArtifact artifact, long version, boolean signed) {
  public SealedArtifact {
    Objects.requireNonNull(artifact, "artifact");
  }
}
