package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.streamcast.model.FeatureEncoder;
import org.streamcast.model.History;
import org.streamcast.model.KeyScaling;

/**
 * Encodes each key's series with the serving {@link FeatureEncoder} (step by step through a {@link History}, just
 * as serving does) and cuts it into fixed-length windows for training and validation, all keys together (one
 * global model).
 *
 * <p>Per key with {@code n} steps and a validation fraction {@code v}: the last {@code floor(v·n)} steps are the
 * validation slice. A training window may only have targets before the slice. Validation windows end at the last
 * step with a full horizon of targets and are scored only on positions whose targets all lie in the slice, each after
 * at least half a window of warm-up.
 */
final class TrainingData {

  /** A key's encoded steps: {@code inputs[t]} (network input at t), {@code labels[t][h−1]} (target at t+h). */
  record Encoded(String key, float[][] inputs, float[][] labels, int trainEnd) {
    int length() {
      return inputs.length;
    }
  }

  /** A window of {@code T} steps starting at {@code start}; positions from {@code scoreFrom} on count in the loss. */
  record Window(int series, int start, int scoreFrom) {}

  private TrainingData() {}

  static Encoded encode(KeySeries s, FeatureEncoder enc, KeyScaling scaling, double validation) {
    int n = s.length();
    int horizon = enc.spec().horizon();
    int width = enc.spec().recurrentInputs() + enc.spec().headInputs();
    float[][] inputs = new float[n][width];
    float[][] labels = new float[n][horizon];
    History history = new History(enc.spec().historyLength());
    double[] extras = new double[s.extras().length];
    double[] y = s.values();
    for (int t = 0; t < n; t++) {
      history.push(y[t], s.imputed()[t]);
      for (int f = 0; f < extras.length; f++) {
        extras[f] = s.extras()[f][t];
      }
      enc.encode(history, s.epochSeconds()[t], extras, scaling, inputs[t]);
      for (int h = 1; h <= horizon; h++) {
        labels[t][h - 1] = t + h < n ? (float) enc.label(y[t], y[t + h], scaling.target()) : Float.NaN;
      }
    }
    int trainEnd = n - (int) Math.floor(validation * n);
    return new Encoded(s.key(), inputs, labels, trainEnd);
  }

  /**
   * Training windows of length {@code steps}, {@code stride} apart from step {@code first}, the last one flush with
   * the last usable step.
   */
  static List<Window> trainWindows(List<Encoded> data, int steps, int stride, int horizon, int first) {
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      int last = data.get(i).trainEnd() - 1 - horizon;
      if (last + 1 - first < steps) {
        continue;
      }
      int s = first;
      for (; s + steps - 1 <= last; s += stride) {
        out.add(new Window(i, s, 0));
      }
      if (s - stride + steps - 1 < last) {
        out.add(new Window(i, last - steps + 1, 0));
      }
    }
    return out;
  }

  /**
   * A seeded sample of {@code n} of {@code windows} (without replacement), in their original order: the windows of
   * one epoch when all keys have more than the budget (global models need not see every window, DeepAR-style).
   */
  static List<Window> sample(List<Window> windows, int n, long seed) {
    List<Integer> idx = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      idx.add(i);
    }
    java.util.Collections.shuffle(idx, new java.util.Random(seed ^ 0x5eed5a3b1e5L));
    List<Integer> kept = new ArrayList<>(idx.subList(0, n));
    java.util.Collections.sort(kept);
    List<Window> out = new ArrayList<>(n);
    for (int i : kept) {
      out.add(windows.get(i));
    }
    return out;
  }

  /** Validation windows (see the class comment). */
  static List<Window> validationWindows(List<Encoded> data, int steps, int horizon) {
    List<Window> out = new ArrayList<>();
    int scored = Math.max(1, steps / 2);
    for (int i = 0; i < data.size(); i++) {
      Encoded e = data.get(i);
      int firstScored = e.trainEnd() - 1;
      for (int end = e.length() - 1 - horizon; end >= firstScored; end -= scored) {
        int start = end - steps + 1;
        if (start < 0) {
          break;
        }
        int from = Math.max(end - scored + 1, firstScored) - start;
        out.add(new Window(i, start, from));
      }
    }
    return out;
  }

  /** Keys that are too short for even one training window from step {@code first}. */
  static List<String> tooShort(List<Encoded> data, int steps, int horizon, int first) {
    List<String> out = new ArrayList<>();
    for (Encoded e : data) {
      if (e.trainEnd() - horizon - first < steps) {
        out.add(e.key());
      }
    }
    return out;
  }

  /**
   * Inputs {@code [x, head?]} and labels of a batch of windows, NCW; the labels of output {@code h} are divided by
   * {@code outputScale[h−1]} (see {@link HeadStart}).
   */
  static MultiDataSet batch(List<Encoded> data, List<Window> windows, int steps, Architecture arch,
      double[] outputScale) {
    int b = windows.size();
    int nx = arch.recurrentInputs();
    int nh = arch.headInputs();
    int hz = arch.horizon();
    float[] x = new float[b * nx * steps];
    float[] head = new float[b * nh * steps];
    float[] lab = new float[b * hz * steps];
    for (int w = 0; w < b; w++) {
      Window win = windows.get(w);
      Encoded e = data.get(win.series());
      for (int t = 0; t < steps; t++) {
        float[] in = e.inputs()[win.start() + t];
        for (int i = 0; i < nx; i++) {
          x[(w * nx + i) * steps + t] = in[i];
        }
        for (int i = 0; i < nh; i++) {
          head[(w * nh + i) * steps + t] = in[nx + i];
        }
        float[] l = e.labels()[win.start() + t];
        for (int k = 0; k < hz; k++) {
          lab[(w * hz + k) * steps + t] = (float) (l[k] / outputScale[k]);
        }
      }
    }
    INDArray xs = Nd4j.create(x, new long[] {b, nx, steps}, 'c');
    INDArray labels = Nd4j.create(lab, new long[] {b, hz, steps}, 'c');
    INDArray[] features = nh > 0
        ? new INDArray[] {xs, Nd4j.create(head, new long[] {b, nh, steps}, 'c')}
        : new INDArray[] {xs};
    return new MultiDataSet(features, new INDArray[] {labels});
  }
}
