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
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentNetwork;

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
