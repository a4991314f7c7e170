package org.streamcast.model;

import java.util.List;
import java.util.Objects;

/**
 * What a model reads and predicts at each step, shared by training and serving (both encode through
 * {@link FeatureEncoder}, so they cannot drift apart).
 *
 * <p><b>Recurrent inputs</b>, in this order: the scaled target value in target space; each extra value field,
 * scaled; a sine/cosine pair per calendar feature; the imputed-step flag (1 imputed, 0 observed) if enabled.
 *
 * <p><b>Head inputs</b> (go straight to the output head): for each seasonal lag {@code m} and each horizon
 * {@code h = 1..H}, the seasonal-naive forecast {@code y[t + h − m·ceil(h/m)]} expressed in target space, i.e.
 * exactly what the head is asked to output for {@code h}. Until the key has {@code m} values of history the
 * naive value {@code y[t]} stands in.
 *
 * <p><b>Outputs</b>, for {@code h = 1..H}, in target space (see {@link Target}).
 *
 * @param target       target transform
 * @param extraFields  names of the extra value fields (may be empty)
 * @param calendar     calendar features
 * @param seasonalLags seasonal lags in steps (each ≥ 1)
 * @param imputedFlag  whether the imputed flag is an input
 * @param horizon      steps forecast at once
 */
public record FeatureSpec(
    Target target,
    List<String> extraFields,
    List<Calendar> calendar,
    List<Integer> seasonalLags,
    boolean imputedFlag,
    int horizon) {

  /**
   * Target space, with {@code s} the key's target scaler and {@code y[t]} the latest value.
   * <ul>
   *   <li>{@code LEVEL}: input {@code (y[t] − c)/s}; output {@code (y[t+h] − c)/s}.
   *   <li>{@code DIFFERENCE}: input {@code (y[t] − y[t−1])/s}; output {@code (y[t+h] − y[t])/s}; center 0.
   *   <li>{@code RETURN}: input {@code (y[t]/y[t−1] − 1)/s}; output {@code (y[t+h]/y[t] − 1)/s}; center 0. A zero
   *       denominator gives 0 (no change).
   * </ul>
   */
  public enum Target { LEVEL, DIFFERENCE, RETURN }

  /** Calendar features (UTC), each given as {@code sin(2πφ), cos(2πφ)} of its phase {@code φ ∈ [0, 1)}. */
  public enum Calendar { TIME_OF_DAY, DAY_OF_WEEK, DAY_OF_YEAR }

  public FeatureSpec {
    Objects.requireNonNull(target, "target");
    extraFields = List.copyOf(extraFields);
    calendar = List.copyOf(calendar);
    seasonalLags = List.copyOf(seasonalLags);
    for (int m : seasonalLags) {
      if (m < 1) {
        throw new IllegalArgumentException("seasonal lag must be at least 1: " + m);
      }
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1: " + horizon);
    }
  }

  /** Inputs of the first recurrent layer. */
  public int recurrentInputs() {
    return 1 + extraFields.size() + 2 * calendar.size() + (imputedFlag ? 1 : 0);
  }

  /** Inputs of the output head besides the top hidden state. */
  public int headInputs() {
    return seasonalLags.size() * horizon;
  }

  /** Target values a key must remember: enough for the longest lag and for differences/returns. */
  public int historyLength() {
    int longest = 2;
    for (int m : seasonalLags) {
      longest = Math.max(longest, m);
    }
    return longest;
  }
}
