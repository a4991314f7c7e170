package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.streamcast.model.FeatureSpec;

/**
 * The linear part of the output head, fitted before the recurrent part: per horizon {@code h}, the baseline
 * ({@link HeadStart}: the head inputs it sums with weight 1) plus a ridge regression of the baseline's error on the
 * head inputs that belong to {@code h} (each seasonal lag's input for {@code h}, the naive input and the changes over
 * each lag) and, for a level target, an intercept. An AR-like forecast that blends naive, seasonal naive and the
 * current deviation from last season by how they did on the training steps; the penalty pulls it towards the
 * baseline, so with little data it stays there.
 *
 * <p>Fitted on all keys' training steps (before each key's validation slice, after its longest lag, label inside the
 * training steps), in target space. The penalty is a relative strength times the mean of the regressors' second
 * moments (summed over the steps), so it does not depend on the data's size or scale; the intercept is not penalized.
 * The strength is chosen per horizon from {@link #RIDGES} by blocked cross-validation on the training steps: series
 * differ too much for one strength to suit them all (a noisy daily sensor wants a near least-squares fit that reverts
 * to its mean at long horizons; a short monthly panel wants to stay at its baseline). The validation slice stays
 * out of it, so that it still judges the learned output without bias ({@link KeyProtection}); choosing there and
 * then testing there passed fits that were worse than naive on later data. The strongest penalty within
 * {@link #TOLERANCE} of the best error wins.
 *
 * <p>The recurrent part then learns only what this linear forecast leaves ({@link #residuals}), starting at exactly
 * 0: training cannot destroy the start, as no weight that produces it is trained.
 *
 * @param weights   per horizon, the weight of every head input in target space ({@code [headInputs][horizon]}
 *                  row-major), the baseline's inputs included
 * @param intercept per horizon, the intercept in target space (0 unless the target is the level)
 * @param scale     per horizon, the root mean squared error of the linear forecast on the training steps (the
 *                  recurrent part's output unit; positive)
 */
record LinearHead(float[] weights, double[] intercept, double[] scale) {

  /** Blocks of each key's training steps for choosing the strength by cross-validation. */
  static final int FOLDS = 5;

  /** The relative ridge penalties tried, weakest first. */
  static final double[] RIDGES = {1e-4, 1e-3, 1e-2, 0.05, 0.25, 1};

  /** Relative excess of validation error a stronger penalty may have over the best and still be chosen. */
  static final double TOLERANCE = 0.002;

  /** Fits the linear head around {@code start} on the training steps of {@code data}. */
  static LinearHead fit(FeatureSpec features, List<TrainingData.Encoded> data, HeadStart start) {
    int horizon = features.horizon();
    int nx = features.recurrentInputs();
    int nh = features.headInputs();
    boolean intercept = features.target() == FeatureSpec.Target.LEVEL;
    float[] w = new float[nh * horizon];
    for (int k = 0; k < horizon; k++) {
      for (int i : start.inputs().get(k)) {
        w[i * horizon + k] = 1;
      }
    }
    double[] b = new double[horizon];
    double[] rmse = new double[horizon];
    int warmup = features.historyLength() - 1;
    for (int k = 0; k < horizon; k++) {
      int[] cols = columns(features, k);
      int p = cols.length + (intercept ? 1 : 0);
      // moments per fold: each key's training steps cut into FOLDS contiguous blocks (blocked cross-validation)
      double[][][] xtx = new double[FOLDS][p][p];
      double[][] xtr = new double[FOLDS][p];
      double[] rr = new double[FOLDS];
      double[] row = new double[p];
      long n = 0;
      for (TrainingData.Encoded e : data) {
        int last = e.trainEnd() - k - 1; // steps t < last have their label inside the training steps
        for (int t = warmup; t < last; t++) {
          float[] in = e.inputs()[t];
          double r = e.labels()[t][k] - baseline(start, k, in, nx);
          for (int j = 0; j < cols.length; j++) {
            row[j] = in[nx + cols[j]];
          }
          if (intercept) {
            row[p - 1] = 1;
          }
          int f = (int) ((long) FOLDS * (t - warmup) / (last - warmup));
          accumulate(xtx[f], xtr[f], row, r);
          rr[f] += r * r;
          n++;
        }
      }
      double[] beta = new double[p];
      if (n > p) {
        beta = ridge(sum(xtx), sum(xtr), cols.length, bestStrength(xtx, xtr, rr, cols.length));
      }
      for (int j = 0; j < cols.length; j++) {
        w[cols[j] * horizon + k] += (float) beta[j];
      }
      b[k] = intercept ? beta[p - 1] : 0;
      double sse = 0;
      long count = 0;
      for (TrainingData.Encoded e : data) {
        for (int t = warmup; t + k + 1 < e.trainEnd(); t++) {
          double d = forecast(w, b, k, horizon, e.inputs()[t], nx, nh) - e.labels()[t][k];
          sse += d * d;
          count++;
        }
      }
      rmse[k] = count == 0 ? Double.NaN : Math.sqrt(sse / count);
    }
    double largest = 0;
    for (double v : rmse) {
      largest = Double.isFinite(v) ? Math.max(largest, v) : largest;
    }
    double floor = largest > 0 ? HeadStart.MIN_SCALE_FRACTION * largest : 1;
    for (int k = 0; k < horizon; k++) {
      rmse[k] = Double.isFinite(rmse[k]) && rmse[k] >= floor ? rmse[k] : floor;
    }
    return new LinearHead(w, b, rmse);
  }

  private static void accumulate(double[][] xtx, double[] xtr, double[] row, double r) {
    int p = row.length;
    for (int i = 0; i < p; i++) {
      xtr[i] += row[i] * r;
      for (int j = 0; j < p; j++) {
        xtx[i][j] += row[i] * row[j];
      }
    }
  }

