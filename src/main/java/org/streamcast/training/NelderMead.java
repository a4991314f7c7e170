package org.streamcast.training;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * The Nelder–Mead simplex search (standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½), for
 * the few smooth parameters of {@link SmoothingFit}: no gradient is needed, and four parameters do not
 * justify a numerical library.
 */
final class NelderMead {

  private NelderMead() {}

  /** The point of lowest {@code f} found from {@code x0} within {@code maxEvaluations} evaluations. */
  static double[] minimize(ToDoubleFunction<double[]> f, double[] x0, int maxEvaluations) {
    int n = x0.length;
    double[][] p = new double[n + 1][];
    double[] v = new double[n + 1];
    p[0] = x0.clone();
    for (int i = 0; i < n; i++) {
      p[i + 1] = x0.clone();
      p[i + 1][i] += 1;
    }
    int evals = 0;
    for (int i = 0; i <= n; i++) {
      v[i] = f.applyAsDouble(p[i]);
      evals++;
    }
    Integer[] order = new Integer[n + 1];
    while (evals < maxEvaluations) {
      for (int i = 0; i <= n; i++) {
        order[i] = i;
      }
      double[] vv = v;
      Arrays.sort(order, Comparator.comparingDouble(i -> vv[i]));
      double[][] ps = new double[n + 1][];
      double[] vs = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        ps[i] = p[order[i]];
        vs[i] = v[order[i]];
      }
      p = ps;
      v = vs;
      if (Math.abs(v[n] - v[0]) <= 1e-10 * (Math.abs(v[0]) + 1e-300)) {
        break;
      }
      double[] centroid = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          centroid[j] += p[i][j] / n;
        }
      }
      double[] reflected = along(centroid, p[n], -1);
      double fr = f.applyAsDouble(reflected);
      evals++;
      if (fr < v[0]) {
        double[] expanded = along(centroid, p[n], -2);
        double fe = f.applyAsDouble(expanded);
        evals++;
        if (fe < fr) {
          p[n] = expanded;
          v[n] = fe;
        } else {
          p[n] = reflected;
          v[n] = fr;
        }
      } else if (fr < v[n - 1]) {
        p[n] = reflected;
        v[n] = fr;
      } else {
        double[] contracted = fr < v[n] ? along(centroid, p[n], -0.5) : along(centroid, p[n], 0.5);
        double fc = f.applyAsDouble(contracted);
        evals++;
        if (fc < Math.min(fr, v[n])) {
          p[n] = contracted;
          v[n] = fc;
        } else {
          for (int i = 1; i <= n; i++) {
            for (int j = 0; j < n; j++) {
              p[i][j] = p[0][j] + 0.5 * (p[i][j] - p[0][j]);
            }
            v[i] = f.applyAsDouble(p[i]);
            evals++;
          }
        }
      }
    }
    int best = 0;
    for (int i = 1; i <= n; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return p[best].clone();
  }

  /** {@code centroid + t · (point − centroid)}. */
  private static double[] along(double[] centroid, double[] point, double t) {
    double[] out = new double[centroid.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = centroid[j] + t * (point[j] - centroid[j]);
    }
    return out;
  }
}
