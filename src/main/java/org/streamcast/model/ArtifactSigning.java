package org.streamcast.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.streamcast.domain.UserFiles;

/**
 * Ed25519 signatures of model artifacts, from the JDK. Keys are PEM files as OpenSSL writes them:
 * <pre>
 *   openssl genpkey -algorithm ed25519 -out model-signing.pem           (private, PKCS#8 "PRIVATE KEY")
 *   openssl pkey -in model-signing.pem -pubout -out model-public.pem     (public, X.509 "PUBLIC KEY")
 * </pre>
 */
public final class ArtifactSigning {
  private static final String ALGORITHM = "Ed25519";
  /** A PEM key file is a few hundred bytes; anything much larger is not one. */
  private static final int MAX_KEY_FILE_BYTES = 64 << 10;

  private ArtifactSigning() {}

  /** Reads an Ed25519 public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}). */
  public static PublicKey readPublicKey(Path file) throws IOException {
    byte[] der = pem(file, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not an Ed25519 public key (" + e.getMessage() + ")");
    }
  }

  /** Reads an Ed25519 private key from a PEM file ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8). */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = pem(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not an Ed25519 private key (" + e.getMessage() + ")");
    }
  }

  /** The PEM encoding of a key (what OpenSSL writes), for tests and tools. */
  public static String pem(java.security.Key key) {
    String label = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] pem(Path file, String label) throws IOException {
    String text = new String(UserFiles.read(file, MAX_KEY_FILE_BYTES, "a PEM key file"), StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + ": not a PEM file with a " + label + " block (make one with `openssl genpkey "
          + "-algorithm ed25519`)");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the " + label + " block is not base64");
    }
  }

  /** Signs {@code bytes}. */
  static byte[] sign(PrivateKey key, byte[] bytes) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(bytes);
      return s.sign();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  /** Whether {@code signature} signs {@code bytes[0 .. length)} under {@code key}. */
  static boolean verify(PublicKey key, byte[] bytes, int length, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(bytes, 0, length);
      return s.verify(signature);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
