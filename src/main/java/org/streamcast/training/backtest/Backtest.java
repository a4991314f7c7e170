package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.SpecException;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.QualityStep;

/**
 * The protocol of {@code docs/protocol.md}, for any {@link ForecastMethod}.
 *
 * <p>Per key with {@code n} grid steps {@code y[1..n]} (gaps included, as {@code NaN}):
 * <ol>
 *   <li>{@code n_train = floor(split·n)}; the method is fitted once on all keys' {@code y[1..n_train]}.</li>
 *   <li>Rolling origin without refit: a cursor is fed {@code y[1..n_train]}, then for every origin
 *       {@code t = n_train .. n−1} it forecasts {@code y[t+1 .. t+H]} and is fed {@code y[t+1]}. A missing step is fed
 *       as {@link Cursor#missing}; forecasts are still made at such origins.</li>
 *   <li>At horizon {@code h} only {@code ŷ[t+h | t]} for {@code t = n_train .. n−h} is scored, where {@code y[t+h]}
 *       is observed: {@code n − n_train − h + 1} errors per key without gaps, fewer with gaps.</li>
 *   <li>MAE, RMSE, sMAPE and MASE ({@link ErrorAccumulator}, denominator {@link MaseScale} over the training part with
 *       the plan's season); keys are summarised by the unweighted mean ({@link Scores#unweightedMean}).</li>
 *   <li>Per interval level of the plan, the coverage and MSIS of the intervals issued with those forecasts (scaled
 *       by the same MASE denominator). A method without intervals of its own gets the serving path's adaptive
 *       conformal bands from its own errors ({@link ConformalCursor}).</li>
 * </ol>
 * A key whose test part is shorter than the longest horizon ({@code n − n_train < H}) or that has no training part is
 * left out of the run (neither trained on nor scored) and named in {@link BacktestResult#leftOut()}: one short key of a
 * panel must not cost the others their scores. A panel with no key left to score is an error.
 */
public final class Backtest {

  private static final Logger LOG = LoggerFactory.getLogger(Backtest.class);

  private Backtest() {}

  /**
   * Runs the methods over the series.
   *
   * @param series   the keys' series (usually {@link SeriesPanel#series()})
   * @param plan     split, horizons, MASE season
   * @param methods  the methods, with distinct names
   * @param listener progress
   * @throws SpecException when every key is too short for the plan, or method names repeat
   */
  public static BacktestResult run(
      Map<String, Series> all, BacktestPlan plan, List<ForecastMethod> methods, BacktestListener listener) {
    Map<String, String> leftOut = new LinkedHashMap<>();
    Map<String, Series> series = scorable(all, plan, methods, leftOut);
    if (!leftOut.isEmpty()) {
      LOG.warn("backtest: {} of {} keys left out, too short for the plan: {}", leftOut.size(), all.size(),
          BacktestResult.describe(leftOut, 5));
    }
    int horizon = plan.maxHorizon();
    Map<String, Series> trainParts = new LinkedHashMap<>();
    Map<String, Double> scales = new LinkedHashMap<>();
    series.forEach((key, s) -> {
      Series train = s.head(plan.trainLength(s.length()));
      trainParts.put(key, train);
      scales.put(key, MaseScale.of(train, plan.scoringSeason()));
    });
    Map<String, Map<String, KeyRun>> runs = new LinkedHashMap<>();
    List<ScoreRow> perKey = new ArrayList<>();
    long total = (long) methods.size() * series.size();
    long done = 0;
    for (ForecastMethod method : methods) {
      long started = System.nanoTime();
      Fitted fitted = method.fit(java.util.Collections.unmodifiableMap(trainParts), horizon);
      LOG.info("backtest: {} fitted on {} keys in {} ms", method.name(), trainParts.size(),
          (System.nanoTime() - started) / 1_000_000);
      Map<String, KeyRun> byKey = new LinkedHashMap<>();
      // methods without intervals of their own get the serving path's bands from their own errors; their pipeline
      // scores (the young keys' bands) are shared by the method's keys, as a pipeline's are by its keys
      QualityStep bands = new QualityStep(new PipelineScores(ScoredHorizons.of(horizon), plan.bands().levels()),
          plan.bands().rate());
      for (Map.Entry<String, Series> e : series.entrySet()) {
        String key = e.getKey();
        Cursor cursor = fitted.start(key);
        if (cursor.halfWidths() == null) {
          cursor = new ConformalCursor(cursor, bands, horizon);
        }
        KeyRun run = roll(method.name(), cursor, e.getValue(), trainParts.get(key).length(),
            scales.get(key), plan.horizons(), horizon, plan.bands().levels().size());
        byKey.put(key, run);
        perKey.addAll(score(method.name(), key, run, plan.bands().levelArray()));
        listener.progress(++done, total, method.name() + " " + key);
      }
      runs.put(method.name(), byKey);
    }
    List<String> names = methods.stream().map(ForecastMethod::name).toList();
    return new BacktestResult(plan, runs, BacktestResult.withSummaries(perKey, names, plan.horizons()), leftOut);
  }

