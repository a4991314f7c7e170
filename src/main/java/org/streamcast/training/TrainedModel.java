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
 * @param network      the trained DL4J network (window length {@code windowLength}); its output {@code h} is in units
 *                     of {@code headStart.scale()[h−1]} (the artifact's serving network has that folded in)
 * @param architecture its shape
 * @param windowLength training window length in steps
 * @param start        the untrained start ("epoch 0": the head-start baseline), its losses
 * @param epochs       one entry per epoch run
 * @param bestEpoch    the epoch whose weights were kept (1-based; 0 when no epoch beat the start)
 * @param headStart    where the output head started
 */
public record TrainedModel(
    ModelArtifact artifact,
    ComputationGraph network,
    Architecture architecture,
    int windowLength,
    EpochStats start,
    List<EpochStats> epochs,
    int bestEpoch,
    HeadStart headStart) {

  public TrainedModel {
    epochs = List.copyOf(epochs);
  }

  /** The losses of the weights that were kept: the best epoch's, or the start's when no epoch beat it. */
  public EpochStats kept() {
    return kept(start, epochs, bestEpoch);
  }

  /** The losses of epoch {@code bestEpoch} (1-based) of {@code epochs}, or {@code start}'s when it is 0. */
  static EpochStats kept(EpochStats start, List<EpochStats> epochs, int bestEpoch) {
    return bestEpoch == 0 ? start : epochs.get(bestEpoch - 1);
  }

  /** A fresh per-key forecaster for {@code key} (see {@link ForecastSession}). */
  public ForecastSession session(String key) {
    return new ForecastSession(artifact, key);
  }
}
