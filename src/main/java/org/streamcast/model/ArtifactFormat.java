package org.streamcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Map;

/**
 * The model artifact file format. Layout (big-endian):
 * <pre>
 *   8 bytes   magic "SCMODEL\0"
 *   int32     format version (this class writes {@value #CURRENT_VERSION})
 *   int32     manifest length n (at most {@value #MAX_MANIFEST_BYTES}), then n bytes of UTF-8 JSON: architecture,
 *             features, scalers, provenance and the list of weight tensors (name, length) in the order they follow
 *   int32     float count m, then m float32 values: the tensors concatenated
 *   -- the body ends here; version 4 adds the trailer: --
 *   int64     serving version chosen by the publisher (0: none, the artifact serves as its creation time in epoch
 *             seconds)
 *   s bytes   Ed25519 signature of everything before it (body and serving version), s = 0 (unsigned) or 64
 *   int32     s
 *   32 bytes  SHA-256 of everything before it
 * </pre>
 * Tensors: {@code layer<l>.wx}, {@code layer<l>.wh}, {@code layer<l>.b} for each layer (layout on
 * {@link LayerWeights}), then {@code head.w}, {@code head.b} (layout on {@link RecurrentNetwork}).
 *
 * <p>Reading verifies completely before anything is built, and allocates nothing a length read from the bytes asks
 * for before checking it against what remains: magic and version, then (version 4) the checksum and, with a public
 * key, the signature; then the lengths, the manifest, every tensor's size against the architecture, and every weight
 * and scaler finite ({@link ArtifactManifest}: the manifest's content and its checks). A fault throws
 * {@link ArtifactException} with its {@link Rejection} and one line.
 *
 * <p>A reader handles every version up to its own. Versions:
 * <ul>
 *   <li>1: the first.</li>
 *   <li>2: adds the provenance's {@code evaluation} (the retrainer's judgement), which reads as empty from a version 1
 *       file.</li>
 *   <li>3: adds {@code features.persistenceInputs} ({@link FeatureSpec#persistenceInputs()}), which reads as
 *       {@code false} from older files.</li>
 *   <li>4: adds the trailer (serving version, optional signature, checksum) and {@code sources}
 *       ({@link OutputSources}: the baseline per horizon, the pooled and per-key choice between learned output and
 *       baseline), written only when a baseline is known. Older files have no checksum, serve as their creation time,
 *       count as unsigned and read as every output learned.</li>
 *   <li>5: adds {@code sources.smoothing}, the per-key exponential smoothing baselines ({@link KeyBaselineFormat});
 *       older files have none.</li>
 *   <li>6: adds the autoregression as a key's own baseline ({@code form: "ar"} under {@code sources.smoothing});
 *       an entry without {@code form} is a smoothing.</li>
 * </ul>
 */
public final class ArtifactFormat {

  /** The version {@link #write} produces (and the newest {@link #read} understands). */
  public static final int CURRENT_VERSION = 6;
  /** The largest manifest a reader accepts (the scalers of a few hundred thousand keys). */
  public static final int MAX_MANIFEST_BYTES = 48 << 20;

  /** The largest artifact file read: what the model topic holds (its {@code max.message.bytes}). */
  public static final int MAX_FILE_BYTES = 64 << 20;

  private static final byte[] MAGIC = {'S', 'C', 'M', 'O', 'D', 'E', 'L', 0};
  private static final int HEADER = MAGIC.length + 4;
  private static final int CHECKSUM_BYTES = 32;
  private static final int SIGNATURE_BYTES = 64;
  /** Serving version and signature length. */
  private static final int TRAILER_FIXED = 8 + 4 + CHECKSUM_BYTES;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactFormat() {}

  /** Serializes an artifact in the current format, unsigned, without a serving version. */
  public static byte[] write(ModelArtifact a) {
    return write(a, 0, null);
  }

