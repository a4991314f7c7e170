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
 * Gives each key its own baseline ({@link KeyBaseline}) and decides where it serves: the exponential smoothing form
 * that {@link SmoothingFit} chooses by AICc, which must also beat the naive forecast's AICc (no parameters) on the same
 * steps (on a random walk, such as a price, nothing is fitted), then the other family's best (values or logarithms);
 * where no smoothing serves a horizon, an autoregression ({@link AutoregressionFit}), judged out of sample: fitted on
 * the first half of the training steps, judged on the second.
 *
 * <p>Then, per horizon, it serves the key only where the key is not served the learned output and its mean absolute
 * {@code h}-step error on the second half of the training steps is {@value #MARGIN_PERCENT}% below that of the best
 * simple forecast there (naive, seasonal naive and seasonal naive plus the change over the season, for every seasonal
 * lag). Absolute errors, not squared ones: the scores a forecast is read by (MAE, MASE) are absolute, and on a spiky
 * series (mostly flat, now and then a burst) squared errors prefer a smoothed mean that an absolute score punishes (an
 * oil-shock index of the development corpus was served a smoothing that squared errors preferred by more than 10%, and
 * came out 62% worse than naive at h = 1 on its test part). Short series leave no validation slice to judge on, so the
 * judgement is on the fitted steps; the margin pays for that optimism and for the parameters, and a horizon h needs at
 * least h + {@value #MIN_POSITIONS} positions, as the h-step errors of consecutive origins share h − 1 steps. Chosen on
 * the development corpus: without the margin, a quarterly series whose last season broke the pattern was served it at
 * h = 12 and lost to naive; without the h more positions, six years of monthly deaths were served it at h = 12 on 11
 * positions that hold about one independent error. A horizon too long to judge follows the longest judged one where
 * the judged horizons span a full season of the form and half the model's horizon ({@link #longestFrom}): a short
 * quarterly population (judged up to h = 11) otherwise fell back to a simple forecast at h = 12 and was 4.6 times
 * further from the test part than its own trend. At a horizon the learned output serves, the own baseline takes over
 * only where it beats the learned output by the same margin on the key's validation slice ({@link #beatsLearned}).
 */
final class KeyBaselineFit {

  /** How much lower, in percent, its mean absolute error must be than the best simple forecast's. */
  static final int MARGIN_PERCENT = 5;

  /** Fewest positions it is judged on at h = 0; at horizon h it needs h more. */
  static final int MIN_POSITIONS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(KeyBaselineFit.class);

  private KeyBaselineFit() {}

  /** The learned output's validation errors of one key ({@link KeyProtection.Choice#errors}) and its labels. */
  record Validation(List<List<double[]>> errors, DoubleBinaryOperator label) {}

  /** Label space of one key: the label of a value {@code future} steps after {@code now} ({@code FeatureEncoder}). */
  interface Labels {
    double label(int series, double now, double future);
  }

  /** What {@link #fitAll} gives: each key's own baseline, and per key the horizons still served the learned output. */
  record Fitted(Map<String, KeyBaseline> own, Map<String, boolean[]> learned) {

    /** Its counts as training metrics: key-horizons served the learned output, keys given each kind of baseline. */
    void putMetrics(Map<String, Double> metrics) {
      int learnedPairs = 0;
      for (boolean[] m : learned.values()) {
        for (boolean b : m) {
          learnedPairs += b ? 1 : 0;
        }
      }
      metrics.put("learned_key_horizons", (double) learnedPairs);
      long autoregressions = own.values().stream().filter(b -> b instanceof Autoregression).count();
      metrics.put("smoothing_keys", (double) (own.size() - autoregressions));
      metrics.put("autoregression_keys", (double) autoregressions);
    }
  }

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
    LOG.info("keys served their own baseline at some horizons (its mean absolute error is {}% below the simple "
        + "baselines' on their training steps, or the learned output's on their validation slice): {} of {}{}; "
        + "it took over {} key-horizons from the learned output", MARGIN_PERCENT, out.size(), series.size(),
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
    for (Smoothing ets : SmoothingFit.candidates(y, trainEnd, start, period, learned.length)) {
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
   * Per horizon where {@code learned}, whether {@code f}'s mean absolute error on the key's validation slice, in the
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
      List<double[]> pairs = new ArrayList<>(); // absolute {own, learned, position}, as KeyProtection's errors
      for (double[] e : validation.errors().get(k)) {
        int at = (int) e[2];
        if (at < first || at + k + 1 >= y.length) {
          continue;
        }
        DoubleBinaryOperator label = validation.label();
        double own = label.applyAsDouble(y[at], forecasts[at - first][k]) - label.applyAsDouble(y[at], y[at + k + 1]);
        pairs.add(new double[] {Math.abs(own), Math.sqrt(e[0]), at});
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
    int lastJudged = 0;
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
        ets += Math.abs(forecasts[t][h - 1] - actual);
        naive += Math.abs(y[t] - actual);
        for (int l = 0; l < lags.size(); l++) {
          int m = lags.get(l);
          int back = t + h - m * ((h + m - 1) / m);
          if (t - m < 0 || back < 0) {
            usable[l] = false;
            continue;
          }
          seasonal[l] += Math.abs(y[back] - actual);
          change[l] += Math.abs(y[t] + y[back] - y[t - m] - actual);
        }
        n++;
      }
      if (n < h + MIN_POSITIONS) { // h-step errors of consecutive origins overlap: fewer hold one error's worth
        serves[h - 1] = lastJudged >= longestFrom(f, horizon) && serves[lastJudged - 1];
        continue;
      }
      lastJudged = h;
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

  /**
   * The shortest last judged horizon from which a longer one, too long to judge, follows the longest judged: a full
   * season of the form (every phase of its season shown) and half the horizon. Only the trend's extrapolation
   * differs beyond it, and that is what naive lacks most at long horizons.
   */
  private static int longestFrom(KeyBaseline f, int horizon) {
    int season = f instanceof Smoothing s ? s.period() : 0;
    return Math.max(1, Math.max(season, (horizon + 1) / 2));
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

  static double aicc(double sse, int n, int k) {
    if (n - k - 2 <= 0 || !(sse > 0)) {
      return sse == 0 && n - k - 2 > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return n * Math.log(sse / n) + 2.0 * (k + 1) + 2.0 * (k + 1) * (k + 2) / (n - k - 2);
  }
}
