package org.streamcast.model;

import java.util.Objects;

/**
 * The weights of one recurrent layer in the serving layout: gate blocks side by side (order given by
 * {@link CellType}), matrices input-major (row {@code j} holds the weights from input {@code j} to all gate units).
 *
 * @param inputs inputs of the layer (features, or the hidden size of the layer below)
 * @param hidden hidden units
 * @param wx     {@code [inputs][gates·hidden]} row-major: {@code wx[j·G·H + g·H + k]}
 * @param wh     {@code [hidden][gates·hidden]} row-major
 * @param b      {@code [gates·hidden]}
 */
public record LayerWeights(int inputs, int hidden, float[] wx, float[] wh, float[] b) {

  /** Checks the array lengths against {@code type}'s gate count. */
  public LayerWeights validate(CellType type) {
    Objects.requireNonNull(type, "type");
    int gh = type.gates() * hidden;
    if (inputs < 1 || hidden < 1) {
      throw new IllegalArgumentException("layer sizes must be positive: inputs=" + inputs + ", hidden=" + hidden);
    }
    check("wx", wx, inputs * gh);
    check("wh", wh, hidden * gh);
    check("b", b, gh);
    return this;
  }

  private static void check(String name, float[] a, int expected) {
    if (a == null || a.length != expected) {
      throw new IllegalArgumentException(
          name + " has " + (a == null ? "no" : String.valueOf(a.length)) + " values, expected " + expected);
    }
  }
}
