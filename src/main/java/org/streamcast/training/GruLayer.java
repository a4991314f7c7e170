package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GRU layer for DL4J 1.0.0-M2.1, which has none: a {@link SameDiffLayer} built from primitive ops (matmul,
 * sigmoid, tanh, {@code unstack} over time, {@code stack}), so ND4J's automatic differentiation gives its gradient
 * (SameDiff's own {@code gru} op has a wrong gradient). The equations are those of
 * {@link org.streamcast.model.CellType#GRU}; the serving step reproduces them.
 *
 * <p>Parameters: {@code Wx [nIn, 3H]}, {@code Wh [H, 3H]}, {@code b [1, 3H]}, column blocks {@code [r | u | c]}.
 * Input and output are NCW {@code [batch, features, time]}; the number of time steps is fixed when the layer is
 * defined (a SameDiff graph is static). The initial state is zero, or, for a layer with a state input, given: its
 * input then carries {@code nOut} more channels whose values at time 0 are the initial state (the rest are unused),
 * which lets a long window be trained in segments that each start from the state the previous one ended in
 * (truncated back-propagation through time, see {@link GruSegments}).
 */
public class GruLayer extends SameDiffLayer {

  private static final long serialVersionUID = 1L;

  /** Weight names. */
  public static final String WX = "Wx";
  public static final String WH = "Wh";
  public static final String B = "b";

  private int nIn;
  private int nOut;
  private int timeSteps;
  private boolean stateInput;

  /** For DL4J's JSON (de)serialization of configurations. */
  public GruLayer() {
  }

  /** A layer of {@code nOut} units over sequences of exactly {@code timeSteps} steps, starting from a zero state. */
  public GruLayer(int nIn, int nOut, int timeSteps) {
    this(nIn, nOut, timeSteps, false);
  }

  /**
   * A layer of {@code nOut} units over sequences of exactly {@code timeSteps} steps; with {@code stateInput} its
   * input has {@code nIn + nOut} channels, the last {@code nOut} holding the initial state at time 0.
   */
  public GruLayer(int nIn, int nOut, int timeSteps, boolean stateInput) {
    this.nIn = nIn;
    this.nOut = nOut;
    this.timeSteps = timeSteps;
    this.stateInput = stateInput;
  }

  public int getNIn() {
    return nIn;
  }

  public int getNOut() {
    return nOut;
  }

  public int getTimeSteps() {
    return timeSteps;
  }

  public boolean isStateInput() {
    return stateInput;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(nOut, timeSteps);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (nIn <= 0 || override) {
      nIn = (int) ((InputType.InputTypeRecurrent) inputType).getSize() - (stateInput ? nOut : 0);
    }
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.addWeightParam(WX, nIn, 3L * nOut);
    params.addWeightParam(WH, nOut, 3L * nOut);
    params.addBiasParam(B, 1, 3L * nOut);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    INDArray wx = params.get(WX);
    wx.assign(Nd4j.randn(wx.dataType(), wx.shape()).muli(Math.sqrt(2.0 / (nIn + 3.0 * nOut))));
    INDArray wh = params.get(WH);
    wh.assign(Nd4j.randn(wh.dataType(), wh.shape()).muli(Math.sqrt(2.0 / (nOut + 3.0 * nOut))));
    params.get(B).assign(0);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    if (!stateInput) {
      return define(sd, input, params.get(WX), params.get(WH), params.get(B), nOut, timeSteps, null);
    }
    SDVariable x = input.get(SDIndex.all(), SDIndex.interval(0, nIn), SDIndex.all());
    SDVariable h0 = input.get(SDIndex.all(), SDIndex.interval(nIn, nIn + nOut), SDIndex.point(0));
    return define(sd, x, params.get(WX), params.get(WH), params.get(B), nOut, timeSteps, h0);
  }

  /**
   * The layer's graph: {@code input [B, nIn, T]} to hidden states {@code [B, H, T]}, from the initial state
   * {@code h0 [B, H]} ({@code null}: zero). Shared with the gradient test.
   */
  static SDVariable define(SameDiff sd, SDVariable input, SDVariable wx, SDVariable wh, SDVariable b, int hidden,
      int steps, SDVariable h0) {
    SDVariable[] xs = sd.unstack(input, 2, steps);
    List<SDVariable> outs = new ArrayList<>(steps);
    SDVariable h = h0;
    for (int t = 0; t < steps; t++) {
      // Every op created here must feed the output: SameDiff treats an unconsumed variable as an extra loss.
      SDVariable zx = xs[t].mmul(wx).add(b);
      SDVariable zxU = block(zx, 1, hidden);
      SDVariable zxC = block(zx, 2, hidden);
      if (h == null) {
        SDVariable u = sd.nn().sigmoid(zxU);
        h = u.rsub(1.0).mul(sd.math().tanh(zxC));
      } else {
        SDVariable zh = h.mmul(wh);
        SDVariable r = sd.nn().sigmoid(block(zx, 0, hidden).add(block(zh, 0, hidden)));
        SDVariable u = sd.nn().sigmoid(zxU.add(block(zh, 1, hidden)));
        SDVariable c = sd.math().tanh(zxC.add(r.mul(block(zh, 2, hidden))));
        h = u.mul(h).add(u.rsub(1.0).mul(c));
      }
      outs.add(h);
    }
    return sd.stack(2, outs.toArray(new SDVariable[0]));
  }

  private static SDVariable block(SDVariable z, int gate, int hidden) {
    return z.get(SDIndex.all(), SDIndex.interval(gate * hidden, (gate + 1) * hidden));
  }
}
