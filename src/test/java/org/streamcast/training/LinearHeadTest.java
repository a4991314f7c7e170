package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.model.FeatureSpec;

class LinearHeadTest {

  /** Level target, lag 4, horizon 1, persistence inputs: recurrent input 0; head inputs snaive(4), naive, change. */
  static final FeatureSpec F = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(4), false, 1,
      true);
  static final HeadStart NAIVE = new HeadStart(List.of("naive"), List.of(new int[] {F.naiveHeadInput()}),
      new double[] {1});

  /** Steps whose label is {@code naive + a·seasonal + c + noise}. */
  static TrainingData.Encoded data(double a, double c, double noise, long seed) {
    Random r = new Random(seed);
    int n = 2000;
    float[][] in = new float[n][4];
    float[][] lab = new float[n][1];
    for (int t = 0; t < n; t++) {
      double naive = r.nextGaussian();
      double seasonal = r.nextGaussian();
      in[t] = new float[] {(float) naive, (float) seasonal, (float) naive, (float) r.nextGaussian()};
      lab[t][0] = (float) (naive + a * seasonal + c + noise * r.nextGaussian());
    }
    return new TrainingData.Encoded("k", in, lab, n);
  }

  @Test
  void shouldLearnTheBlendWhenTheBaselineErrorIsLinearInTheHeadInputs() {
    LinearHead head = LinearHead.fit(F, List.of(data(0.5, 0.2, 0.05, 1)), NAIVE);
    // weights [headInputs][horizon]: snaive(4) input 0, naive 1, change 2
    assertEquals(0.5, head.weights()[0], 0.03, "the seasonal input's weight, shrunk a little towards 0");
    assertEquals(1.0, head.weights()[1], 0.03, "the baseline's input keeps weight 1 plus a small correction");
    assertEquals(0.0, head.weights()[2], 0.03);
    assertEquals(0.2, head.intercept()[0], 0.01, "the intercept is not penalized");
    assertTrue(head.scale()[0] < 0.1, "residual rmse " + head.scale()[0]);
  }

  @Test
  void shouldStayAtTheBaselineWhenItsErrorIsNoise() {
    LinearHead head = LinearHead.fit(F, List.of(data(0, 0, 1, 2)), NAIVE);
    assertEquals(0.0, head.weights()[0], 0.05);
    assertEquals(1.0, head.weights()[1], 0.05);
    assertEquals(1.0, head.scale()[0], 0.05);
    TrainingData.Encoded e = data(0, 0, 1, 2);
    List<TrainingData.Encoded> residual = head.residuals(List.of(e), F.recurrentInputs());
    float[] in = e.inputs()[7];
    double expected = e.labels()[7][0] - (head.intercept()[0] + head.weights()[0] * in[1] + head.weights()[1] * in[2]
        + head.weights()[2] * in[3]);
    assertEquals(expected, residual.get(0).labels()[7][0], 1e-5);
  }

  /** Steps with label {@code naive + a·seasonal + noise}, {@code n} of them. */
  static TrainingData.Encoded noisy(double a, double noise, int n, long seed) {
    Random r = new Random(seed);
    float[][] in = new float[n][4];
    float[][] lab = new float[n][1];
    for (int t = 0; t < n; t++) {
      double naive = r.nextGaussian();
      double seasonal = r.nextGaussian();
      in[t] = new float[] {(float) naive, (float) seasonal, (float) naive, (float) r.nextGaussian()};
      lab[t][0] = (float) (naive + a * seasonal + noise * r.nextGaussian());
    }
    return new TrainingData.Encoded("k", in, lab, n);
  }

  @Test
  void shouldChooseAWeakPenaltyWhenTheSignalIsStrong() {
    LinearHead head = LinearHead.fit(F, List.of(noisy(0.5, 0.3, 400, 3)), NAIVE);
    assertEquals(0.5, head.weights()[0], 0.05, "near least squares: the strongest penalty would halve the weight");
  }

  @Test
  void shouldChooseAStrongPenaltyWhenFewStepsCarryOnlyNoise() {
    double weak = 0;
    double chosen = 0;
    for (long seed = 0; seed < 20; seed++) {
      TrainingData.Encoded e = noisy(0, 1, 40, seed);
      chosen += Math.abs(LinearHead.fit(F, List.of(e), NAIVE).weights()[0]);
      weak += Math.abs(leastSquaresSeasonalWeight(e));
    }
    assertTrue(chosen < 0.7 * weak, "mean |seasonal weight| chosen " + chosen / 20 + " vs least squares " + weak / 20);
  }

  /** The least-squares weight of the seasonal input in the naive baseline's error (with the other regressors). */
  private static double leastSquaresSeasonalWeight(TrainingData.Encoded e) {
    int p = 4;
    double[][] xtx = new double[p][p];
    double[] xtr = new double[p];
    for (int t = F.historyLength() - 1; t + 1 < e.trainEnd(); t++) {
      float[] in = e.inputs()[t];
      double[] row = {in[1], in[2], in[3], 1};
      double r = e.labels()[t][0] - in[2];
      for (int i = 0; i < p; i++) {
        xtr[i] += row[i] * r;
        for (int j = 0; j < p; j++) {
          xtx[i][j] += row[i] * row[j];
        }
      }
    }
    return LinearHead.solve(xtx, xtr)[0];
  }

  @Test
  void shouldSolveALinearSystemWhenPivotingIsNeeded() {
    double[] x = LinearHead.solve(new double[][] {{0, 2}, {3, 1}}, new double[] {4, 5});
    assertEquals(1, x[0], 1e-12);
    assertEquals(2, x[1], 1e-12);
  }
}
