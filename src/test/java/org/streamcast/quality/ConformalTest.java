package org.streamcast.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Split-conformal intervals: the rank rule, the quantile of a known distribution, and live coverage on synthetic
 * residuals of known distributions within binomial tolerance, for the pipeline's pooled window and a key's own.
 *
 * <p>Tolerance: coverage over T intervals is a proportion with binomial sd {@code sqrt(p(1−p)/T)}; neighbouring
 * intervals share most of their calibration window, which about doubles the variance, so the tests allow 4 sd of
 * twice the binomial variance.
 */
class ConformalTest {
  private static final List<Double> LEVELS = List.of(0.5, 0.8, 0.95);

  @Test
  void shouldPickTheCeilOfNPlusOneTimesLevelWhenRanking() {
    assertEquals(4, Conformal.rank(4, 0.8)); // ⌈5·0.8⌉ = 4 exactly: no float round-up to 5
    assertEquals(41, Conformal.rank(50, 0.8));
    assertEquals(49, Conformal.rank(50, 0.95));
    assertEquals(19, Conformal.rank(18, 0.95)); // ⌈18.05⌉ = 19 > 18: no finite interval yet
    assertEquals(4, Conformal.minResiduals(0.8));
    assertEquals(19, Conformal.minResiduals(0.95));
    assertEquals(99, Conformal.minResiduals(0.99));
  }

  @Test
  void shouldTakeTheKthSmallestAbsoluteResidualWhenComputingHalfWidths() {
    float[] residuals = {-5, 1, -2, 4, 3, -9, 7, 6, -8, 10};
    double[] out = new double[3];
    Conformal.halfWidths(residuals, 0, 10, new double[] {0.5, 0.8, 0.95}, new float[10], out);
    // |r| sorted: 1 2 3 4 5 6 7 8 9 10; ranks ⌈11·ℓ⌉ = 6, 9, 11 (> 10: none)
    assertEquals(6, out[0]);
    assertEquals(9, out[1]);
    assertTrue(Double.isNaN(out[2]));
    assertEquals(-5, residuals[0], "input left as it was");
  }

