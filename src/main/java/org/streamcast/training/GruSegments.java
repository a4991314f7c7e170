package org.streamcast.training;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Truncated back-propagation through time for the GRU, whose layer ({@link GruLayer}) is a static SameDiff graph of
 * a fixed number of steps and so cannot use DL4J's own truncated BPTT (which carries the state of DL4J's recurrent
 * layers only). The network is built for one segment with state inputs ({@link NetworkFactory#build(Architecture,
 * TrainingOptions, int, int, boolean)}); a window runs segment by segment, each starting from the state the
 * previous segment ended in, fed as data: the gradient of a segment stops at its start, as in DL4J's truncated BPTT
 * (forward and backward length equal). A last segment shorter than the others is padded with zeros at its end and
 * its padded steps are masked out of the loss; the GRU is causal, so the padding changes no scored output.
 */
final class GruSegments {

  private GruSegments() {}

  /** Whether {@code net} is a segmented GRU (it has state inputs). */
  static boolean isSegmented(ComputationGraph net) {
    return net.getConfiguration().getNetworkInputs().contains(NetworkFactory.STATE + 0);
  }

  /** The segment length of a segmented GRU. */
  static int segmentLength(ComputationGraph net) {
    return ((GruLayer) net.getLayer(NetworkFactory.layerName(0)).conf().getLayer()).getTimeSteps();
  }

  /** The network's outputs {@code [batch, horizon, T]} for inputs {@code [x, head?]} of any length {@code T}. */
  static INDArray output(ComputationGraph net, Architecture arch, INDArray[] features) {
    if (!isSegmented(net)) {
      return net.output(false, features)[0];
    }
    int length = segmentLength(net);
    long batch = features[0].size(0);
    int steps = (int) features[0].size(2);
    INDArray out = Nd4j.create(DataType.FLOAT, batch, arch.horizon(), steps);
    INDArray[] state = zeroStates(arch, batch, length);
    for (int from = 0; from < steps; from += length) {
      int n = Math.min(length, steps - from);
      Map<String, INDArray> acts = net.feedForward(inputs(features, state, from, n, length), false);
      out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, from + n))
          .assign(acts.get(NetworkFactory.OUTPUT).get(NDArrayIndex.all(), NDArrayIndex.all(),
              NDArrayIndex.interval(0, n)));
      state = finalStates(acts, arch, batch, length, n);
    }
    return out;
  }

  /**
   * One truncated-BPTT pass over a batch of windows: one parameter update per segment, in order.
   *
   * @return the mean over segments of the segment's loss per step
   */
  static double fit(ComputationGraph net, Architecture arch, MultiDataSet windows) {
    int length = segmentLength(net);
    INDArray[] features = windows.getFeatures();
    INDArray labels = windows.getLabels(0);
    long batch = features[0].size(0);
    int steps = (int) features[0].size(2);
    INDArray[] state = zeroStates(arch, batch, length);
    double sum = 0;
    int segments = 0;
    for (int from = 0; from < steps; from += length) {
      int n = Math.min(length, steps - from);
      INDArray[] in = inputs(features, state, from, n, length);
      // The state the next segment starts from, under the weights this segment's forward pass uses.
      Map<String, INDArray> acts = net.feedForward(in, false);
      INDArray mask = null;
      if (n < length) {
        mask = Nd4j.zeros(DataType.FLOAT, batch, length);
        mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).assign(1);
      }
      net.fit(new MultiDataSet(in, new INDArray[] {segment(labels, from, n, length)}, null,
          mask == null ? null : new INDArray[] {mask}));
      sum += net.score() / n;
      segments++;
      state = finalStates(acts, arch, batch, length, n);
    }
    return sum / segments;
  }

  private static INDArray[] zeroStates(Architecture arch, long batch, int length) {
    INDArray[] state = new INDArray[arch.layers()];
    for (int l = 0; l < state.length; l++) {
      state[l] = Nd4j.zeros(DataType.FLOAT, batch, arch.hidden(), length);
    }
    return state;
  }

  /** Each layer's hidden state after step {@code n − 1} of the segment, as the next segment's state input. */
  private static INDArray[] finalStates(Map<String, INDArray> acts, Architecture arch, long batch, int length,
      int n) {
    INDArray[] state = zeroStates(arch, batch, length);
    for (int l = 0; l < state.length; l++) {
      INDArray h = acts.get(NetworkFactory.layerName(l));
      state[l].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0))
          .assign(h.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(n - 1)));
    }
    return state;
  }

  private static INDArray[] inputs(INDArray[] features, INDArray[] state, int from, int n, int length) {
    INDArray[] in = new INDArray[features.length + state.length];
    for (int i = 0; i < features.length; i++) {
      in[i] = segment(features[i], from, n, length);
    }
    System.arraycopy(state, 0, in, features.length, state.length);
    return in;
  }

  /** Steps {@code from .. from + n − 1} of {@code a [batch, channels, T]}, zero-padded to {@code length} steps. */
  private static INDArray segment(INDArray a, int from, int n, int length) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, a.size(0), a.size(1), length);
    out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, n))
        .assign(a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, from + n)));
    return out;
  }
}
