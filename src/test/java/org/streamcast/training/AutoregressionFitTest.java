package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.model.Autoregression;

class AutoregressionFitTest {

  @Test
  void shouldFitTheChangesWhenTheSeriesHasAUnitRoot() {
    Random r = new Random(7);
    double[] y = new double[300];
    double change = 0;
    for (int t = 1; t < y.length; t++) {
      change = 0.7 * change + r.nextGaussian(); // momentum in the changes: ARIMA(1,1,0)
      y[t] = y[t - 1] + change;
    }
    assertTrue(AutoregressionFit.unitRoot(y, 240));
    Autoregression ar = AutoregressionFit.fit(y, 240, 24, 12);
    assertTrue(ar != null && ar.integrated(), "fitted on the changes: " + ar);
    assertEquals("arima(1,1,0)", ar.name(), ar.toString());
    assertEquals(1.7, ar.coefficients()[0], 0.15, "y[t] = 1.7·y[t−1] − 0.7·y[t−2]");
    assertEquals(0, ar.intercept(), 0, "no drift");
  }

  @Test
  void shouldFindAUnitRootInMostRandomWalksAndFewStationarySeriesWhenTested() {
    int walks = 0;
    int stationary = 0;
    for (long seed = 0; seed < 40; seed++) {
      walks += AutoregressionFit.unitRoot(KeyBaselineFitTest.randomWalk(seed, 200), 200) ? 1 : 0;
      stationary += AutoregressionFit.unitRoot(KeyBaselineFitTest.cycle(seed, 200), 200) ? 1 : 0;
    }
    assertTrue(walks >= 34, walks + " of 40 random walks kept a unit root (5% are rejected by chance)");
    assertTrue(stationary <= 2, stationary + " of 40 stationary cycles were given a unit root");
  }

  @Test
  void shouldSolveTheNormalEquationsWhenTheyArePositiveDefinite() {
    double[][] lower = {{4}, {2, 3}}; // [[4, 2], [2, 3]]
    double[] b = LeastSquares.solve(lower, new double[] {10, 8}, 2);
    assertEquals(1.75, b[0], 1e-12);
    assertEquals(1.5, b[1], 1e-12);
    assertEquals(null, LeastSquares.solve(new double[][] {{1}, {1, 1}}, new double[] {1, 1}, 2), "singular");
  }
}
