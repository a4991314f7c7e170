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
 * <p><b>Head inputs</b> (go straight to the output head), in this order:
 * <ul>
 *   <li>for each seasonal lag {@code m} and each horizon {@code h = 1..H}, the seasonal-naive forecast
 *       {@code y[t + h − m·ceil(h/m)]} expressed in target space, i.e. exactly what the head is asked to output for
 *       {@code h}. Until the key has {@code m} values of history the naive value {@code y[t]} stands in. With
 *       {@link #persistenceInputs()} it is given relative to the naive forecast (minus the next input): for levels
 *       {@code (y[t+h−m·ceil(h/m)] − y[t])/s}, for differences and returns unchanged.</li>
 *   <li>with {@link #persistenceInputs()}: the naive forecast {@code y[t]} in target space (for differences and
 *       returns that is 0), then for each seasonal lag {@code m} the change over the last {@code m} steps in target
 *       space, {@code (y[t] − y[t−m])/s} (returns: {@code (y[t]/y[t−m] − 1)/s}), 0 until the key has {@code m + 1}
 *       values. The head then expresses the naive forecast, the seasonal naive forecast and "seasonal naive plus the
 *       current deviation from last season", {@code y[t] + y[t+h−m·ceil(h/m)] − y[t−m]}, as sums of its inputs, and
 *       none of its inputs carries the level except the naive one (many inputs that all move with the level make
 *       the head's first Adam steps swing the forecast).</li>
 * </ul>
 *
 * <p><b>Outputs</b>, for {@code h = 1..H}, in target space (see {@link Target}).
 *
 * @param target       target transform
 * @param extraFields  names of the extra value fields (may be empty)
 * @param calendar     calendar features
 * @param seasonalLags seasonal lags in steps (each ≥ 1)
 * @param imputedFlag  whether the imputed flag is an input
 * @param horizon      steps forecast at once
 * @param persistenceInputs whether the head also gets the naive forecast and the change over each seasonal lag
 *                     (models written before these inputs existed have none)
 */
public record FeatureSpec(
    Target target,
    List<String> extraFields,
    List<Calendar> calendar,
    List<Integer> seasonalLags,
    boolean imputedFlag,
    int horizon,
    boolean persistenceInputs) {

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

  /** Features without the persistence head inputs (the layout of models written before they existed). */
  public FeatureSpec(Target target, List<String> extraFields, List<Calendar> calendar, List<Integer> seasonalLags,
      boolean imputedFlag, int horizon) {
    this(target, extraFields, calendar, seasonalLags, imputedFlag, horizon, false);
  }

  /** Inputs of the first recurrent layer. */
  public int recurrentInputs() {
    return 1 + extraFields.size() + 2 * calendar.size() + (imputedFlag ? 1 : 0);
  }

  /** Inputs of the output head besides the top hidden state. */
  public int headInputs() {
    return seasonalLags.size() * horizon + (persistenceInputs ? 1 + seasonalLags.size() : 0);
  }

  /** Index among the head inputs of the naive forecast (only with {@link #persistenceInputs()}). */
  public int naiveHeadInput() {
    return seasonalLags.size() * horizon;
  }

  /** Index among the head inputs of the change over seasonal lag number {@code lagIndex} (with persistence inputs). */
  public int changeHeadInput(int lagIndex) {
    return seasonalLags.size() * horizon + 1 + lagIndex;
  }

  /**
   * Target values a key must remember: enough for the longest lag (one more with persistence inputs, for
   * {@code y[t−m]}) and for differences/returns.
   */
  public int historyLength() {
    int longest = 2;
    for (int m : seasonalLags) {
      longest = Math.max(longest, persistenceInputs ? m + 1 : m);
    }
    return longest;
  }
}
