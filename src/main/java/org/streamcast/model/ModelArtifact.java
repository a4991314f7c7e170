package org.streamcast.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.streamcast.domain.UserFiles;

/**
 * A trained model as one self-describing value: the network, the features it reads, the per-key and global
 * scalers, and its provenance. Serialized by {@link ArtifactFormat} ({@link #toBytes()}: magic, format version,
 * JSON manifest, float32 weights), compact enough to travel as one Kafka record value.
 *
 * @param network       the serving network
 * @param features      inputs and outputs
 * @param keyScalers    scalers of every training key
 * @param globalScaling scalers fitted on all training keys pooled (for keys never seen in training; see
 *                      {@link ForecastSession})
 * @param provenance    where it came from
 * @param sources       which output (learned or baseline) serves each key and horizon ({@link OutputSources});
 *                      {@code null} means every output learned
 */
public record ModelArtifact(
    RecurrentNetwork network,
    FeatureSpec features,
    Map<String, KeyScaling> keyScalers,
    KeyScaling globalScaling,
    Provenance provenance,
    OutputSources sources) {

  public ModelArtifact {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(globalScaling, "globalScaling");
    Objects.requireNonNull(provenance, "provenance");
    keyScalers = Map.copyOf(new TreeMap<>(keyScalers));
    if (sources == null) {
      sources = OutputSources.allLearned(network.horizon());
    }
    if (network.recurrentInputs() != features.recurrentInputs() || network.headInputs() != features.headInputs()
        || network.horizon() != features.horizon()) {
      throw new IllegalArgumentException("network shape (" + network.recurrentInputs() + " inputs, "
          + network.headInputs() + " head inputs, horizon " + network.horizon() + ") does not match the features ("
          + features.recurrentInputs() + ", " + features.headInputs() + ", " + features.horizon() + ")");
    }
    sources.check(network.headInputs(), network.horizon());
  }

  /** An artifact whose every output is learned for every key. */
  public ModelArtifact(RecurrentNetwork network, FeatureSpec features, Map<String, KeyScaling> keyScalers,
      KeyScaling globalScaling, Provenance provenance) {
    this(network, features, keyScalers, globalScaling, provenance, null);
  }

  /**
   * Per horizon ({@code h − 1}), whether {@code key} is served the learned output (true) or its baseline, the
   * head-start candidate (false). Keys the artifact does not list get the pooled choice.
   */
  public boolean[] learnedHorizons(String key) {
    return sources.learned(key);
  }

  /** This artifact with other output sources. */
  public ModelArtifact withSources(OutputSources newSources) {
    return new ModelArtifact(network, features, keyScalers, globalScaling, provenance, newSources);
  }

  /** The artifact as bytes (current format version). */
  public byte[] toBytes() {
    return ArtifactFormat.write(this);
  }

  /** Reads an artifact written by this or any older format version. */
  public static ModelArtifact fromBytes(byte[] bytes) {
    return ArtifactFormat.read(bytes);
  }

  /** Writes the artifact to a file. */
  public void write(Path file) throws IOException {
    Files.write(file, toBytes());
  }

  /**
   * Reads and verifies an artifact file, with its signature when {@code publicKey} is not {@code null}; a file that
   * is not a valid artifact fails with a one-line message.
   */
  public static SealedArtifact open(Path file, java.security.PublicKey publicKey) throws IOException {
    try {
      return ArtifactFormat.open(UserFiles.read(file, ArtifactFormat.MAX_FILE_BYTES, "a model artifact"), publicKey);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads an artifact file; a file that is not an artifact fails with a one-line message. */
  public static ModelArtifact read(Path file) throws IOException {
    try {
      return fromBytes(UserFiles.read(file, ArtifactFormat.MAX_FILE_BYTES, "a model artifact"));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new IOException(file + ": " + e.getCause().getMessage(), e);
    }
  }
}
