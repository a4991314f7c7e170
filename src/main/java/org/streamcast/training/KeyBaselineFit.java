package org.streamcast.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.model.Autoregression;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.Smoothing;

/**
 * Fits a key's own baseline ({@link KeyBaseline}: exponential smoothing or an autoregression) on its training steps
 * and decides where it serves.
 *
 * <p>The smoothing forms tried are ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N), and with a season that the training steps
 * hold three times also ETS(A,N,A), ETS(A,A,A) and ETS(A,Ad,A) (R's ets tries the undamped trend too: a steadily
 * growing population or price index is served badly by a damped one at long horizons); each one's parameters minimise
 * the squared one-step errors (Nelder–Mead on a bounded transform), and the form with the lowest AICc wins. It must
 * also beat the naive forecast's AICc (no parameters) on the same steps: on a random walk, such as a price, nothing is
 * fitted. A positive series is also smoothed on its logarithms ({@link #smoothings}). Where no smoothing serves a
 * horizon, an autoregression ({@link AutoregressionFit}) is tried, judged out of sample: fitted on the first half of
 * the training steps, judged on the second.
 *
 * <p>Then, per horizon, it serves the key only where the key is not served the learned output and its {@code h}-step
 * errors on the second half of the training steps are below {@value #MARGIN_PERCENT}% less than those of the best
 * simple forecast there (naive, seasonal naive and seasonal naive plus the change over the season, for every
 * seasonal lag). Short series leave no validation slice to judge on, so the judgement is on the fitted steps; the
 * margin pays for that optimism and for the parameters, and a horizon h needs at least h + {@value #MIN_POSITIONS}
 * positions, as the h-step errors of consecutive origins share h − 1 steps. Chosen on the development corpus:
 * without the margin, a quarterly series whose last season broke the pattern was served it at h = 12 and lost to
 * naive; without the h more positions, six years of monthly deaths were served it at h = 12 on 11 positions that
 * hold about one independent error.
 */
final class KeyBaselineFit {

  /** How much lower, in percent, its mean squared error must be than the best simple forecast's. */
  static final int MARGIN_PERCENT = 10;

  /** Fewest positions it is judged on at h = 0; at horizon h it needs h more. */
  static final int MIN_POSITIONS = 4;

  private static final double[] LOWER = {1e-4, 1e-4, 1e-4, 0.8};
  private static final double[] UPPER = {1, 1, 1, 0.98};

  private static final Logger LOG = LoggerFactory.getLogger(KeyBaselineFit.class);

  private KeyBaselineFit() {}

  /** The learned output's validation errors of one key ({@link KeyProtection.Choice#errors}) and its labels. */
  record Validation(List<List<double[]>> errors, DoubleBinaryOperator label) {}

  /** Label space of one key: the label of a value {@code future} steps after {@code now} ({@code FeatureEncoder}). */
  interface Labels {
    double label(int series, double now, double future);
  }

  /** What {@link #fitAll} gives: each key's own baseline, and per key the horizons still served the learned output. */
  record Fitted(Map<String, KeyBaseline> own, Map<String, boolean[]> learned) {}

