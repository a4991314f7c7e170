package org.streamcast.training;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The loss of a network on training windows' scored positions.
 *
 * @param scaled     the mean squared error per output in units of the output scales (what training minimizes)
 * @param target     the mean squared error in scaled target space
 * @param perHorizon the mean squared error of each output {@code h = 1..H} in scaled target space
 * @param squaredErrors per output, the squared error of every scored position in scaled target space, in the
 *                   same order for every network scored on the same windows (what the paired test compares);
 *                   empty unless asked for
 */
record WindowLoss(double scaled, double target, double[] perHorizon, double[][] squaredErrors) {

  /** No windows to score: the scaled loss given, NaN elsewhere. */
  static WindowLoss none(double scaled, int horizon) {
    double[] nan = new double[horizon];
    Arrays.fill(nan, Double.NaN);
    return new WindowLoss(scaled, Double.NaN, nan, new double[horizon][0]);
  }

  /**
   * Scores {@code net} on {@code windows} in batches of {@code batchSize}; {@code scale} turns each output back into
   * scaled target space. With {@code keepErrors} the squared error of every position is kept (for the paired test).
   * {@code net} null scores the untrained network without a pass through it: its outputs are exactly 0 (its output
   * weights and biases start at 0, {@link OutputColumns#zero}), so its losses come from the labels alone.
   */
  static WindowLoss of(ComputationGraph net, List<TrainingData.Encoded> data,
      List<TrainingData.Window> windows, int steps, Architecture arch, int batchSize, double[] scale,
      boolean keepErrors) {
    double sum = 0;
    double sumTarget = 0;
    double[] perHorizon = new double[arch.horizon()];
    int positions = 0;
    for (TrainingData.Window w : windows) {
      positions += steps - w.scoreFrom();
    }
    double[][] squaredErrors = new double[arch.horizon()][keepErrors ? positions : 0];
    int position = 0;
    long count = 0;
    for (int from = 0; from < windows.size(); from += batchSize) {
      List<TrainingData.Window> chunk = windows.subList(from, Math.min(windows.size(), from + batchSize));
      MultiDataSet batch = TrainingData.batch(data, chunk, steps, arch, scale);
      float[] lab = ParamExport.rowMajor(batch.getLabels(0));
      float[] pred = net == null ? new float[lab.length]
          : ParamExport.rowMajor(GruSegments.output(net, arch, batch.getFeatures()));
      for (int w = 0; w < chunk.size(); w++) {
        int scoreFrom = chunk.get(w).scoreFrom();
        for (int k = 0; k < arch.horizon(); k++) {
          int base = (w * arch.horizon() + k) * steps;
          for (int t = scoreFrom; t < steps; t++) {
            double d = pred[base + t] - lab[base + t];
            double inTarget = d * d * scale[k] * scale[k];
            sum += d * d;
            sumTarget += inTarget;
            perHorizon[k] += inTarget;
            if (keepErrors) {
              squaredErrors[k][position + t - scoreFrom] = inTarget;
            }
            count++;
          }
        }
        position += steps - scoreFrom;
      }
    }
    if (count == 0) {
      return none(Double.NaN, arch.horizon());
    }
    long perOutput = count / arch.horizon();
    for (int k = 0; k < perHorizon.length; k++) {
      perHorizon[k] /= perOutput;
    }
    return new WindowLoss(sum / count, sumTarget / count, perHorizon, squaredErrors);
  }
}
