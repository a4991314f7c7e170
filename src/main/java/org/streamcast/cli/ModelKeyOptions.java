package org.streamcast.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import org.streamcast.config.SpecException;
import org.streamcast.model.ArtifactSigning;
import org.streamcast.registry.ModelKeys;
import picocli.CommandLine.Option;

/**
 * {@code --model-public-key} and {@code --signing-key}: Ed25519 keys as PEM files, as OpenSSL writes them
 * ({@code openssl genpkey -algorithm ed25519 -out signing.pem}, then
 * {@code openssl pkey -in signing.pem -pubout -out public.pem}). The variables {@code STREAMCAST_MODEL_PUBLIC_KEY}
 * and {@code STREAMCAST_SIGNING_KEY} give them when the flag does not.
 */
public final class ModelKeyOptions {
  static final String PUBLIC_KEY_VARIABLE = "STREAMCAST_MODEL_PUBLIC_KEY";
  static final String SIGNING_KEY_VARIABLE = "STREAMCAST_SIGNING_KEY";

  @Option(names = "--model-public-key", paramLabel = "FILE",
      description = "Take models into service only when signed by the matching private key (Ed25519 public key, "
          + "PEM, e.g. from `openssl pkey -in signing.pem -pubout`; env " + PUBLIC_KEY_VARIABLE + ").")
  Path publicKey;

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Sign the models this command publishes (Ed25519 private key, PEM, e.g. from `openssl genpkey "
          + "-algorithm ed25519`; env " + SIGNING_KEY_VARIABLE + ").")
  Path signingKey;

  /** The keys from the flags, else the variables; a file that is not such a key is a one-line error (exit 2). */
  ModelKeys keys(Map<String, String> env) {
    return new ModelKeys(publicKey(publicKey, env), signingKey(signingKey, env));
  }

  static PublicKey publicKey(Path flag, Map<String, String> env) {
    Path file = pick(flag, env.get(PUBLIC_KEY_VARIABLE));
    try {
      return file == null ? null : ArtifactSigning.readPublicKey(file);
    } catch (IOException e) {
      throw new SpecException("--model-public-key: " + oneLine(e, file));
    }
  }

  static PrivateKey signingKey(Path flag, Map<String, String> env) {
    Path file = pick(flag, env.get(SIGNING_KEY_VARIABLE));
    try {
      return file == null ? null : ArtifactSigning.readPrivateKey(file);
    } catch (IOException e) {
      throw new SpecException("--signing-key: " + oneLine(e, file));
    }
  }

  private static Path pick(Path flag, String variable) {
    return flag != null ? flag : variable == null || variable.isBlank() ? null : Path.of(variable);
  }

  private static String oneLine(IOException e, Path file) {
    return e instanceof java.nio.file.NoSuchFileException ? file + ": no such file" : e.getMessage();
  }
}
