package org.streamcast.domain;

/**
 * Missing-step policy (the spec's {@code model.gaps}; here so that the model's step logic needs no spec).
 *
 * @param policy     impute (feed the model its own one-step forecast), reset (clear the state) or skip (ignore the
 *                   calendar)
 * @param maxImputed with {@code IMPUTE}: consecutive imputed steps allowed before the state is reset
 */
public record Gaps(GapPolicy policy, int maxImputed) {
  /** Impute up to 6 consecutive missing steps, then reset. */
  public static final Gaps DEFAULT = new Gaps(GapPolicy.IMPUTE, 6);
}
