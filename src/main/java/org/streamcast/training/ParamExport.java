package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamcast.model.CellType;
import org.streamcast.model.LayerWeights;
import org.streamcast.model.RecurrentNetwork;

/**
 * Copies a trained DL4J network's parameters into the serving layout of {@link RecurrentNetwork}
 * ({@link LayerWeights}: input-major, gate blocks side by side).
 *
 * <p>DL4J's {@code LSTM} stores its gate blocks as {@code [g | f | o | i]} (g the tanh candidate); the serving
 * layout is {@code [i | f | g | o]}. {@code SimpleRnn} ({@code W}, {@code RW}, {@code b}) and {@link GruLayer}
 * ({@code Wx}, {@code Wh}, {@code b}, blocks {@code [r | u | c]}) already match the serving order.
 */
public final class ParamExport {

  /** For each serving LSTM block (i, f, g, o), the DL4J block it comes from. */
  private static final int[] LSTM_FROM_DL4J = {3, 1, 0, 2};

  private ParamExport() {}

  /** The serving network with {@code net}'s current parameters. */
  public static RecurrentNetwork toServing(ComputationGraph net, Architecture arch) {
    double[] one = new double[arch.horizon()];
    java.util.Arrays.fill(one, 1);
    return toServing(net, arch, one);
  }

  /**
   * The serving network with {@code net}'s current parameters, for a network trained with output {@code k} in units
   * of {@code outputScale[k]} ({@link HeadStart#scale()}): the head's column {@code k} (weights and bias) is
   * multiplied by it, so the serving network outputs plain target-space values.
   */
  public static RecurrentNetwork toServing(ComputationGraph net, Architecture arch, double[] outputScale) {
    if (outputScale.length != arch.horizon()) {
      throw new IllegalArgumentException(outputScale.length + " output scales for horizon " + arch.horizon());
    }
    List<LayerWeights> layers = new ArrayList<>();
    int in = arch.recurrentInputs();
    int h = arch.hidden();
    for (int l = 0; l < arch.layers(); l++) {
      var layer = net.getLayer(NetworkFactory.layerName(l));
      float[] wx;
      float[] wh;
      float[] b;
      switch (arch.cell()) {
        case LSTM -> {
          wx = reorderLstm(rowMajor(layer.getParam("W")), in, h);
          wh = reorderLstm(rowMajor(layer.getParam("RW")), h, h);
          b = reorderLstm(rowMajor(layer.getParam("b")), 1, h);
        }
        case RNN -> {
          wx = rowMajor(layer.getParam("W"));
          wh = rowMajor(layer.getParam("RW"));
          b = rowMajor(layer.getParam("b"));
        }
        case GRU -> {
          wx = rowMajor(layer.getParam(GruLayer.WX));
          wh = rowMajor(layer.getParam(GruLayer.WH));
          b = rowMajor(layer.getParam(GruLayer.B));
        }
        default -> throw new IllegalStateException(arch.cell().name());
      }
      layers.add(new LayerWeights(in, h, wx, wh, b));
      in = h;
    }
    var out = net.getLayer(NetworkFactory.OUTPUT);
    float[] headW = rowMajor(out.getParam("W"));
    float[] headB = rowMajor(out.getParam("b"));
    int hz = arch.horizon();
    for (int k = 0; k < hz; k++) {
      float f = (float) outputScale[k];
      if (f != 1f) {
        for (int row = 0; row < headW.length / hz; row++) {
          headW[row * hz + k] *= f;
        }
        headB[k] *= f;
      }
    }
    return new RecurrentNetwork(arch.cell(), arch.recurrentInputs(), arch.headInputs(), hz, layers, headW, headB);
  }

  /** An array's values in row-major (C) order as floats, whatever its storage order and type. */
  static float[] rowMajor(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  private static float[] reorderLstm(float[] src, int rows, int h) {
    int cols = 4 * h;
    float[] dst = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int gate = 0; gate < 4; gate++) {
        System.arraycopy(src, r * cols + LSTM_FROM_DL4J[gate] * h, dst, r * cols + gate * h, h);
      }
    }
    return dst;
  }

  /** The cell type's name as DL4J layers are chosen for it (for provenance). */
  static String layerKind(CellType cell) {
    return switch (cell) {
      case LSTM -> "dl4j LSTM";
      case RNN -> "dl4j SimpleRnn";
      case GRU -> "SameDiff GruLayer";
    };
  }
}
