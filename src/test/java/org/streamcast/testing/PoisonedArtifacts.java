package org.streamcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.streamcast.model.CellType;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.LayerWeights;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Scaler;

/**
 * Hostile model artifacts, built as an attacker would: from the format's documented layout (ArtifactFormat), with a
 * valid trailer (checksum, optionally a signature) around a body that is wrong in one way.
 */
public final class PoisonedArtifacts {
  private static final int CHECKSUM = 32;

  private PoisonedArtifacts() {}

  /** A fresh Ed25519 key pair. */
  public static KeyPair keyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Issue 13's C2 record: valid magic, format version 3, then a manifest length of 2^31 (16 bytes in all). */
  public static byte[] c2Record() {
    return ByteBuffer.allocate(16).put(new byte[] {'S', 'C', 'M', 'O', 'D', 'E', 'L', 0}).putInt(3)
        .putInt(Integer.MIN_VALUE).array();
  }

  /** The body (magic to the last weight) of a format version 4 artifact. */
  public static byte[] body(byte[] v4) {
    int sig = ByteBuffer.wrap(v4).getInt(v4.length - CHECKSUM - 4);
    return Arrays.copyOf(v4, v4.length - CHECKSUM - 4 - sig - 8);
  }

  /** {@code body} with a version 4 trailer: serving version, signature by {@code key} (none when null), checksum. */
  public static byte[] seal(byte[] body, long version, PrivateKey key) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(body);
      out.writeLong(version);
      out.flush();
      byte[] sig = new byte[0];
      if (key != null) {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(bytes.toByteArray());
        sig = s.sign();
      }
      out.write(sig);
      out.writeInt(sig.length);
      out.flush();
      out.write(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body whose manifest length is {@code length}, followed by a float count of 0 and nothing else. */
  public static byte[] hugeManifestBody(int length) {
    return ByteBuffer.allocate(20).put(new byte[] {'S', 'C', 'M', 'O', 'D', 'E', 'L', 0}).putInt(4).putInt(length)
        .array();
  }

  /** {@code body} with its float count replaced by {@code count} (the manifest left as it is). */
  public static byte[] withFloatCount(byte[] body, int count) {
    byte[] out = body.clone();
    int manifest = ByteBuffer.wrap(out).getInt(12);
    ByteBuffer.wrap(out).putInt(16 + manifest, count);
    return out;
  }

  /** A servable artifact of {@code features}: one GRU layer of 4 units with seeded small random weights. */
  public static ModelArtifact random(FeatureSpec features, Instant createdAt, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int in = features.recurrentInputs();
    int h = 4;
    int gh = CellType.GRU.gates() * h;
    List<LayerWeights> layers = List.of(new LayerWeights(in, h, small(r, in * gh), small(r, h * gh), small(r, gh)));
    RecurrentNetwork net = new RecurrentNetwork(CellType.GRU, in, features.headInputs(), features.horizon(), layers,
        small(r, (h + features.headInputs()) * features.horizon()), small(r, features.horizon()));
    List<Scaler> extras = features.extraFields().stream().map(f -> new Scaler(50, 10)).toList();
    Provenance p = new Provenance("poisoned-artifacts", createdAt, createdAt, 0, 0, Map.of(), seed, Map.of(),
        Map.of(), createdAt);
    return new ModelArtifact(net, features, Map.of(), new KeyScaling(new Scaler(15, 8), extras), p);
  }

  private static float[] small(java.util.SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((r.nextDouble() - 0.5) * 0.2);
    }
    return a;
  }

  /** {@code a} with its first head bias NaN. */
  public static ModelArtifact withNaNBias(ModelArtifact a) {
    RecurrentNetwork n = a.network();
    float[] b = n.headBiases();
    b[0] = Float.NaN;
    RecurrentNetwork bad = new RecurrentNetwork(n.type(), n.recurrentInputs(), n.headInputs(), n.horizon(),
        n.layers(), n.headWeights(), b);
    return new ModelArtifact(bad, a.features(), a.keyScalers(), a.globalScaling(), a.provenance());
  }
}
