package org.streamcast.training;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.streamcast.model.CellType;

/**
 * Builds the DL4J {@link ComputationGraph} for an {@link Architecture}: input {@code x} (recurrent features) through
 * {@code layers} recurrent layers {@code rnn0..} (DL4J {@code LSTM}, {@code SimpleRnn}, or our {@link GruLayer}),
 * optionally merged with input {@code head} (inputs that bypass the recurrent layers), into an {@code RnnOutputLayer}
 * {@code out} with identity activation and mean squared error: one output per horizon at every time step.
 * All tensors are NCW {@code [batch, features, time]}.
 */
public final class NetworkFactory {

  /** Name of the recurrent-features input. */
  public static final String INPUT = "x";
  /** Name of the head-features input. */
  public static final String HEAD = "head";
  /** Name of the output layer. */
  public static final String OUTPUT = "out";
  /** Prefix of the initial-state inputs of a segmented GRU ({@code h0_0, h0_1, ...}, one per layer). */
  public static final String STATE = "h0_";

  private NetworkFactory() {}

  /** Name of recurrent layer {@code l}. */
  public static String layerName(int l) {
    return "rnn" + l;
  }

  /**
   * An initialized network.
   *
   * @param arch      shape
   * @param options   optimizer settings (seed, learning rate, clipping, dropout, L2)
   * @param timeSteps sequence length the GRU graph is defined for (ignored by LSTM and RNN, which take any length)
   * @param tbptt     truncated BPTT segment length for LSTM/RNN, or 0 for full BPTT
   */
  public static ComputationGraph build(Architecture arch, TrainingOptions options, int timeSteps, int tbptt) {
    return build(arch, options, timeSteps, tbptt, false);
  }

  /**
   * {@link #build(Architecture, TrainingOptions, int, int)}; with {@code stateInputs} (GRU only) each GRU layer
   * {@code l} also takes its initial state from an input {@code h0_l} ({@code [batch, hidden, timeSteps]}, read at
   * time 0): the network then runs a longer sequence in segments of {@code timeSteps} ({@link GruSegments}).
   */
  public static ComputationGraph build(Architecture arch, TrainingOptions options, int timeSteps, int tbptt,
      boolean stateInputs) {
    if (stateInputs && arch.cell() != CellType.GRU) {
      throw new IllegalArgumentException("state inputs are for the GRU layer, not " + arch.cell());
    }
    if (arch.cell() == CellType.GRU) {
      SameDiffChatter.install();
    }
    NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
        .seed(options.seed())
        .dataType(DataType.FLOAT)
        .updater(new Adam(options.learningRate()))
        .weightInit(WeightInit.XAVIER);
    if (options.gradientClip() > 0) {
      base.gradientNormalization(switch (options.clipMode()) {
        case NORM -> GradientNormalization.ClipL2PerLayer;
        case VALUE -> GradientNormalization.ClipElementWiseAbsoluteValue;
      }).gradientNormalizationThreshold(options.gradientClip());
    }
    if (options.l2() > 0) {
      base.l2(options.l2());
    }
    ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder();
    java.util.List<String> inputs = new java.util.ArrayList<>(java.util.List.of(INPUT));
    java.util.List<InputType> types = new java.util.ArrayList<>(
        java.util.List.of(InputType.recurrent(arch.recurrentInputs(), timeSteps)));
    if (arch.headInputs() > 0) {
      inputs.add(HEAD);
      types.add(InputType.recurrent(arch.headInputs(), timeSteps));
    }
    for (int l = 0; stateInputs && l < arch.layers(); l++) {
      inputs.add(STATE + l);
      types.add(InputType.recurrent(arch.hidden(), timeSteps));
    }
    g.addInputs(inputs.toArray(new String[0])).setInputTypes(types.toArray(new InputType[0]));
    String below = INPUT;
    int in = arch.recurrentInputs();
    for (int l = 0; l < arch.layers(); l++) {
      if (options.dropout() > 0) {
        String drop = "drop" + l;
        g.addLayer(drop, new DropoutLayer.Builder().dropOut(new Dropout(1 - options.dropout())).build(), below);
        below = drop;
      }
      if (stateInputs) {
        String merged = "withState" + l;
        g.addVertex(merged, new MergeVertex(), below, STATE + l);
        below = merged;
      }
      g.addLayer(layerName(l), recurrent(arch, in, timeSteps, stateInputs), below);
      below = layerName(l);
      in = arch.hidden();
    }
    int headIn = arch.hidden();
    if (arch.headInputs() > 0) {
      g.addVertex("merge", new MergeVertex(), below, HEAD);
      below = "merge";
      headIn += arch.headInputs();
    }
    g.addLayer(OUTPUT, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
        .activation(Activation.IDENTITY).nIn(headIn).nOut(arch.horizon()).dataFormat(RNNFormat.NCW).build(), below);
    g.setOutputs(OUTPUT);
    if (tbptt > 0) {
      g.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(tbptt).tBPTTBackwardLength(tbptt);
    }
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  /**
   * Starts the output head at a fixed linear combination of its head inputs: the weights from the head inputs become
   * {@code headInputWeights} ({@code [headInputs][horizon]} row-major, e.g. {@link HeadStart#weights}), and the
   * weights from the hidden state and the biases become 0. The untrained network then forecasts exactly that
   * combination (a baseline such as the seasonal naive forecast), and training learns a correction to it; the
   * recurrent layers keep their random start and receive gradient once the hidden-state weights move off 0.
   * Does nothing without head inputs.
   */
  public static void startHead(ComputationGraph net, Architecture arch, float[] headInputWeights) {
    boolean[] all = new boolean[arch.horizon()];
    java.util.Arrays.fill(all, true);
    startHead(net, arch, headInputWeights, all);
  }

  /**
   * {@link #startHead(ComputationGraph, Architecture, float[])} for the outputs {@code h} with {@code columns[h−1]}
   * only; the other outputs keep their weights.
   */
  public static void startHead(ComputationGraph net, Architecture arch, float[] headInputWeights, boolean[] columns) {
    if (arch.headInputs() == 0) {
      return;
    }
    int h = arch.horizon();
    if (headInputWeights.length != arch.headInputs() * h) {
      throw new IllegalArgumentException(headInputWeights.length + " head-start weights, expected "
          + arch.headInputs() * h);
    }
    org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(OUTPUT).getParam("W");
    org.nd4j.linalg.api.ndarray.INDArray b = net.getLayer(OUTPUT).getParam("b");
    for (int col = 0; col < h; col++) {
      if (!columns[col]) {
        continue;
      }
      for (int row = 0; row < arch.hidden() + arch.headInputs(); row++) {
        int in = row - arch.hidden();
        w.putScalar(row, col, in < 0 ? 0.0 : headInputWeights[in * h + col]);
      }
      b.putScalar(col, 0.0);
    }
  }

  private static Layer recurrent(Architecture arch, int in, int timeSteps, boolean stateInput) {
    return switch (arch.cell()) {
      case LSTM -> new LSTM.Builder().nIn(in).nOut(arch.hidden()).activation(Activation.TANH)
          .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build();
      case RNN -> new SimpleRnn.Builder().nIn(in).nOut(arch.hidden()).activation(Activation.TANH)
          .dataFormat(RNNFormat.NCW).build();
      case GRU -> new GruLayer(in, arch.hidden(), timeSteps, stateInput);
    };
  }
}
