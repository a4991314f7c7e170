package org.streamcast.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a model came from: enough to reproduce it and to judge it.
 *
 * @param dataSource        what it was trained on (a file name, a topic)
 * @param from              earliest training time stamp
 * @param to                latest training time stamp
 * @param keys              number of keys in the training data
 * @param points            number of observations used
 * @param hyperparameters   the training settings, as text
 * @param seed              random seed
 * @param validationMetrics metrics on the validation slice (e.g. {@code val_mse})
 * @param libraryVersions   versions of the libraries that trained it
 * @param createdAt         when training finished
 * @param evaluation        how the retrainer judged it against the model in service (champion and challenger scores
 *                          on the holdout, margin, decision); empty for a model trained outside the retrainer
 */
public record Provenance(
    String dataSource,
    Instant from,
    Instant to,
    int keys,
    long points,
    Map<String, String> hyperparameters,
    long seed,
    Map<String, Double> validationMetrics,
    Map<String, String> libraryVersions,
    Instant createdAt,
    Map<String, String> evaluation) {
  public Provenance {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(createdAt, "createdAt");
    hyperparameters = Map.copyOf(new TreeMap<>(hyperparameters));
    validationMetrics = Map.copyOf(validationMetrics);
    libraryVersions = Map.copyOf(libraryVersions);
    evaluation = Map.copyOf(evaluation);
  }

  /**
   * The hyperparameter holding the step the model was trained at (ISO-8601, {@code PT1H}); absent in models trained
   * before it was recorded.
   */
  public static final String WINDOW_STEP = "window.step";

  /** Provenance of a model no retrainer has judged yet. */
  public Provenance(String dataSource, Instant from, Instant to, int keys, long points,
      Map<String, String> hyperparameters, long seed, Map<String, Double> validationMetrics,
      Map<String, String> libraryVersions, Instant createdAt) {
    this(dataSource, from, to, keys, points, hyperparameters, seed, validationMetrics, libraryVersions, createdAt,
        Map.of());
  }

  /** This provenance with the retrainer's judgement. */
  public Provenance withEvaluation(Map<String, String> judgement) {
    return new Provenance(dataSource, from, to, keys, points, hyperparameters, seed, validationMetrics,
        libraryVersions, createdAt, judgement);
  }
}
