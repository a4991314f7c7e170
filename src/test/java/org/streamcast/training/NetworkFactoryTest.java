package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.streamcast.model.CellType;
import org.streamcast.model.RecurrentNetwork;

class NetworkFactoryTest {

  @Test
  void shouldStartHeadAtSeasonalNaiveOfChosenLagWhenInitialized() {
    // 2 lags x horizon 3 = 6 head inputs; start from the second lag's block.
    Architecture arch = new Architecture(CellType.LSTM, 2, 6, 4, 1, 3);
    ComputationGraph net = NetworkFactory.build(arch, new TrainingOptions(1, 0.01, 1, 0, 0), 8, 0);
    NetworkFactory.startFromSeasonalNaive(net, arch, 1);
    RecurrentNetwork serving = ParamExport.toServing(net, arch);
    float[] w = serving.headWeights();
    int h = 3;
    for (int row = 0; row < 6; row++) {
      for (int col = 0; col < h; col++) {
        float expected = row == 3 + col ? 1f : 0f;
        assertEquals(expected, w[(4 + row) * h + col], "head input " + row + " -> output " + col);
      }
    }
    assertNotEquals(0f, w[0], "weights from the hidden state keep their random start");
  }
}