  /**
   * Each key's own baseline ({@link KeyBaselineFit}), where it clearly beats the simple baselines on the key's
   * training steps at a horizon the learned output does not serve, or the learned output on the key's validation slice
   * at one it does (the learned output then gives way there).
   *
   * @param validation per key (in the data's order) the learned output's validation errors, empty without validation
   */
  static Fitted fitAll(List<KeySeries> series, List<TrainingData.Encoded> data, Map<String, boolean[]> choice,
      List<List<List<double[]>>> validation, Labels labels, List<Integer> lags, int capacity) {
    Map<String, KeyBaseline> out = new LinkedHashMap<>();
    Map<String, boolean[]> learnedAfter = new LinkedHashMap<>();
    Map<String, Integer> forms = new TreeMap<>();
    int tookOver = 0;
    for (int i = 0; i < series.size(); i++) {
      KeySeries s = series.get(i);
      boolean[] learned = choice.get(s.key());
      if (learned == null) {
        continue;
      }
      int index = i;
      Validation v = validation.isEmpty() ? null
          : new Validation(validation.get(i), (now, future) -> labels.label(index, now, future));
      KeyBaseline own = fit(s.values(), data.get(i).trainEnd(), learned, lags, capacity, v);
      boolean[] after = learned.clone();
      if (own != null) {
        out.put(s.key(), own);
        forms.merge(own.name(), 1, Integer::sum);
        for (int h = 1; h <= after.length; h++) {
          tookOver += own.serves(h) && after[h - 1] ? 1 : 0;
          after[h - 1] &= !own.serves(h);
        }
      }
      learnedAfter.put(s.key(), after);
    }
    LOG.info("keys served their own baseline at some horizons (it beats the simple baselines by {}% on their "
        + "training steps, or the learned output by as much on their validation slice): {} of {}{}; it took over {} "
        + "key-horizons from the learned output", MARGIN_PERCENT, out.size(), series.size(),
        forms.isEmpty() ? "" : " " + forms, tookOver);
    return new Fitted(out, learnedAfter);
  }

  /** {@link #fit(double[], int, boolean[], List, int, Validation)} without validation evidence. */
  static KeyBaseline fit(double[] y, int trainEnd, boolean[] learned, List<Integer> lags, int capacity) {
    return fit(y, trainEnd, learned, lags, capacity, null);
  }

  /**
   * The key's own baseline, or null when no form beats naive or it serves no horizon.
   *
   * @param y          the key's values (gaps filled), oldest first
   * @param trainEnd   the steps it is fitted and judged on ({@code y[0 .. trainEnd)})
   * @param learned    per horizon, whether the key is served the learned output
   * @param lags       the model's seasonal lags
   * @param capacity   the history a key keeps (its baseline must start within it)
   * @param validation the learned output's errors on the key's validation slice (null: none; the learned output then
   *                   keeps its horizons)
   */
  static KeyBaseline fit(double[] y, int trainEnd, boolean[] learned, List<Integer> lags, int capacity,
      Validation validation) {
    int period = period(lags, capacity, trainEnd);
    int start = period + (period > 0 ? 1 : 2);
    if (trainEnd - start < 8) {
      return null;
    }
    for (Smoothing ets : smoothings(y, trainEnd, start, period, learned.length)) {
      boolean[] serves = or(judge(ets, y, trainEnd, learned, lags), beatsLearned(ets, y, learned, validation));
      if (any(serves)) {
        return ets.serving(serves);
      }
    }
    return judgedAutoregression(y, trainEnd, learned, lags, capacity, validation);
  }

  /**
   * Where no smoothing serves: an autoregression, judged out of sample. Against the simple baselines, the one fitted
   * on the first half of the training steps is judged on the second half; against the learned output, the one fitted
   * on all of them on the validation slice; where either serves, the one fitted on all training steps serves. Judged
   * on the steps it was fitted to, an autoregression with an intercept looks better than it is: it reverts to a mean
   * that already knows where the judged steps lie, and a dozen weights fit their noise.
   */
  private static Autoregression judgedAutoregression(double[] y, int trainEnd, boolean[] learned, List<Integer> lags,
      int capacity, Validation validation) {
    int half = trainEnd / 2;
    Autoregression early = AutoregressionFit.fit(y, half, maxOrder(half, capacity), learned.length);
    boolean[] serves = early == null ? new boolean[learned.length] : judge(early, y, trainEnd, learned, lags);
    if (!any(serves) && (validation == null || !any(learned))) {
      return null;
    }
    Autoregression all = AutoregressionFit.fit(y, trainEnd, maxOrder(trainEnd, capacity), learned.length);
    if (all == null) {
      return null;
    }
    serves = or(serves, beatsLearned(all, y, learned, validation));
    return any(serves) ? all.serving(serves) : null;
  }

