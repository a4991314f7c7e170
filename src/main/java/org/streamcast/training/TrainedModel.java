package org.streamcast.training;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.streamcast.model.ForecastSession;
import org.streamcast.model.ModelArtifact;

/**
 * The result of {@link Trainer#train}: the serving artifact, the DL4J network it was exported from (with the kept,
 * best weights), and the epoch history.
 *
 * @param artifact     the model to serve and save
 * @param network      the trained DL4J network (window length {@code windowLength})
 * @param architecture its shape
 * @param windowLength training window length in steps
 * @param epochs       one entry per epoch run
 * @param bestEpoch    the epoch whose weights were kept (1-based)
 */
public record TrainedModel(
    ModelArtifact artifact,
    ComputationGraph network,
    Architecture architecture,
    int windowLength,
    List<EpochStats> epochs,
    int bestEpoch) {

  public TrainedModel {
    epochs = List.copyOf(epochs);
  }

  /** A fresh per-key forecaster for {@code key} (see {@link ForecastSession}). */
  public ForecastSession session(String key) {
    return new ForecastSession(artifact, key);
  }
}
