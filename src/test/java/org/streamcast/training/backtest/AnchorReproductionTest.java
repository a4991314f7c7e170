package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof of the protocol: naive and seasonal naive on the bundled datasets reproduce the MASE anchors of docs/protocol.md
 * (R forecast 8.20, same protocol) to the digits printed there.
 */
class AnchorReproductionTest {

  private static BacktestResult taylor;
  private static BacktestResult taylorWeekly;
  private static BacktestResult stocks;
  private static BacktestResult weather;

  @BeforeAll
  static void runBacktests() {
    SeriesPanel t = BundledDataset.TAYLOR.anchorPanel();
    taylor = Backtest.run(t.series(), new BacktestPlan(0.8, List.of(1, 12, 48), 48),
        List.of(new NaiveMethod(), new SeasonalNaiveMethod(48)), BacktestListener.NONE);
    taylorWeekly = Backtest.run(t.series(), new BacktestPlan(0.8, List.of(1, 12, 48), 48),
        List.of(new SeasonalNaiveMethod(336)), BacktestListener.NONE);
    stocks = Backtest.run(BundledDataset.EUSTOCKMARKETS.anchorPanel().series(), new BacktestPlan(0.8, List.of(1, 12), 1),
        List.of(new NaiveMethod()), BacktestListener.NONE);
    weather = Backtest.run(BundledDataset.VEGA_WEATHER.anchorPanel().series(), new BacktestPlan(0.8, List.of(1, 12), 1),
        List.of(new NaiveMethod()), BacktestListener.NONE);
  }

  private static double mase(BacktestResult r, String method, int h) {
    return r.summary(method, h).mase();
  }

  @Test
  void shouldReproduceTaylorNaiveAnchorsWhenScoredWithSeason48() {
    assertEquals(0.348, mase(taylor, "naive", 1), 5e-4);
    assertEquals(3.138, mase(taylor, "naive", 12), 5e-4);
    assertEquals(1.078, mase(taylor, "naive", 48), 5e-4);
  }

  @Test
  void shouldReproduceTaylorSeasonalNaiveAnchorsWhenSeasonIs48Or336() {
    assertEquals(1.043, mase(taylor, "snaive", 1), 5e-4);
    assertEquals(1.055, mase(taylor, "snaive", 12), 5e-4);
    assertEquals(1.078, mase(taylor, "snaive", 48), 5e-4);
    assertEquals(0.314, mase(taylorWeekly, "snaive", 1), 5e-4);
    assertEquals(0.310, mase(taylorWeekly, "snaive", 12), 5e-4);
    assertEquals(0.302, mase(taylorWeekly, "snaive", 48), 5e-4);
  }

  @Test
  void shouldReproduceStockNaiveAnchorsWhenAveragedOverFourKeys() {
    assertEquals(List.of("CAC", "DAX", "FTSE", "SMI"), stocks.keys());
    assertEquals(2.956, mase(stocks, "naive", 1), 5e-4);
    assertEquals(11.41, mase(stocks, "naive", 12), 5e-3);
  }

  @Test
  void shouldReproduceWeatherNaiveAnchorsWhenPrecipitationIsExcluded() {
    assertEquals(6, weather.keys().size());
    assertEquals(0.921, mase(weather, "naive", 1), 5e-4);
    assertEquals(1.397, mase(weather, "naive", 12), 5e-4);
  }

  @Test
  void shouldScoreNMinusNTrainMinusHPlusOneErrorsPerKeyWhenSeriesHaveNoGaps() {
    // taylor: n = 4032, n_train = floor(0.8 n) = 3225
    assertEquals(4032 - 3225 - 1 + 1, taylor.score("taylor", "naive", 1).nEval());
    assertEquals(4032 - 3225 - 48 + 1, taylor.score("taylor", "naive", 48).nEval());
    // eustockmarkets: n = 1860, n_train = 1488, four keys
    assertEquals(4L * (1860 - 1488 - 12 + 1), stocks.summary("naive", 12).nEval());
    // vega_weather: n = 1461, n_train = 1168, six keys
    assertEquals(6L * (1461 - 1168 - 1 + 1), weather.summary("naive", 1).nEval());
  }

  @Test
  void shouldAverageKeysUnweightedWhenSummarising() {
    double sum = 0;
    for (String key : stocks.keys()) {
      sum += stocks.score(key, "naive", 1).mase();
    }
    assertEquals(sum / 4, mase(stocks, "naive", 1), 1e-12);
  }
}
