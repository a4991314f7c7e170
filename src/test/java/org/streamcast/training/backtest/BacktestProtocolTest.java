package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/** The rolling-origin protocol on small series computed by hand: splits, origins, gaps, keys of different lengths. */
class BacktestProtocolTest {

  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Cadence HOURLY = new Cadence.Fixed(Duration.ofHours(1));

  private static Series series(String key, double... values) {
    return Series.of(key, T0, HOURLY, values);
  }

  /** A global method: forecasts the mean of all keys' training values; records what it was given and fed. */
  private static final class GlobalMean implements ForecastMethod {
    final Map<String, Series> seenAtFit = new LinkedHashMap<>();
    final Map<String, List<String>> fed = new LinkedHashMap<>();

    @Override
    public String name() {
      return "globalmean";
    }

    @Override
    public Fitted fit(Map<String, Series> trainParts, int horizon) {
      seenAtFit.putAll(trainParts);
      double sum = 0;
      int n = 0;
      for (Series s : trainParts.values()) {
        for (double v : s.values()) {
          if (!Double.isNaN(v)) {
            sum += v;
            n++;
          }
        }
      }
      double mean = sum / n;
      return key -> {
        List<String> log = new ArrayList<>();
        fed.put(key, log);
        return new Cursor() {
          @Override
          public void observe(Instant t, double y) {
            log.add(t + "=" + y);
          }

          @Override
          public void missing(Instant t) {
            log.add(t + "=missing");
          }

          @Override
          public double[] forecast() {
            double[] f = new double[horizon];
            Arrays.fill(f, mean);
            return f;
          }
        };
      };
    }
  }

  @Test
  void shouldScoreHandComputedNaiveErrorsWhenSeriesIsTiny() {
    // n = 10, n_train = 8: origins t = 8, 9; h=1 errors |37-29| and |46-37|; h=2 error |46-29|
    Series s = series("a", 1, 2, 4, 7, 11, 16, 22, 29, 37, 46);
    BacktestResult r = Backtest.run(Map.of("a", s), new BacktestPlan(0.8, List.of(1, 2), 1),
        List.of(new NaiveMethod()), BacktestListener.NONE);
    Scores h1 = r.score("a", "naive", 1);
    assertEquals(2, h1.nEval());
    assertEquals(8.5, h1.mae(), 1e-12);
    assertEquals(Math.sqrt((64 + 81) / 2.0), h1.rmse(), 1e-12);
    assertEquals((200.0 * 8 / 66 + 200.0 * 9 / 83) / 2, h1.smape(), 1e-12);
    // MASE scale over y[1..8] with m = 1: differences 1..7, mean 4
    assertEquals(8.5 / 4, h1.mase(), 1e-12);
    Scores h2 = r.score("a", "naive", 2);
    assertEquals(1, h2.nEval());
    assertEquals(17, h2.mae(), 1e-12);
    assertEquals(r.score("a", "naive", 2), r.summary("naive", 2));
  }