  /**
   * Per horizon where {@code learned}, whether {@code f}'s mean squared error on the key's validation slice, in the
   * learned output's label space, is {@value #MARGIN_PERCENT}% below the learned output's, on at least
   * {@code h + }{@value #MIN_POSITIONS} positions, and (on {@value KeyProtection#STEADY_EVIDENCE} or more) lower in
   * each half of the slice. The validation slice lies after the training steps {@code f} was fitted on.
   */
  static boolean[] beatsLearned(KeyBaseline f, double[] y, boolean[] learned, Validation validation) {
    int horizon = learned.length;
    boolean[] out = new boolean[horizon];
    if (validation == null) {
      return out;
    }
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (int k = 0; k < horizon; k++) {
      if (learned[k]) {
        for (double[] e : validation.errors().get(k)) {
          first = Math.min(first, (int) e[2]);
          last = Math.max(last, (int) e[2]);
        }
      }
    }
    if (last < f.warmup() - 1) {
      return out;
    }
    first = Math.max(first, f.warmup() - 1);
    double[][] forecasts = new double[last - first + 1][];
    double[] state = f.start(y, f.warmup());
    for (int t = f.warmup() - 1; t <= last; t++) {
      if (t >= f.warmup()) {
        f.update(state, y[t]);
      }
      if (t >= first) {
        forecasts[t - first] = new double[horizon];
        f.forecasts(state, forecasts[t - first]);
      }
    }
    for (int k = 0; k < horizon; k++) {
      if (!learned[k]) {
        continue;
      }
      List<double[]> pairs = new ArrayList<>(); // {own, learned, position}, as KeyProtection's {learned, baseline}
      for (double[] e : validation.errors().get(k)) {
        int at = (int) e[2];
        if (at < first || at + k + 1 >= y.length) {
          continue;
        }
        DoubleBinaryOperator label = validation.label();
        double own = label.applyAsDouble(y[at], forecasts[at - first][k]) - label.applyAsDouble(y[at], y[at + k + 1]);
        pairs.add(new double[] {own * own, e[0], at});
      }
      if (pairs.size() < k + 1 + MIN_POSITIONS) {
        continue;
      }
      double ownSum = 0;
      double learnedSum = 0;
      for (double[] p : pairs) {
        ownSum += p[0];
        learnedSum += p[1];
      }
      out[k] = ownSum < (1 - MARGIN_PERCENT / 100.0) * learnedSum
          && (pairs.size() < KeyProtection.STEADY_EVIDENCE || KeyProtection.lowerInEachHalf(pairs));
    }
    return out;
  }

