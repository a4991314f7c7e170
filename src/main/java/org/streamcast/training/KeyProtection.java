package org.streamcast.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Per key and horizon, whether the learned output (the linear head plus the recurrent correction) may serve instead of
 * the baseline ({@link HeadStart}). The learned output serves a key at a horizon only when
 * <ul>
 *   <li>the key has at least {@value #MIN_POSITIONS} validation positions there (a short series serves its
 *       baseline),
 *   <li>its mean squared error on the key's own validation slice is below the baseline's (a key whose validation is
 *       worse with the learned output never gets it, whatever the other keys show),
 *   <li>for a key with at least {@value #STEADY_EVIDENCE} positions, in each half of its slice too, in time order:
 *       a gain won in one episode is not a gain (a daily price's open, close and low were 16–30% better than naive
 *       at h = 9..12 in the first half of validation, a crash the learned output followed, 0–2% worse in the second
 *       half, and worse than naive on the test part), and
 *   <li>the gain is more than chance: a one-sided Diebold–Mariano test at 5% with the small-sample correction
 *       ({@link ForecastComparison#significantlyBetter}) rejects equal accuracy on all keys' positions pooled (keys of
 *       one panel behave alike, and one key's slice alone rarely proves anything) or on the key's own.
 * </ul>
 * The pooled choice (for keys not seen in training) is the test on all keys' positions together.
 *
 * <p>The previous rule judged a long slice on its own significance instead of its halves: on the development sets it
 * made the same choices as this one except on the daily price set, which it left worse than naive at h = 12
 * (BENCHMARKS.md, "A price set the sweep had left out").
 */
final class KeyProtection {

  /** Fewest validation positions of a key (per horizon) that can show the learned output wins. */
  static final int MIN_POSITIONS = 10;
  /** Validation positions from which a key must show its gain in each half of its slice. */
  static final int STEADY_EVIDENCE = 100;

  private KeyProtection() {}

  /**
   * The choice per key ({@code keys}) and pooled, with the validation errors it was made on: per key (in the data's
   * order), per output, {learned, baseline, position} squared errors in label space (empty without validation).
   */
  record Choice(Map<String, boolean[]> keys, boolean[] pooled, String summary, List<List<List<double[]>>> errors) {}

  /**
   * Scores the learned output and the baseline on every validation position of every key and chooses.
   *
   * @param net       the trained recurrent part (outputs in units of {@code scale}, residual of the linear head)
   * @param arch      its architecture (no head inputs)
   * @param data      the encoded data (labels in target space)
   * @param residuals the same data with the linear head's residuals as labels
   * @param windows   the validation windows
   */
  static Choice choose(ComputationGraph net, Architecture arch, HeadStart start, List<TrainingData.Encoded> data,
      List<TrainingData.Encoded> residuals, List<TrainingData.Window> windows, int steps, int batchSize,
      double[] scale, int nx) {
    int horizon = arch.horizon();
    List<List<List<double[]>>> perKey = new ArrayList<>(); // [key][k] -> list of {learned, baseline}
    for (int i = 0; i < data.size(); i++) {
      List<List<double[]>> ks = new ArrayList<>();
      for (int k = 0; k < horizon; k++) {
        ks.add(new ArrayList<>());
      }
      perKey.add(ks);
    }
    for (int from = 0; from < windows.size(); from += batchSize) {
      List<TrainingData.Window> chunk = windows.subList(from, Math.min(windows.size(), from + batchSize));
      MultiDataSet batch = TrainingData.batch(residuals, chunk, steps, arch, scale);
      float[] pred = ParamExport.rowMajor(GruSegments.output(net, arch, batch.getFeatures()));
      for (int w = 0; w < chunk.size(); w++) {
        TrainingData.Window win = chunk.get(w);
        TrainingData.Encoded e = data.get(win.series());
        TrainingData.Encoded r = residuals.get(win.series());
        for (int k = 0; k < horizon; k++) {
          int base = (w * horizon + k) * steps;
          for (int t = win.scoreFrom(); t < steps; t++) {
            int at = win.start() + t;
            double learned = pred[base + t] * scale[k] - r.labels()[at][k];
            double baseline = LinearHead.baseline(start, k, e.inputs()[at], nx) - e.labels()[at][k];
            perKey.get(win.series()).get(k).add(new double[] {learned * learned, baseline * baseline, at});
          }
        }
      }
    }
    Map<String, boolean[]> keys = new LinkedHashMap<>();
    boolean[] pooled = new boolean[horizon];
    int[] learnedKeys = new int[horizon];
    for (int k = 0; k < horizon; k++) {
      List<List<double[]>> atK = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        atK.add(perKey.get(i).get(k));
      }
      boolean[] chosen = decide(atK, k);
      pooled[k] = chosen[data.size()];
      for (int i = 0; i < data.size(); i++) {
        keys.computeIfAbsent(data.get(i).key(), x -> new boolean[horizon])[k] = chosen[i];
        learnedKeys[k] += chosen[i] ? 1 : 0;
      }
    }
    StringBuilder summary = new StringBuilder();
    int from = 0;
    for (int k = 1; k <= horizon; k++) {
      if (k == horizon || learnedKeys[k] != learnedKeys[from] || pooled[k] != pooled[from]) {
        summary.append(summary.length() == 0 ? "" : "; ").append(from + 1 == k ? "h=" + k : "h=" + (from + 1) + ".." + k)
            .append(String.format(Locale.ROOT, ": %d of %d keys learned (pooled: %s)", learnedKeys[from], data.size(),
                pooled[from] ? "learned" : "baseline"));
        from = k;
      }
    }
    return new Choice(keys, pooled, summary.toString(), perKey);
  }

  /**
   * The choice at output {@code k} from each key's validation errors ({learned, baseline, position} per position):
   * one entry per key, then the pooled choice.
   */
  static boolean[] decide(List<List<double[]>> perKey, int k) {
    List<double[]> all = new ArrayList<>();
    for (int i = 0; i < perKey.size(); i++) {
      for (double[] err : perKey.get(i)) {
        all.add(new double[] {err[0], err[1], err[2] + i * (double) Integer.MAX_VALUE}); // keys one after another
      }
    }
    boolean[] out = new boolean[perKey.size() + 1];
    boolean pooled = beats(all, k);
    out[perKey.size()] = pooled;
    for (int i = 0; i < perKey.size(); i++) {
      List<double[]> errors = perKey.get(i);
      boolean longSlice = errors.size() >= STEADY_EVIDENCE;
      out[i] = errors.size() >= MIN_POSITIONS && lower(errors) && (!longSlice || lowerInEachHalf(errors))
          && (pooled || beats(errors, k));
    }
    return out;
  }

  /** No validation evidence: every key and the pool serve the baseline. */
  static Choice baselineOnly(List<TrainingData.Encoded> data, int horizon) {
    Map<String, boolean[]> keys = new LinkedHashMap<>();
    for (TrainingData.Encoded e : data) {
      keys.put(e.key(), new boolean[horizon]);
    }
    return new Choice(keys, new boolean[horizon], "no validation evidence: every key serves its baseline", List.of());
  }

  /** Whether the learned errors (index 0) are lower on average than the baseline's (index 1). */
  static boolean lower(List<double[]> errors) {
    double sum = 0;
    for (double[] e : errors) {
      sum += e[0] - e[1];
    }
    return sum < 0;
  }

  /** Whether the learned errors (index 0) are lower than the baseline's (index 1) in both halves of the positions. */
  static boolean lowerInEachHalf(List<double[]> errors) {
    List<double[]> inTime = new ArrayList<>(errors);
    inTime.sort(java.util.Comparator.comparingDouble(e -> e[2]));
    int half = inTime.size() / 2;
    return lower(inTime.subList(0, half)) && lower(inTime.subList(half, inTime.size()));
  }

  /** Whether the learned errors (index 0) beat the baseline's (index 1) significantly on enough positions. */
  static boolean beats(List<double[]> errors, int k) {
    if (errors.size() < MIN_POSITIONS) {
      return false;
    }
    errors = new ArrayList<>(errors);
    errors.sort(java.util.Comparator.comparingDouble(e -> e[2])); // in time order, for the autocovariances
    double[] a = new double[errors.size()];
    double[] b = new double[errors.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = errors.get(i)[0];
      b[i] = errors.get(i)[1];
    }
    return ForecastComparison.significantlyBetter(a, b, k + 1);
  }
}
