package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.streamcast.model.CellType;
import org.streamcast.model.RecurrentNetwork;

class NetworkFactoryTest {

  @Test
  void shouldStartHeadAtGivenCombinationWithZeroHiddenWeightsWhenInitialized() {
    // 6 head inputs, horizon 3: output h takes head input 3 + h (a seasonal-naive block), output 0 also input 0.
    Architecture arch = new Architecture(CellType.LSTM, 2, 6, 4, 1, 3);
    ComputationGraph net = NetworkFactory.build(arch, new TrainingOptions(1, 0.01, 1, 0, 0), 8, 0);
    int h = 3;
    float[] start = new float[6 * h];
    for (int col = 0; col < h; col++) {
      start[(3 + col) * h + col] = 1f;
    }
    start[0] = 1f;
    NetworkFactory.startHead(net, arch, start);
    RecurrentNetwork serving = ParamExport.toServing(net, arch);
    float[] w = serving.headWeights();
    for (int row = 0; row < 6; row++) {
      for (int col = 0; col < h; col++) {
        float expected = row == 3 + col || (row == 0 && col == 0) ? 1f : 0f;
        assertEquals(expected, w[(4 + row) * h + col], "head input " + row + " -> output " + col);
      }
    }
    for (int i = 0; i < 4 * h; i++) {
      assertEquals(0f, w[i], "weights from the hidden state start at 0");
    }
    assertArrayEquals(new float[h], serving.headBiases());
    assertNotEquals(0f, serving.layers().get(0).wx()[0], "the recurrent layer keeps its random start");
  }

  @Test
  void shouldPutBackOnlyTheChosenOutputsWhenColumnsAreGiven() {
    Architecture arch = new Architecture(CellType.GRU, 2, 6, 4, 1, 3);
    ComputationGraph net = NetworkFactory.build(arch, new TrainingOptions(1, 0.01, 1, 0, 0), 8, 0);
    int h = 3;
    net.getLayer(NetworkFactory.OUTPUT).getParam("W").assign(0.5);
    net.getLayer(NetworkFactory.OUTPUT).getParam("b").assign(0.25);
    float[] start = new float[6 * h];
    for (int col = 0; col < h; col++) {
      start[(3 + col) * h + col] = 2f;
    }
    NetworkFactory.startHead(net, arch, start, new boolean[] {false, true, false});
    RecurrentNetwork serving = ParamExport.toServing(net, arch);
    float[] w = serving.headWeights();
    for (int row = 0; row < 4 + 6; row++) {
      assertEquals(0.5f, w[row * h], "output 1 keeps its trained weights, row " + row);
      assertEquals(0.5f, w[row * h + 2], "output 3 keeps its trained weights, row " + row);
      assertEquals(row == 4 + 3 + 1 ? 2f : 0f, w[row * h + 1], "output 2 is back at its start, row " + row);
    }
    assertArrayEquals(new float[] {0.25f, 0f, 0.25f}, serving.headBiases());
  }
}
