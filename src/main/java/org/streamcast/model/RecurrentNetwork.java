package org.streamcast.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable stack of recurrent layers with a dense output head that maps the top hidden state (plus optional
 * "head inputs") to {@code horizon} forecasts at once. Safe to share between threads: all mutable data is in the
 * caller's state array and {@link Workspace}.
 *
 * <p><b>Input</b> ({@link #inputSize()} floats): the recurrent inputs ({@link #recurrentInputs()}) followed by the
 * head inputs ({@link #headInputs()}), which bypass the recurrent layers and go straight into the output head.
 *
 * <p><b>State</b> ({@link #stateSize()} floats, zeros = fresh key): for each layer from the bottom, its {@code h}
 * ({@code hidden} floats), then for the LSTM its {@code c} ({@code hidden} floats).
 *
 * <p><b>Head</b>: {@code out[k] = headB[k] + Σ_j headW[j·horizon + k]·[h_top ; headInputs][j]}.
 */
public final class RecurrentNetwork {

  /** Keys a {@link #newWorkspace()} steps together in {@link #stepAll}. */
  public static final int BATCH = 16;

  private final CellType type;
  private final int recurrentInputs;
  private final int headInputs;
  private final int horizon;
  private final Cells.Layer[] layers;
  private final int[] stateOffsets;
  private final int stateSize;
  private final int topOffset;
  private final int topHidden;
  private final Gemv headTop;
  private final Gemv headExtra;
  private final Kernel kernel;
  private final float[] headB;
  private final int maxGateWidth;
  private final int maxHidden;

  /**
   * @param type            cell type of every layer
   * @param recurrentInputs inputs of the first recurrent layer
   * @param headInputs      extra inputs of the output head (0 or more)
   * @param horizon         outputs of the head
   * @param layers          layer weights from the bottom; layer {@code l > 0} has the hidden size of layer {@code l−1}
   *                        as inputs (arrays are copied)
   * @param headW           {@code [topHidden + headInputs][horizon]} row-major
   * @param headB           {@code [horizon]}
   */
  public RecurrentNetwork(CellType type, int recurrentInputs, int headInputs, int horizon,
      List<LayerWeights> layers, float[] headW, float[] headB) {
    this(type, recurrentInputs, headInputs, horizon, layers, headW, headB, Kernel.active());
  }

  /** As the public constructor, with the matrix products of {@code kernel} (tests compare the kernels). */
  RecurrentNetwork(CellType type, int recurrentInputs, int headInputs, int horizon, List<LayerWeights> layers,
      float[] headW, float[] headB, Kernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.type = Objects.requireNonNull(type, "type");
    if (recurrentInputs < 1 || headInputs < 0 || horizon < 1 || layers.isEmpty()) {
      throw new IllegalArgumentException("bad network shape: inputs=" + recurrentInputs + ", headInputs="
          + headInputs + ", horizon=" + horizon + ", layers=" + layers.size());
    }
    this.recurrentInputs = recurrentInputs;
    this.headInputs = headInputs;
    this.horizon = horizon;
    this.layers = new Cells.Layer[layers.size()];
    this.stateOffsets = new int[layers.size()];
    int in = recurrentInputs;
    int off = 0;
    int maxGh = 0;
    int maxH = 0;
    for (int l = 0; l < layers.size(); l++) {
      LayerWeights w = layers.get(l).validate(type);
      if (w.inputs() != in) {
        throw new IllegalArgumentException("layer " + l + " has " + w.inputs() + " inputs, expected " + in);
      }
      int gh = type.gates() * w.hidden();
      this.layers[l] = new Cells.Layer(w.inputs(), w.hidden(), kernel.matrix(w.wx(), 0, w.inputs(), gh),
          kernel.matrix(w.wh(), 0, w.hidden(), gh), w.b().clone());
      stateOffsets[l] = off;
      off += type.stateVectors() * w.hidden();
      in = w.hidden();
      maxGh = Math.max(maxGh, gh);
      maxH = Math.max(maxH, w.hidden());
    }
    this.stateSize = off;
    this.topHidden = in;
    this.topOffset = stateOffsets[layers.size() - 1];
    if (headW.length != (topHidden + headInputs) * horizon || headB.length != horizon) {
      throw new IllegalArgumentException("head has " + headW.length + "+" + headB.length + " values, expected "
          + (topHidden + headInputs) * horizon + "+" + horizon);
    }
    this.headTop = kernel.matrix(headW, 0, topHidden, horizon);
    this.headExtra = kernel.matrix(headW, topHidden * horizon, headInputs, horizon);
    this.headB = headB.clone();
    this.maxGateWidth = Math.max(maxGh, horizon);
    this.maxHidden = maxH;
  }

  /**
   * Advances one key by one step: reads {@code input}, updates {@code state} in place and writes the
   * {@link #horizon()} outputs (scaled target space) to {@code out}. Allocates nothing.
   */
  public void step(float[] state, float[] input, float[] out, Workspace ws) {
    check(state, input, out);
    checkWorkspace(ws);
    ws.states[0] = state;
    ws.inputs[0] = input;
    ws.outs[0] = out;
    steps(1, ws);
  }

  /**
   * Advances keys {@code 0 .. n−1} by one step each, as {@link #step} would one after the other: key {@code b} reads
   * {@code inputs[b]}, updates {@code states[b]} and writes {@code outs[b]}, with the same bits as {@link #step}
   * gives it. The keys are stepped in groups of the workspace's {@link Workspace#batch()}, and each matrix product
   * walks its weights once per group instead of once per key; that is what makes a group cheaper per key than single
   * steps once the weights outgrow the L1 cache (hidden 64 and more). The states must be distinct arrays (one per
   * key). Allocates nothing.
   */
  public void stepAll(float[][] states, float[][] inputs, float[][] outs, int n, Workspace ws) {
    if (n < 0 || n > states.length || n > inputs.length || n > outs.length) {
      throw new IllegalArgumentException("batch of " + n + " keys with " + states.length + " states, "
          + inputs.length + " inputs, " + outs.length + " outputs");
    }
    checkWorkspace(ws);
    for (int b = 0; b < n; b++) {
      check(states[b], inputs[b], outs[b]);
    }
    for (int from = 0; from < n; from += ws.batch()) {
      int m = Math.min(ws.batch(), n - from);
      System.arraycopy(states, from, ws.states, 0, m);
      System.arraycopy(inputs, from, ws.inputs, 0, m);
      System.arraycopy(outs, from, ws.outs, 0, m);
      steps(m, ws);
    }
  }

  private void check(float[] state, float[] input, float[] out) {
    if (state.length < stateSize || input.length < recurrentInputs + headInputs || out.length < horizon) {
      throw new IllegalArgumentException("array too short: state " + state.length + "/" + stateSize + ", input "
          + input.length + "/" + (recurrentInputs + headInputs) + ", out " + out.length + "/" + horizon);
    }
  }

  private void checkWorkspace(Workspace ws) {
    if (!ws.fits(maxGateWidth, maxHidden)) {
      throw new IllegalArgumentException("workspace too small for this network: make it with newWorkspace()");
    }
  }

  /**
   * Steps the {@code n ≤ batch} keys whose arrays are in the workspace's {@code states}, {@code inputs} and
   * {@code outs}.
   */
  private void steps(int n, Workspace ws) {
    float[][] states = ws.states;
    float[][] x = ws.inputs;
    int xOff = 0;
    ws.flip();
    for (int l = 0; l < layers.length; l++) {
      Cells.Layer w = layers[l];
      int sOff = stateOffsets[l];
      switch (type) {
        case RNN -> Cells.rnn(w, kernel, x, xOff, states, sOff, n, ws);
        case LSTM -> Cells.lstm(w, kernel, x, xOff, states, sOff, n, ws);
        case GRU -> Cells.gru(w, kernel, x, xOff, states, sOff, n, ws);
        default -> throw new IllegalStateException(type.name());
      }
      x = states;
      xOff = sOff;
    }
    float[][] zs = ws.zs;
    for (int b = 0; b < n; b++) {
      System.arraycopy(headB, 0, zs[b], 0, horizon);
    }
    headTop.accumulateAll(states, topOffset, zs, n, false);
    headExtra.accumulateAll(ws.inputs, recurrentInputs, zs, n, false);
    for (int b = 0; b < n; b++) {
      System.arraycopy(zs[b], 0, ws.outs[b], 0, horizon);
    }
  }

  /**
   * The same network stepping with the scalar kernel, which every JVM has (see {@link Kernel}): for comparing the
   * kernels, and for results that must not depend on the SIMD width of the machine.
   */
  public RecurrentNetwork withScalarKernel() {
    return new RecurrentNetwork(type, recurrentInputs, headInputs, horizon, layers(), headWeights(), headB,
        Kernel.scalar());
  }

  /**
   * The kernel new networks step with in this JVM: {@code vector (N floats)} when the JVM was started with
   * {@code --add-modules jdk.incubator.vector} on a machine with 256- or 512-bit SIMD, else {@code scalar}.
   */
  public static String activeKernel() {
    return Kernel.active().name();
  }

  /** The kernel this network steps with: {@code vector (N floats)} or {@code scalar}. */
  public String kernel() {
    return kernel.name();
  }

  /** A fresh (all-zero) state for a new key. */
  public float[] newState() {
    return new float[stateSize];
  }

  /** A workspace that fits this network, for single steps and batches of {@value #BATCH} keys. */
  public Workspace newWorkspace() {
    return newWorkspace(BATCH);
  }

  /** A workspace that fits this network, stepping {@code batch} keys together in {@link #stepAll}. */
  public Workspace newWorkspace(int batch) {
    return new Workspace(maxGateWidth, maxHidden, batch);
  }

  /** Floating-point operations of one step (multiply-adds count as two), for throughput figures. */
  public long flopsPerStep() {
    long f = 0;
    for (Cells.Layer w : layers) {
      f += 2L * type.gates() * w.hidden() * (w.inputs() + w.hidden());
    }
    return f + 2L * horizon * (topHidden + headInputs);
  }

  public CellType type() {
    return type;
  }

  public int recurrentInputs() {
    return recurrentInputs;
  }

  public int headInputs() {
    return headInputs;
  }

  /** Length of the input vector: recurrent inputs then head inputs. */
  public int inputSize() {
    return recurrentInputs + headInputs;
  }

  public int horizon() {
    return horizon;
  }

  public int stateSize() {
    return stateSize;
  }

  /** Hidden size of each layer, from the bottom. */
  public int[] hiddenSizes() {
    int[] h = new int[layers.length];
    for (int l = 0; l < h.length; l++) {
      h[l] = layers[l].hidden();
    }
    return h;
  }

  /** Copies of the layer weights. */
  public List<LayerWeights> layers() {
    List<LayerWeights> out = new ArrayList<>(layers.length);
    for (Cells.Layer w : layers) {
      out.add(new LayerWeights(w.inputs(), w.hidden(), w.wx().rowMajor(), w.wh().rowMajor(), w.b().clone()));
    }
    return out;
  }

  /** A copy of the head weights ({@code [topHidden + headInputs][horizon]}). */
  public float[] headWeights() {
    float[] top = headTop.rowMajor();
    float[] extra = headExtra.rowMajor();
    float[] all = java.util.Arrays.copyOf(top, top.length + extra.length);
    System.arraycopy(extra, 0, all, top.length, extra.length);
    return all;
  }

  /** A copy of the head biases. */
  public float[] headBiases() {
    return headB.clone();
  }
}