  /**
   * Serializes an artifact in the current format.
   *
   * @param servingVersion the version it is to serve under (positive), or 0 for its creation time
   * @param signingKey     an Ed25519 private key to sign it with, or {@code null} for an unsigned artifact
   */
  public static byte[] write(ModelArtifact a, long servingVersion, PrivateKey signingKey) {
    if (servingVersion < 0) {
      throw new IllegalArgumentException("serving version must not be negative: " + servingVersion);
    }
    byte[] body = body(a);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + TRAILER_FIXED + SIGNATURE_BYTES);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(body);
      out.writeLong(servingVersion);
      out.flush();
      byte[] signature = signingKey == null ? new byte[0] : ArtifactSigning.sign(signingKey, bytes.toByteArray());
      out.write(signature);
      out.writeInt(signature.length);
      out.flush();
      out.write(sha256(bytes.toByteArray(), bytes.size()));
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] body(ModelArtifact a) {
    Map<String, float[]> tensors = ArtifactManifest.tensors(a.network());
    int total = 0;
    for (float[] t : tensors.values()) {
      total += t.length;
    }
    try {
      byte[] manifest = JSON.writeValueAsBytes(ArtifactManifest.of(a, CURRENT_VERSION, tensors));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(manifest.length + 4 * total + 32);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(CURRENT_VERSION);
      out.writeInt(manifest.length);
      out.write(manifest);
      out.writeInt(total);
      for (float[] t : tensors.values()) {
        for (float v : t) {
          out.writeFloat(v);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and verifies an artifact of any known format version, without a signature check. */
  public static ModelArtifact read(byte[] bytes) {
    return open(bytes, null).artifact();
  }

  /**
   * Reads and verifies an artifact of any known format version.
   *
   * @param publicKey when not {@code null}, only an artifact signed by the matching private key is accepted
   * @throws ArtifactException naming what is wrong, with the class of fault
   */
  public static SealedArtifact open(byte[] bytes, PublicKey publicKey) {
    if (bytes == null || bytes.length < HEADER || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ArtifactException(Rejection.UNREADABLE, "not a streamcast model artifact (bad magic)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int version = in.getInt(MAGIC.length);
    if (version < 1 || version > CURRENT_VERSION) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact format version " + version
          + " is not supported: this streamcast reads format versions 1 to " + CURRENT_VERSION
          + (version > CURRENT_VERSION ? " (the artifact was written by a newer streamcast)" : ""));
    }
    int bodyEnd = bytes.length;
    long servingVersion = 0;
    boolean signed = false;
    if (version >= 4) {
      if (bytes.length < HEADER + 8 + TRAILER_FIXED) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated: " + bytes.length + " bytes");
      }
      int sumAt = bytes.length - CHECKSUM_BYTES;
      if (!MessageDigest.isEqual(sha256(bytes, sumAt), Arrays.copyOfRange(bytes, sumAt, bytes.length))) {
        throw new ArtifactException(Rejection.CHECKSUM,
            "model artifact checksum does not match its content (corrupted or truncated)");
      }
      int sigLength = in.getInt(sumAt - 4);
      if (sigLength != 0 && sigLength != SIGNATURE_BYTES
          || sumAt - 4 - sigLength - 8 < HEADER + 8) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact trailer is malformed (signature length "
            + sigLength + ")");
      }
      int versionAt = sumAt - 4 - sigLength - 8;
      servingVersion = in.getLong(versionAt);
      if (servingVersion < 0) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact has a negative serving version "
            + servingVersion);
      }
      signed = sigLength > 0;
      if (publicKey != null) {
        if (!signed) {
          throw new ArtifactException(Rejection.SIGNATURE, "model artifact is unsigned and a public key is "
              + "configured");
        }
        if (!ArtifactSigning.verify(publicKey, bytes, versionAt + 8,
            Arrays.copyOfRange(bytes, versionAt + 8, versionAt + 8 + sigLength))) {
          throw new ArtifactException(Rejection.SIGNATURE, "model artifact signature does not match the "
              + "configured public key");
        }
      }
      bodyEnd = versionAt;
    } else if (publicKey != null) {
      throw new ArtifactException(Rejection.SIGNATURE, "model artifact format version " + version
          + " carries no signature and a public key is configured");
    }
    ModelArtifact artifact = body(bytes, in, bodyEnd);
    long served = servingVersion > 0 ? servingVersion : artifact.provenance().createdAt().getEpochSecond();
    return new SealedArtifact(artifact, served, signed);
  }

  /** The body in {@code [HEADER, end)}: lengths checked against what remains before anything is allocated. */
  private static ModelArtifact body(byte[] bytes, ByteBuffer in, int end) {
    int pos = HEADER;
    if (end - pos < 4) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated before its manifest");
    }
    int manifestLength = in.getInt(pos);
    pos += 4;
    long room = end - pos - 4L;
    if (manifestLength < 2 || manifestLength > MAX_MANIFEST_BYTES || manifestLength > room) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated or malformed: manifest length "
          + manifestLength + " (" + Math.max(0, room) + " bytes remain, at most " + MAX_MANIFEST_BYTES + " allowed)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes, pos, manifestLength);
    } catch (IOException e) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest is not valid JSON: "
          + oneLine(e.getMessage()));
    }
    pos += manifestLength;
    int count = in.getInt(pos);
    pos += 4;
    if (count < 0 || 4L * count != end - pos) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated or malformed: " + count
          + " weights announced, " + (end - pos) + " bytes remain");
    }
    float[] weights = new float[count];
    ByteBuffer floats = ByteBuffer.wrap(bytes, pos, end - pos).slice();
    floats.asFloatBuffer().get(weights);
    try {
      return ArtifactManifest.read(root, weights);
    } catch (ArtifactException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest is malformed: "
          + oneLine(String.valueOf(e.getMessage())));
    }
  }

  private static String oneLine(String s) {
    String line = s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(bytes, 0, length);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

}
