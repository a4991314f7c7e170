package org.streamcast.model;

/**
 * The recurrent cell of a model, with its gate count and the state it carries per layer.
 *
 * <ul>
 *   <li>{@code RNN}: {@code h' = tanh(W_xh·x + W_hh·h + b)}; one block; state {@code h}.
 *   <li>{@code LSTM}: blocks {@code [i | f | g | o]}, {@code c' = σ(f)⊙c + σ(i)⊙tanh(g)},
 *       {@code h' = σ(o)⊙tanh(c')}; state {@code h, c}.
 *   <li>{@code GRU}: blocks {@code [r | u | c]}, {@code r = σ(x·Wx_r + h·Wh_r + b_r)},
 *       {@code u = σ(x·Wx_u + h·Wh_u + b_u)}, {@code c = tanh(x·Wx_c + b_c + r⊙(h·Wh_c))},
 *       {@code h' = u⊙h + (1−u)⊙c}; state {@code h}.
 * </ul>
 */
public enum CellType {
  RNN(1, 1), LSTM(4, 2), GRU(3, 1);

  private final int gates;
  private final int stateVectors;

  CellType(int gates, int stateVectors) {
    this.gates = gates;
    this.stateVectors = stateVectors;
  }

  /** Gate blocks, each {@code hidden} wide, in the weight matrices. */
  public int gates() {
    return gates;
  }

  /** Vectors of length {@code hidden} a layer keeps between steps (h; or h and c for the LSTM). */
  public int stateVectors() {
    return stateVectors;
  }
}