  @Test
  void shouldAgreeWithSortingWhenSelectingSeveralRanksOfRandomResiduals() {
    Random random = new Random(13);
    double[] levels = {0.5, 0.8, 0.8, 0.95, 0.99};
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(trial % 2 == 0 ? 300 : 2000); // above 600 the selection samples first
      float[] r = new float[n];
      for (int i = 0; i < n; i++) {
        r[i] = random.nextInt(4) == 0 ? random.nextInt(5) : (float) random.nextGaussian(); // with ties
      }
      float[] sorted = new float[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = Math.abs(r[i]);
      }
      java.util.Arrays.sort(sorted);
      double[] out = new double[levels.length];
      Conformal.halfWidths(r, 0, n, levels, new float[n], out);
      for (int l = 0; l < levels.length; l++) {
        int k = Conformal.rank(n, levels[l]);
        assertEquals(k <= n ? sorted[k - 1] : Double.NaN, out[l], "n=" + n + ", level " + levels[l]);
      }
    }
  }

  @Test
  void shouldEstimateTheTrueQuantileOfNormalResidualsWhenTheWindowIsFull() {
    Random random = new Random(3);
    PipelineScores pipeline = new PipelineScores(ScoredHorizons.of(1), List.of(0.8, 0.95));
    double[] none = {Double.NaN, Double.NaN};
    for (int i = 0; i < PipelineScores.WINDOW; i++) {
      pipeline.record(0, random.nextGaussian(), 1, none);
    }
    double[] half = new double[2];
    pipeline.halfWidths(0, half);
    // |N(0,1)| quantiles 1.2816 (80%) and 1.9600 (95%); the order statistic's sd is sqrt(p(1−p)/n)/f(q), with
    // f the density of |N(0,1)|: 0.0362 and 0.0698
    assertEquals(1.2816, half[0], 4 * 0.0362);
    assertEquals(1.9600, half[1], 4 * 0.0698);
  }

  @Test
  void shouldCoverNormalResidualsAtTheNominalLevelsWithinBinomialToleranceWhenPooled() {
    Random random = new Random(7);
    assertPooledCoverage(() -> 3 * random.nextGaussian(), 20_000);
  }

  @Test
  void shouldCoverLaplaceResidualsAtTheNominalLevelsWithinBinomialToleranceWhenPooled() {
    Random random = new Random(11);
    // Laplace(0, 2): |e| is exponential with mean 2
    assertPooledCoverage(() -> (random.nextBoolean() ? 2 : -2) * -Math.log(1 - random.nextDouble()), 20_000);
  }

  /**
   * Each interval comes from the pooled window of the last {@value PipelineScores#WINDOW} residuals (refreshed every
   * 5%), then the next residual is drawn and scored: coverage ⌈(n+1)ℓ⌉/(n+1) expected.
   */
  private static void assertPooledCoverage(DoubleSupplier residual, int trials) {
    PipelineScores pipeline = new PipelineScores(ScoredHorizons.of(1), LEVELS);
    double[] none = new double[LEVELS.size()];
    java.util.Arrays.fill(none, Double.NaN);
    for (int i = 0; i < PipelineScores.WINDOW; i++) {
      pipeline.record(0, residual.getAsDouble(), 1, none);
    }
    int[] covered = new int[LEVELS.size()];
    int[] coveredLastWindow = new int[LEVELS.size()];
    double[] half = new double[LEVELS.size()];
    for (int t = 0; t < trials; t++) {
      pipeline.halfWidths(0, half);
      double e = residual.getAsDouble();
      for (int l = 0; l < LEVELS.size(); l++) {
        if (Math.abs(e) <= half[l]) {
          covered[l]++;
          if (t >= trials - PipelineScores.WINDOW) {
            coveredLastWindow[l]++;
          }
        }
      }
      pipeline.record(0, e, 1, half);
    }
    for (int l = 0; l < LEVELS.size(); l++) {
      double level = LEVELS.get(l);
      double expected = Conformal.rank(PipelineScores.WINDOW, level) / (PipelineScores.WINDOW + 1.0);
      double coverage = covered[l] / (double) trials;
      assertEquals(expected, coverage, 4 * Math.sqrt(2 * expected * (1 - expected) / trials), "level " + level);
      assertEquals(coveredLastWindow[l] / (double) PipelineScores.WINDOW, pipeline.coverage(l), 1e-12,
          "the exported coverage is that of the window");
    }
  }

  @Test
  void shouldCoverEachKeyAtItsOwnScaleWithinBinomialToleranceWhenKeysUseTheirOwnWindows() {
    Random random = new Random(5);
    ScoredHorizons one = ScoredHorizons.of(1);
    List<Double> levels = List.of(0.8, 0.95);
    PipelineScores pipeline = new PipelineScores(one, levels);
    Intervals intervals = new Intervals(pipeline, 0);
    double[][] half = intervals.newOutput();
    // keys 100× apart in scale: a pooled width would be wrong for all of them, their own windows fit each
    double[] scales = {0.5, 5, 50};
    KeyScores[] keys = new KeyScores[scales.length];
    boolean[] fullAtIssue = new boolean[scales.length];
    int[][] covered = new int[scales.length][levels.size()];
    int[] trials = new int[scales.length];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = new KeyScores();
      keys[k].shape(one, levels.size());
    }
    for (int t = 0; t < 6000; t++) {
      for (int k = 0; k < keys.length; k++) {
        int key = k;
        keys[k].observe(scales[k] * random.nextGaussian(), (j, forecast, error, naiveError, issued) -> {
          pipeline.scored(j, forecast, error, naiveError, issued);
          if (fullAtIssue[key]) {
            trials[key]++;
            for (int l = 0; l < levels.size(); l++) {
              covered[key][l] += Math.abs(error) <= issued[l] ? 1 : 0;
            }
          }
        }, new double[0], 0);
        intervals.halfWidths(keys[k], half);
        fullAtIssue[k] = keys[k].count(0) == KeyScores.WINDOW;
        keys[k].issue(0, new double[] {0}, half);
      }
    }
    for (int k = 0; k < keys.length; k++) {
      for (int l = 0; l < levels.size(); l++) {
        // n = 50 own residuals: ⌈51ℓ⌉/51 = 41/51 and 49/51
        double expected = Conformal.rank(KeyScores.WINDOW, levels.get(l)) / (KeyScores.WINDOW + 1.0);
        double coverage = covered[k][l] / (double) trials[k];
        assertEquals(expected, coverage, 4 * Math.sqrt(2 * expected * (1 - expected) / trials[k]),
            "key of scale " + scales[k] + " at level " + levels.get(l));
      }
    }
  }
}
