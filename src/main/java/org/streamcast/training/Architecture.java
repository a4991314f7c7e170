package org.streamcast.training;

import org.streamcast.model.CellType;

/**
 * The shape of a network to train.
 *
 * @param cell            recurrent cell
 * @param recurrentInputs inputs of the first recurrent layer
 * @param headInputs      inputs that go straight to the output head (0: none)
 * @param hidden          hidden units per layer
 * @param layers          stacked recurrent layers
 * @param horizon         outputs (h = 1..H)
 */
public record Architecture(CellType cell, int recurrentInputs, int headInputs, int hidden, int layers, int horizon) {
  public Architecture {
    if (recurrentInputs < 1 || headInputs < 0 || hidden < 1 || layers < 1 || horizon < 1) {
      throw new IllegalArgumentException("bad architecture: " + recurrentInputs + " inputs, " + headInputs
          + " head inputs, hidden " + hidden + ", " + layers + " layers, horizon " + horizon);
    }
  }
}