  private static boolean[] or(boolean[] a, boolean[] b) {
    boolean[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] |= b[i];
    }
    return out;
  }

  /** The most lags an autoregression on {@code n} steps weighs: a tenth of them, and no more than a key holds. */
  private static int maxOrder(int n, int capacity) {
    return Math.min(Autoregression.MAX_ORDER, Math.min(capacity - 1, n / 10));
  }

  private static boolean any(boolean[] mask) {
    for (boolean b : mask) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  /**
   * The smoothing forms to judge, in order: the form of lowest AICc on {@code y[start .. trainEnd)}, then the best of
   * the other family, each only if it beats naive's AICc. A positive series is also smoothed on its logarithms,
   * without a trend or with a damped one; their AICc is put on the values' scale by the Jacobian of the logarithm
   * ({@code 2·Σ log y}), so that both families compare. The runner-up is judged where the winner serves no horizon:
   * AirPassengers' split, whose logarithms win on AICc and serve nowhere, keeps the additive form it was served.
   */
  private static List<Smoothing> smoothings(double[] y, int trainEnd, int start, int period, int horizon) {
    boolean positive = true;
    double jacobian = 0;
    for (int t = 0; t < trainEnd; t++) {
      positive &= y[t] > 0;
      jacobian += t >= start && y[t] > 0 ? 2 * Math.log(y[t]) : 0;
    }
    List<Smoothing> forms = new ArrayList<>();
    for (boolean log : positive ? new boolean[] {false, true} : new boolean[] {false}) {
      for (int p : period > 0 ? new int[] {0, period} : new int[] {0}) {
        forms.add(fitForm(y, trainEnd, start, Trend.NONE, p, log, horizon));
        forms.add(fitForm(y, trainEnd, start, Trend.DAMPED, p, log, horizon));
        if (!log) { // on the logarithms an undamped trend is exponential growth forever
          forms.add(fitForm(y, trainEnd, start, Trend.LINEAR, p, log, horizon));
        }
      }
    }
    double naive = aicc(naiveSse(y, trainEnd, start), trainEnd - start, 0);
    Smoothing[] best = new Smoothing[2]; // on the values, on the logarithms
    double[] bestAicc = {naive, naive};
    for (Smoothing f : forms) {
      if (f == null) {
        continue;
      }
      double a = aicc(sse(f, y, trainEnd, start), trainEnd - start, parameters(f)) + (f.log() ? jacobian : 0);
      int family = f.log() ? 1 : 0;
      if (a < bestAicc[family]) {
        bestAicc[family] = a;
        best[family] = f;
      }
    }
    List<Smoothing> out = new ArrayList<>(2);
    int first = bestAicc[1] < bestAicc[0] ? 1 : 0;
    for (int family : new int[] {first, 1 - first}) {
      if (best[family] != null) {
        out.add(best[family]);
      }
    }
    return out;
  }

  private static double naiveSse(double[] y, int trainEnd, int start) {
    double sse = 0;
    for (int t = start; t < trainEnd; t++) {
      sse += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
    }
    return sse;
  }

  /** The shortest seasonal lag it can model and the training steps hold three times, or 0. */
  static int period(List<Integer> lags, int capacity, int trainEnd) {
    int period = 0;
    for (int m : lags) {
      boolean fits = m >= 2 && m <= Smoothing.MAX_PERIOD && m + 1 <= capacity && 3 * m <= trainEnd;
      if (fits && (period == 0 || m < period)) {
        period = m;
      }
    }
    return period;
  }

  /** Per horizon, whether it serves: not learned there, and clearly better than every simple forecast. */
  private static boolean[] judge(KeyBaseline f, double[] y, int trainEnd, boolean[] learned, List<Integer> lags) {
    int horizon = learned.length;
    int from = Math.max(f.warmup(), trainEnd / 2);
    double[][] forecasts = new double[trainEnd][];
    double[] state = f.start(y, f.warmup());
    for (int t = f.warmup(); t < trainEnd; t++) {
      f.update(state, y[t]);
      if (t >= from) {
        forecasts[t] = new double[horizon];
        f.forecasts(state, forecasts[t]);
      }
    }
    boolean[] serves = new boolean[horizon];
    for (int h = 1; h <= horizon; h++) {
      if (learned[h - 1]) {
        continue;
      }
      int n = 0;
      double ets = 0;
      double naive = 0;
      double[] seasonal = new double[lags.size()];
      double[] change = new double[lags.size()];
      boolean[] usable = new boolean[lags.size()];
      Arrays.fill(usable, true);
      for (int t = from; t + h < trainEnd; t++) {
        double actual = y[t + h];
        ets += sq(forecasts[t][h - 1] - actual);
        naive += sq(y[t] - actual);
        for (int l = 0; l < lags.size(); l++) {
          int m = lags.get(l);
          int back = t + h - m * ((h + m - 1) / m);
          if (t - m < 0 || back < 0) {
            usable[l] = false;
            continue;
          }
          seasonal[l] += sq(y[back] - actual);
          change[l] += sq(y[t] + y[back] - y[t - m] - actual);
        }
        n++;
      }
      if (n < h + MIN_POSITIONS) { // h-step errors of consecutive origins overlap: fewer hold one error's worth
        continue;
      }
      double simple = naive;
      for (int l = 0; l < lags.size(); l++) {
        if (usable[l]) {
          simple = Math.min(simple, Math.min(seasonal[l], change[l]));
        }
      }
      serves[h - 1] = ets < (1 - MARGIN_PERCENT / 100.0) * simple;
    }
    return serves;
  }

  /** The trend of a form. */
  private enum Trend { NONE, LINEAR, DAMPED }

  /** The form's parameters fitted by Nelder–Mead; null when none gives finite errors. */
  private static Smoothing fitForm(double[] y, int trainEnd, int start, Trend trend, int period, boolean log,
      int horizon) {
    int[] free = free(trend, period);
    double[] x0 = new double[free.length];
    double[] init = {0.5, 0.1, 0.1, 0.95};
    for (int i = 0; i < free.length; i++) {
      x0[i] = toUnbounded(init[free[i]], free[i]);
    }
    boolean[] none = new boolean[horizon];
    double[] best = NelderMead.minimize(x -> {
      Smoothing f = form(x, free, trend, period, log, none);
      double v = sse(f, y, trainEnd, start);
      return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }, x0, 400);
    Smoothing f = form(best, free, trend, period, log, none);
    return Double.isFinite(sse(f, y, trainEnd, start)) ? f : null;
  }

  /** Indices into {alpha, beta-fraction, gamma-fraction, phi} that the form has. */
  private static int[] free(Trend trend, int period) {
    List<Integer> f = new ArrayList<>(List.of(0));
    if (trend != Trend.NONE) {
      f.add(1);
    }
    if (period > 0) {
      f.add(2);
    }
    if (trend == Trend.DAMPED) {
      f.add(3);
    }
    return f.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Smoothing form(double[] x, int[] free, Trend trend, int period, boolean log, boolean[] horizons) {
    double[] p = {0, 0, 0, 1};
    for (int i = 0; i < free.length; i++) {
      p[free[i]] = toBounded(x[i], free[i]);
    }
    double alpha = p[0];
    boolean trended = trend != Trend.NONE;
    return new Smoothing(trended, period, alpha, trended ? p[1] * alpha : 0, period > 0 ? p[2] * (1 - alpha) : 0,
        trend == Trend.DAMPED ? p[3] : 1, log, horizons);
  }

  /** Squared one-step errors on {@code y[start .. trainEnd)}, the state started from the first values. */
  static double sse(KeyBaseline f, double[] y, int trainEnd, int start) {
    double[] state = f.start(y, f.warmup());
    double sse = 0;
    for (int t = f.warmup(); t < trainEnd; t++) {
      double e = f.update(state, y[t]);
      if (t >= start) {
        sse += e * e;
      }
    }
    return sse;
  }

  /**
   * Its fitted parameters: the smoothing weights and the damping. The initial states come from a fixed rule on the
   * first values, not from the fit, so they are not counted; counting them as R's ets does (it fits them) rejected
   * every seasonal form on series of a few years, where the season is what matters most.
   */
  private static int parameters(Smoothing f) {
    return 1 + (f.trend() ? (f.phi() < 1 ? 2 : 1) : 0) + (f.period() > 0 ? 1 : 0);
  }

  static double aicc(double sse, int n, int k) {
    if (n - k - 2 <= 0 || !(sse > 0)) {
      return sse == 0 && n - k - 2 > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return n * Math.log(sse / n) + 2.0 * (k + 1) + 2.0 * (k + 1) * (k + 2) / (n - k - 2);
  }

  private static double toBounded(double x, int i) {
    return LOWER[i] + (UPPER[i] - LOWER[i]) / (1 + Math.exp(-x));
  }

  private static double toUnbounded(double v, int i) {
    double u = (v - LOWER[i]) / (UPPER[i] - LOWER[i]);
    return Math.log(u / (1 - u));
  }

  private static double sq(double v) {
    return v * v;
  }
}
