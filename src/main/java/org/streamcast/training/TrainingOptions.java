package org.streamcast.training;

import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.GradientClipMode;

/**
 * Optimizer and regularization settings of one training run.
 *
 * @param seed         random seed (weights, shuffling, dropout)
 * @param learningRate Adam learning rate
 * @param gradientClip clipping threshold; 0 disables it
 * @param dropout      probability of dropping a recurrent layer's input; 0 disables it
 * @param l2           L2 weight decay; 0 disables it
 * @param clipMode     what {@code gradientClip} bounds: each layer's gradient L2 norm, or each gradient value
 */
public record TrainingOptions(long seed, double learningRate, double gradientClip, double dropout, double l2,
    GradientClipMode clipMode) {

  public TrainingOptions {
    java.util.Objects.requireNonNull(clipMode, "clipMode");
  }

  /** Options clipping each layer's gradient L2 norm. */
  public TrainingOptions(long seed, double learningRate, double gradientClip, double dropout, double l2) {
    this(seed, learningRate, gradientClip, dropout, l2, GradientClipMode.NORM);
  }

  /** The options of a spec's training section. */
  public static TrainingOptions of(PipelineSpec.Training t) {
    return new TrainingOptions(t.seed(), t.learningRate(), t.gradientClip(), t.dropout(), t.l2(),
        t.gradientClipMode());
  }
}
