package org.streamcast.retrain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.training.backtest.Backtest;
import org.streamcast.training.backtest.BacktestListener;
import org.streamcast.training.backtest.BacktestPlan;
import org.streamcast.training.backtest.BacktestResult;
import org.streamcast.training.backtest.ForecastMethod;
import org.streamcast.training.backtest.ScoreRow;
import org.streamcast.training.backtest.Series;

/**
 * The MASE of each method, key and horizon on the judgement's sample of keys, by the backtest's protocol, run
 * {@value #CHUNK} keys at a time: a backtest keeps every forecast of every key, so one run over a large sample would
 * hold memory in proportion to it; only the scores are kept here.
 */
final class SampleScores {
  /** Keys per backtest run. */
  static final int CHUNK = 25;

  private final List<String> keys;
  private final Map<String, double[][]> mase;

  private SampleScores(List<String> keys, Map<String, double[][]> mase) {
    this.keys = keys;
    this.mase = mase;
  }

  /** Runs the methods over the series (each method's fit must ignore the keys it is given, or the chunks differ). */
  static SampleScores run(Map<String, Series> series, BacktestPlan plan, List<ForecastMethod> methods,
      BacktestListener listener) {
    List<String> keys = new ArrayList<>(series.keySet());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    int horizon = plan.maxHorizon();
    Map<String, double[][]> out = new LinkedHashMap<>();
    for (ForecastMethod m : methods) {
      double[][] table = new double[keys.size()][horizon];
      for (double[] row : table) {
        java.util.Arrays.fill(row, Double.NaN);
      }
      out.put(m.name(), table);
    }
    long total = (long) methods.size() * keys.size();
    long before = 0;
    for (int from = 0; from < keys.size(); from += CHUNK) {
      Map<String, Series> chunk = new LinkedHashMap<>();
      for (String k : keys.subList(from, Math.min(keys.size(), from + CHUNK))) {
        chunk.put(k, series.get(k));
      }
      long base = before;
      BacktestResult r = Backtest.run(chunk, plan, methods,
          (done, all, message) -> listener.progress(base + done, total, message));
      for (ScoreRow row : r.rows()) {
        if (!row.key().equals(ScoreRow.ALL)) {
          out.get(row.method())[index.get(row.key())][row.h() - 1] = row.scores().mase();
        }
      }
      before += (long) methods.size() * chunk.size();
    }
    return new SampleScores(keys, out);
  }

  /** Keys scored. */
  int keys() {
    return keys.size();
  }

  /** Per horizon, the unweighted mean over keys (NaN left out), as the backtest's summary. */
  double[] summary(String method) {
    double[][] t = mase.get(method);
    int horizon = t.length == 0 ? 0 : t[0].length;
    double[] out = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      double sum = 0;
      int n = 0;
      for (double[] row : t) {
        if (!Double.isNaN(row[h])) {
          sum += row[h];
          n++;
        }
      }
      out[h] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }

  /**
   * The confidence that {@code mean(a) < factor · mean(b)} over the fleet the keys were sampled from: each key's
   * paired difference {@code a_k − factor · b_k} of its MASE averaged over the horizons, and the one-sided normal
   * probability that their mean is below 0 (keys without finite scores for both left out). NaN with fewer than two
   * keys.
   */
  double confidence(String a, String b, double factor) {
    double[][] ta = mase.get(a);
    double[][] tb = mase.get(b);
    List<Double> d = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      double x = Judgement.mean(ta[k]);
      double y = Judgement.mean(tb[k]);
      if (Double.isFinite(x) && Double.isFinite(y)) {
        d.add(x - factor * y);
      }
    }
    return confidence(d.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** {@code P(mean < 0)} for the mean of {@code d}, by the normal approximation. */
  static double confidence(double[] d) {
    int n = d.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mean = 0;
    for (double v : d) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : d) {
      ss += (v - mean) * (v - mean);
    }
    double se = Math.sqrt(ss / (n - 1) / n);
    if (se == 0) {
      return mean < 0 ? 1 : mean > 0 ? 0 : 0.5;
    }
    return normalCdf(-mean / se);
  }

  /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
  static double normalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
