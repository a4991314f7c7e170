package org.streamcast.registry;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The Ed25519 keys of a process that reads or publishes models; either may be absent ({@code null}).
 *
 * @param publicKey  models are taken into service (and read as the champion) only when signed by its private key
 * @param signingKey models this process publishes are signed with it
 */
public record ModelKeys(PublicKey publicKey, PrivateKey signingKey) {
  /** No keys: models are neither checked for nor given a signature. */
  public static final ModelKeys NONE = new ModelKeys(null, null);
}