  /** The ridge solution with relative strength {@code strength} (the first {@code penalized} coefficients only). */
  static double[] ridge(double[][] xtx, double[] xtr, int penalized, double strength) {
    int p = xtr.length;
    double moment = 0;
    for (int j = 0; j < penalized; j++) {
      moment += xtx[j][j];
    }
    double penalty = penalized == 0 ? 0 : strength * moment / penalized;
    double[][] a = new double[p][];
    for (int i = 0; i < p; i++) {
      a[i] = xtx[i].clone();
      a[i][i] += i < penalized ? penalty : 1e-9 * Math.max(1, a[i][i]);
    }
    return solve(a, xtr);
  }

  /**
   * Of {@link #RIDGES}, the strength whose blocked cross-validation error is lowest (each fold predicted by the fit
   * on the other folds, all from the per-fold moments: ‖r‖² − 2β·Xᵀr + βᵀXᵀXβ), preferring the strongest within
   * {@link #TOLERANCE} of it.
   */
  static double bestStrength(double[][][] xtx, double[][] xtr, double[] rr, int penalized) {
    int p = xtr[0].length;
    double[][] allX = sum(xtx);
    double[] allR = sum(xtr);
    double[] sse = new double[RIDGES.length];
    double best = Double.POSITIVE_INFINITY;
    for (int g = 0; g < RIDGES.length; g++) {
      for (int f = 0; f < xtx.length; f++) {
        double[][] restX = new double[p][p];
        double[] restR = new double[p];
        for (int i = 0; i < p; i++) {
          restR[i] = allR[i] - xtr[f][i];
          for (int j = 0; j < p; j++) {
            restX[i][j] = allX[i][j] - xtx[f][i][j];
          }
        }
        double[] b = ridge(restX, restR, penalized, RIDGES[g]);
        double e = rr[f];
        for (int i = 0; i < p; i++) {
          e -= 2 * b[i] * xtr[f][i];
          for (int j = 0; j < p; j++) {
            e += b[i] * xtx[f][i][j] * b[j];
          }
        }
        sse[g] += e;
      }
      best = Math.min(best, sse[g]);
    }
    for (int g = RIDGES.length - 1; g >= 0; g--) {
      if (sse[g] <= best * (1 + TOLERANCE)) {
        return RIDGES[g];
      }
    }
    return RIDGES[0];
  }

  private static double[][] sum(double[][][] parts) {
    int p = parts[0].length;
    double[][] out = new double[p][p];
    for (double[][] part : parts) {
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          out[i][j] += part[i][j];
        }
      }
    }
    return out;
  }

  private static double[] sum(double[][] parts) {
    double[] out = new double[parts[0].length];
    for (double[] part : parts) {
      for (int i = 0; i < out.length; i++) {
        out[i] += part[i];
      }
    }
    return out;
  }

  /** The head inputs that belong to output {@code k}: each lag's block for {@code k}, the naive input, the changes. */
  static int[] columns(FeatureSpec f, int k) {
    List<Integer> c = new ArrayList<>();
    for (int l = 0; l < f.seasonalLags().size(); l++) {
      c.add(l * f.horizon() + k);
    }
    if (f.persistenceInputs()) {
      c.add(f.naiveHeadInput());
      for (int l = 0; l < f.seasonalLags().size(); l++) {
        c.add(f.changeHeadInput(l));
      }
    }
    return c.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The baseline forecast of output {@code k} (target space) for the encoded input {@code in}. */
  static double baseline(HeadStart start, int k, float[] in, int nx) {
    double f = 0;
    for (int i : start.inputs().get(k)) {
      f += in[nx + i];
    }
    return f;
  }

  /** The linear forecast of output {@code k} (target space). */
  double forecast(int k, float[] in, int nx) {
    int horizon = intercept.length;
    return forecast(weights, intercept, k, horizon, in, nx, weights.length / horizon);
  }

  private static double forecast(float[] w, double[] b, int k, int horizon, float[] in, int nx, int nh) {
    double f = b[k];
    for (int i = 0; i < nh; i++) {
      float wi = w[i * horizon + k];
      if (wi != 0) {
        f += wi * in[nx + i];
      }
    }
    return f;
  }

  /**
   * The data with each label replaced by what the linear forecast leaves, {@code label − linear}: what the
   * recurrent part learns.
   */
  List<TrainingData.Encoded> residuals(List<TrainingData.Encoded> data, int nx) {
    List<TrainingData.Encoded> out = new ArrayList<>();
    int horizon = intercept.length;
    for (TrainingData.Encoded e : data) {
      float[][] labels = new float[e.length()][horizon];
      for (int t = 0; t < e.length(); t++) {
        for (int k = 0; k < horizon; k++) {
          float l = e.labels()[t][k];
          labels[t][k] = Float.isNaN(l) ? Float.NaN : (float) (l - forecast(k, e.inputs()[t], nx));
        }
      }
      out.add(new TrainingData.Encoded(e.key(), e.inputs(), labels, e.trainEnd()));
    }
    return out;
  }

  /** Solves {@code a·x = y} (symmetric positive definite) by Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a, double[] y) {
    int n = y.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = y[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = m[c];
      m[c] = m[pivot];
      m[pivot] = tmp;
      if (Math.abs(m[c][c]) < 1e-300) {
        continue;
      }
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / m[c][c];
        for (int j = c; j <= n; j++) {
          m[r][j] -= f * m[c][j];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int j = r + 1; j < n; j++) {
        s -= m[r][j] * x[j];
      }
      x[r] = Math.abs(m[r][r]) < 1e-300 ? 0 : s / m[r][r];
    }
    return x;
  }
}
