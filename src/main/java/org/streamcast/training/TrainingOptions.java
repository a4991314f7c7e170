package org.streamcast.training;

import org.streamcast.config.PipelineSpec;

/**
 * Optimizer and regularization settings of one training run.
 *
 * @param seed         random seed (weights, shuffling, dropout)
 * @param learningRate Adam learning rate
 * @param gradientClip L2-norm clipping threshold per layer; 0 disables it
 * @param dropout      probability of dropping a recurrent layer's input; 0 disables it
 * @param l2           L2 weight decay; 0 disables it
 */
public record TrainingOptions(long seed, double learningRate, double gradientClip, double dropout, double l2) {

  /** The options of a spec's training section. */
  public static TrainingOptions of(PipelineSpec.Training t) {
    return new TrainingOptions(t.seed(), t.learningRate(), t.gradientClip(), t.dropout(), t.l2());
  }
}