  /** The keys the plan can score; the others go to {@code leftOut} with the reason. */
  private static Map<String, Series> scorable(Map<String, Series> series, BacktestPlan plan,
      List<ForecastMethod> methods, Map<String, String> leftOut) {
    if (series.isEmpty()) {
      throw SpecException.of("backtest", "keys", "no series to score");
    }
    Set<String> names = new HashSet<>();
    for (ForecastMethod m : methods) {
      if (!names.add(m.name())) {
        throw SpecException.of("backtest", "methods", "method " + m.name() + " appears twice");
      }
    }
    Map<String, Series> kept = new LinkedHashMap<>();
    SpecException first = null;
    for (Series s : series.values()) {
      if (s.key().equals(ScoreRow.ALL)) {
        throw SpecException.of("backtest", "keys", "key " + ScoreRow.ALL + " is reserved for the summary rows");
      }
      int n = s.length();
      int train = plan.trainLength(n);
      if (train < 1) {
        leftOut.put(s.key(), n + " steps: no training part at split " + plan.split());
        first = first != null ? first : SpecException.of("backtest", "split", "key " + s.key() + " has " + n
            + " steps: no training part at split " + plan.split());
      } else if (n - train < plan.maxHorizon()) {
        leftOut.put(s.key(), "test part of " + (n - train) + " of its " + n + " steps, shorter than h = "
            + plan.maxHorizon());
        first = first != null ? first : SpecException.of("backtest", "horizons", plan.maxHorizon()
            + " is larger than the test part of key " + s.key() + " (" + (n - train) + " of its " + n
            + " steps at split " + plan.split() + ")");
      } else {
        kept.put(s.key(), s);
      }
    }
    if (kept.isEmpty()) {
      throw first;
    }
    return kept;
  }

  private static KeyRun roll(String method, Cursor cursor, Series s, int trainLength, double scale,
      List<Integer> horizons, int horizon, int levels) {
    int n = s.length();
    int origins = n - trainLength;
    double[][] kept = new double[horizons.size()][origins];
    double[][][] half = new double[levels][horizons.size()][origins];
    for (int i = 0; i < n; i++) {
      if (s.observed(i)) {
        if (s.covariateNames().isEmpty()) {
          cursor.observe(s.time(i), s.value(i));
        } else {
          cursor.observe(s.time(i), s.value(i), s.covariatesAt(i));
        }
      } else {
        cursor.missing(s.time(i));
      }
      int o = i - (trainLength - 1);
      if (o < 0 || o >= origins) {
        continue;
      }
      double[] f = cursor.forecast();
      if (f.length != horizon) {
        throw new IllegalStateException(method + " forecast " + f.length + " steps for key " + s.key()
            + "; the horizon is " + horizon);
      }
      double[][] widths = cursor.halfWidths();
      for (int k = 0; k < horizons.size(); k++) {
        kept[k][o] = f[horizons.get(k) - 1];
        for (int l = 0; l < levels; l++) {
          half[l][k][o] = widths == null || l >= widths.length ? Double.NaN : widths[l][horizons.get(k) - 1];
        }
      }
    }
    return new KeyRun(s, trainLength, scale, horizons, kept, half);
  }

  private static List<ScoreRow> score(String method, String key, KeyRun run, double[] levels) {
    List<ScoreRow> rows = new ArrayList<>();
    for (int h : run.horizons()) {
      ErrorAccumulator acc = new ErrorAccumulator(levels);
      for (int o = 0; o < run.origins() && run.hasTarget(o, h); o++) {
        double actual = run.actual(o, h);
        double forecast = run.forecast(o, h);
        if (acc.add(actual, forecast)) {
          for (int l = 0; l < run.levels(); l++) {
            double w = run.halfWidth(l, o, h);
            acc.addInterval(l, actual, forecast - w, forecast + w);
          }
        }
      }
      rows.add(new ScoreRow(key, method, h, acc.scores(run.maseScale())));
    }
    return rows;
  }
}