  @Test
  void shouldFitOnTrainingPartsOnlyAndFeedEveryStepWhenMethodIsGlobal() {
    Series a = series("a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Series b = series("b", 10, 20, 30, 40, 50);
    GlobalMean m = new GlobalMean();
    Map<String, Series> data = new LinkedHashMap<>();
    data.put("a", a);
    data.put("b", b);
    BacktestResult r = Backtest.run(data, new BacktestPlan(0.8, List.of(1), 1), List.of(m), BacktestListener.NONE);
    assertEquals(a.head(8), m.seenAtFit.get("a"));
    assertEquals(b.head(4), m.seenAtFit.get("b"));
    assertEquals(10, m.fed.get("a").size());
    assertEquals(T0 + "=1.0", m.fed.get("a").get(0));
    // global mean of 1..8 and 10..40: (36 + 100) / 12
    double mean = 136.0 / 12;
    assertEquals((Math.abs(9 - mean) + Math.abs(10 - mean)) / 2, r.score("a", "globalmean", 1).mae(), 1e-12);
    assertEquals(Math.abs(50 - mean), r.score("b", "globalmean", 1).mae(), 1e-12);
  }

  @Test
  void shouldScoreEachKeyOnItsOwnSplitWhenKeysHaveDifferentLengths() {
    Map<String, Series> data = new LinkedHashMap<>();
    data.put("short", series("short", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    double[] longer = new double[20];
    for (int i = 0; i < longer.length; i++) {
      longer[i] = (i % 2) * 3;
    }
    data.put("long", series("long", longer));
    BacktestResult r = Backtest.run(data, new BacktestPlan(0.8, List.of(1, 2), 1), List.of(new NaiveMethod()),
        BacktestListener.NONE);
    // short: n_train 8, 2 origins; long: n_train 16, 4 origins
    assertEquals(8, r.run("naive", "short").trainLength());
    assertEquals(16, r.run("naive", "long").trainLength());
    assertEquals(2, r.score("short", "naive", 1).nEval());
    assertEquals(4, r.score("long", "naive", 1).nEval());
    assertEquals(3, r.score("long", "naive", 2).nEval());
    assertEquals(1.0, r.score("short", "naive", 1).mase(), 1e-12);
    // long alternates 0, 3: every one-step naive error is 3 and the training scale is 3
    assertEquals(1.0, r.score("long", "naive", 1).mase(), 1e-12);
    assertEquals(0.0, r.score("long", "naive", 2).mae(), 1e-12);
    Scores all = r.summary("naive", 2);
    assertEquals(1 + 3, all.nEval());
    assertEquals((2.0 + 0.0) / 2, all.mae(), 1e-12);
  }

  @Test
  void shouldTellCursorAboutMissingStepsAndScoreOnlyObservedActualsWhenSeriesHasGaps() {
    // hourly data, 10 grid steps, steps 4 and 9 (0-based) missing
    List<Observation> obs = new ArrayList<>();
    double[] values = {1, 2, 3, 4, Double.NaN, 6, 7, 8, 9, Double.NaN, 11, 12};
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        obs.add(new Observation("g", T0.plus(Duration.ofHours(i)), values[i]));
      }
    }
    SeriesPanel panel = SeriesPanel.of(obs);
    assertEquals(HOURLY, panel.cadence());
    Series s = panel.series().get("g");
    assertEquals(12, s.length());
    assertEquals(10, s.observedCount());
    GlobalMean recorder = new GlobalMean();
    // n = 12, n_train = floor(9.6) = 9 (steps 0..8, one gap inside); origins at steps 8..10
    BacktestResult r = Backtest.run(panel.series(), new BacktestPlan(0.8, List.of(1, 2), 1),
        List.of(new NaiveMethod(), recorder), BacktestListener.NONE);
    assertEquals(T0.plus(Duration.ofHours(4)) + "=missing", recorder.fed.get("g").get(4));
    assertEquals(T0.plus(Duration.ofHours(9)) + "=missing", recorder.fed.get("g").get(9));
    KeyRun run = r.run("naive", "g");
    assertEquals(9, run.trainLength());
    // h=1: origin step 8 -> step 9 missing (not scored); origin 9 (gap) forecasts 9 -> actual 11; origin 10 -> 12
    Scores h1 = r.score("g", "naive", 1);
    assertEquals(2, h1.nEval());
    assertEquals(9, run.forecast(1, 1), 1e-12);
    assertEquals((2 + 1) / 2.0, h1.mae(), 1e-12);
    // h=2: origin 8 -> step 10 (11 vs 9), origin 9 -> step 11 (12 vs 9)
    Scores h2 = r.score("g", "naive", 2);
    assertEquals(2, h2.nEval());
    assertEquals((2 + 3) / 2.0, h2.mae(), 1e-12);
    // scale: observed one-step pairs in steps 0..8 are (0,1),(1,2),(2,3),(5,6),(6,7),(7,8): all differences 1
    assertEquals(1.0, run.maseScale(), 1e-12);
    assertTrue(Double.isNaN(run.actual(0, 1)));
  }

  @Test
  void shouldFailWithOneLineWhenHorizonExceedsTestPart() {
    Series s = series("tiny", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    SpecException e = assertThrows(SpecException.class, () -> Backtest.run(Map.of("tiny", s),
        new BacktestPlan(0.8, List.of(1, 3), 1), List.of(new NaiveMethod()), BacktestListener.NONE));
    assertEquals("backtest: horizons: 3 is larger than the test part of key tiny (2 of its 10 steps at split 0.8)",
        e.getMessage());
  }

  @Test
  void shouldScoreTheOtherKeysAndNameTheShortOneWhenOneKeysTestPartIsShorterThanTheHorizon() {
    Series tiny = series("tiny", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Series longer = series("longer", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    Map<String, Series> panel = new java.util.LinkedHashMap<>();
    panel.put("tiny", tiny);
    panel.put("longer", longer);
    BacktestResult r = Backtest.run(panel, new BacktestPlan(0.8, List.of(1, 3), 1), List.of(new NaiveMethod()),
        BacktestListener.NONE);
    assertEquals(List.of("longer"), r.keys());
    assertEquals(Map.of("tiny", "test part of 2 of its 10 steps, shorter than h = 3"), r.leftOut());
    assertEquals(1, r.score("longer", "naive", 3).nEval()); // origins 12..12 of 15 steps: n - n_train - h + 1
    assertEquals(r.score("longer", "naive", 3).mase(), r.score(ScoreRow.ALL, "naive", 3).mase(), 1e-12);
  }

  @Test
  void shouldRejectPlanWhenSplitOrHorizonIsOutOfRange() {
    assertThrows(SpecException.class, () -> new BacktestPlan(1.0, List.of(1), 1));
    assertThrows(SpecException.class, () -> new BacktestPlan(0.8, List.of(0), 1));
    assertThrows(SpecException.class, () -> new BacktestPlan(0.8, List.of(), 1));
    assertThrows(SpecException.class, () -> new BacktestPlan(0.8, List.of(1), 0));
    assertEquals(List.of(1, 12, 48), new BacktestPlan(0.8, List.of(48, 1, 12, 1), 1).horizons());
  }

  @Test
  void shouldFloorTrainLengthWithoutRepresentationErrorsWhenSplitTimesNIsWhole() {
    assertEquals(29, new BacktestPlan(0.29, List.of(1), 1).trainLength(100));
    assertEquals(3225, new BacktestPlan(0.8, List.of(1), 1).trainLength(4032));
    assertEquals(1168, new BacktestPlan(0.8, List.of(1), 1).trainLength(1461));
  }
}
