package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The recurrent part's output columns: zeroed at the start, and dropped per horizon where they do not help. */
final class OutputColumns {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private OutputColumns() {}

  /** Sets the output layer's weights and bias to 0 for the outputs {@code k} with {@code columns[k]} (all: null). */
  static void zero(ComputationGraph net, Architecture core, boolean[] columns) {
    INDArray w = net.getLayer(NetworkFactory.OUTPUT).getParam("W");
    INDArray b = net.getLayer(NetworkFactory.OUTPUT).getParam("b");
    for (int col = 0; col < core.horizon(); col++) {
      if (columns != null && !columns[col]) {
        continue;
      }
      for (int row = 0; row < core.hidden(); row++) {
        w.putScalar(row, col, 0.0);
      }
      b.putScalar(col, 0.0);
    }
  }

  /**
   * Per horizon, drops the recurrent correction (its output weights to 0: the linear head alone) where it does not
   * beat the linear head on the validation slice by more than chance: a Diebold–Mariano test of the two forecasts'
   * squared errors at the one-sided 5% level with the small-sample correction
   * ({@link ForecastComparison#significantlyBetter}). Returns the horizons (1-based) dropped.
   */
  static List<Integer> linearUnlessBeaten(ComputationGraph net, Architecture core, WindowLoss startVal,
      WindowLoss trainedVal) {
    List<Integer> back = new ArrayList<>();
    boolean[] columns = new boolean[core.horizon()];
    StringBuilder ratios = new StringBuilder();
    for (int k = 0; k < core.horizon(); k++) {
      double statistic = ForecastComparison.statistic(trainedVal.squaredErrors()[k], startVal.squaredErrors()[k], k);
      ratios.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f (DM %.2f)",
          trainedVal.perHorizon()[k] / startVal.perHorizon()[k], statistic));
      columns[k] = !ForecastComparison.significantlyBetter(trainedVal.squaredErrors()[k],
          startVal.squaredErrors()[k], k + 1);
      if (columns[k]) {
        back.add(k + 1);
      }
    }
    LOG.info("validation mse of the kept epoch / the linear head's (Diebold-Mariano statistic before the small-sample "
        + "correction the choice uses), h = 1..{}: {}", core.horizon(), ratios);
    if (!back.isEmpty()) {
      zero(net, core, columns);
    }
    return back;
  }
}
