package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.streamcast.model.Smoothing;

/**
 * Fits a key's exponential smoothing forms ({@link Smoothing}) on its training steps; {@link KeyBaselineFit} judges
 * where the chosen one serves. The forms are ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N), and with a season that the
 * training steps hold three times also ETS(A,N,A), ETS(A,A,A) and ETS(A,Ad,A) (R's ets tries the undamped trend too:
 * a steadily growing population or price index is served badly by a damped one at long horizons); for a positive
 * series also those without a trend or with a damped one on its logarithms. Each one's parameters minimise the
 * squared one-step errors (Nelder–Mead on a bounded transform), and AICc chooses among them.
 */
final class SmoothingFit {

  private static final double[] LOWER = {1e-4, 1e-4, 1e-4, 0.8};
  private static final double[] UPPER = {1, 1, 1, 0.98};

  private SmoothingFit() {}

  /**
   * The smoothing forms to judge, in order: the form of lowest AICc on {@code y[start .. trainEnd)}, then the best of
   * the other family, each only if it beats naive's AICc. A positive series is also smoothed on its logarithms,
   * without a trend or with a damped one; their AICc is put on the values' scale by the Jacobian of the logarithm
   * ({@code 2·Σ log y}), so that both families compare. The runner-up is judged where the winner serves no horizon:
   * AirPassengers' split, whose logarithms win on AICc and serve nowhere, keeps the additive form it was served.
   */
  static List<Smoothing> candidates(double[] y, int trainEnd, int start, int period, int horizon) {
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
    double naive = KeyBaselineFit.aicc(naiveSse(y, trainEnd, start), trainEnd - start, 0);
    Smoothing[] best = new Smoothing[2]; // on the values, on the logarithms
    double[] bestAicc = {naive, naive};
    for (Smoothing f : forms) {
      if (f == null) {
        continue;
      }
      double a = KeyBaselineFit.aicc(KeyBaselineFit.sse(f, y, trainEnd, start), trainEnd - start, parameters(f))
          + (f.log() ? jacobian : 0);
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
      double v = KeyBaselineFit.sse(f, y, trainEnd, start);
      return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }, x0, 400);
    Smoothing f = form(best, free, trend, period, log, none);
    return Double.isFinite(KeyBaselineFit.sse(f, y, trainEnd, start)) ? f : null;
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

  /**
   * Its fitted parameters: the smoothing weights and the damping. The initial states come from a fixed rule on the
   * first values, not from the fit, so they are not counted; counting them as R's ets does (it fits them) rejected
   * every seasonal form on series of a few years, where the season is what matters most.
   */
  private static int parameters(Smoothing f) {
    return 1 + (f.trend() ? (f.phi() < 1 ? 2 : 1) : 0) + (f.period() > 0 ? 1 : 0);
  }

  private static double toBounded(double x, int i) {
    return LOWER[i] + (UPPER[i] - LOWER[i]) / (1 + Math.exp(-x));
  }

  private static double toUnbounded(double v, int i) {
    double u = (v - LOWER[i]) / (UPPER[i] - LOWER[i]);
    return Math.log(u / (1 - u));
  }
}
