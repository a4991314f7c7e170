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
    Instant createdAt) {
  public Provenance {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(createdAt, "createdAt");
    hyperparameters = Map.copyOf(new TreeMap<>(hyperparameters));
    validationMetrics = Map.copyOf(validationMetrics);
    libraryVersions = Map.copyOf(libraryVersions);
  }
}
