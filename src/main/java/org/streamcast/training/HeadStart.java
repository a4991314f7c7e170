package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.streamcast.model.FeatureSpec;

/**
 * Where the output head starts before training: for each horizon {@code h}, the simple forecast that fits the
 * training part best, so training learns a correction to a sound baseline instead of rediscovering it (and a model
 * that cannot improve on the baseline falls back to it: see {@link Trainer}).
 *
 * <p>Candidates for output {@code h}, each a sum of head inputs with weight 1 (see {@link FeatureSpec} for the
 * inputs; with persistence inputs the seasonal ones are relative to the naive input, which every candidate then
 * includes): for each seasonal lag {@code m} the seasonal naive forecast {@code y[t+h−m·ceil(h/m)]}; with persistence
 * inputs also the naive forecast {@code y[t]} and, for each lag, the seasonal naive plus the current change over the
 * lag, {@code y[t] + y[t+h−m·ceil(h/m)] − y[t−m]}. The chosen candidate has the lowest mean squared error in target
 * space over all keys' training steps (before the validation slice, after each key's longest lag, with the label
 * inside the training steps); ties, and data too short to compare on, go to the first candidate in that order (naive
 * with persistence inputs, else the shortest lag). Without candidates the head starts at 0 ({@code zero}).
 *
 * <p>The start also sets each output's scale: {@code scale[h−1]} is the chosen candidate's root mean squared error
 * at {@code h} on those steps (0 when a candidate fits exactly is raised to {@value #MIN_SCALE_FRACTION} of the
 * largest, or to 1 when all are 0). Training divides each output's labels by it, so every horizon's loss starts near
 * 1 whatever its error size: Adam moves every weight by about the learning rate per step, and without this the
 * short horizons, whose errors are far smaller, would be swamped by that movement.
 *
 * @param choice per horizon ({@code h − 1}), the chosen candidate's name, e.g. {@code naive}, {@code snaive(336)},
 *               {@code snaive(336)+change}
 * @param inputs per horizon, the head inputs (indices among the head inputs) whose weight starts at 1
 * @param scale  per horizon, the output scale (positive)
 */
public record HeadStart(List<String> choice, List<int[]> inputs, double[] scale) {

  /** The smallest output scale, as a fraction of the largest. */
  public static final double MIN_SCALE_FRACTION = 1e-3;

  public HeadStart {
    choice = List.copyOf(choice);
    inputs = List.copyOf(inputs);
    scale = scale.clone();
    if (choice.size() != inputs.size() || scale.length != inputs.size()) {
      throw new IllegalArgumentException("one choice, input list and scale per horizon");
    }
    for (double v : scale) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("output scales must be positive: " + java.util.Arrays.toString(scale));
      }
    }
  }

  /** A candidate forecast: a name and the head inputs it sums. */
  private record Candidate(String name, int[] inputs) {}

  /**
   * Chooses the start per horizon.
   *
   * @param features  the model's features
   * @param data      the encoded training data (inputs: recurrent inputs, then head inputs)
   */
  static HeadStart choose(FeatureSpec features, List<TrainingData.Encoded> data) {
    int horizon = features.horizon();
    int nx = features.recurrentInputs();
    List<List<Candidate>> candidates = new ArrayList<>();
    for (int h = 1; h <= horizon; h++) {
      List<Candidate> c = new ArrayList<>();
      if (features.persistenceInputs()) {
        c.add(new Candidate("naive", new int[] {features.naiveHeadInput()}));
      }
      for (int l = 0; l < features.seasonalLags().size(); l++) {
        int m = features.seasonalLags().get(l);
        int block = l * horizon + h - 1;
        if (features.persistenceInputs()) {
          int naive = features.naiveHeadInput();
          c.add(new Candidate("snaive(" + m + ")", new int[] {naive, block}));
          c.add(new Candidate("snaive(" + m + ")+change", new int[] {naive, block, features.changeHeadInput(l)}));
        } else {
          c.add(new Candidate("snaive(" + m + ")", new int[] {block}));
        }
      }
      if (c.isEmpty()) {
        c.add(new Candidate("zero", new int[0]));
      }
      candidates.add(c);
    }
    int warmup = features.historyLength() - 1;
    List<String> names = new ArrayList<>();
    List<int[]> chosen = new ArrayList<>();
    double[] rmse = new double[horizon];
    for (int h = 1; h <= horizon; h++) {
      List<Candidate> c = candidates.get(h - 1);
      double[] sse = new double[c.size()];
      long count = 0;
      for (TrainingData.Encoded e : data) {
        for (int t = warmup; t + h < e.trainEnd(); t++) {
          double label = e.labels()[t][h - 1];
          float[] in = e.inputs()[t];
          for (int k = 0; k < c.size(); k++) {
            double f = 0;
            for (int i : c.get(k).inputs()) {
              f += in[nx + i];
            }
            double d = f - label;
            sse[k] += d * d;
          }
          count++;
        }
      }
      int best = 0;
      for (int k = 1; k < c.size(); k++) {
        if (sse[k] < sse[best]) {
          best = k;
        }
      }
      names.add(c.get(best).name());
      chosen.add(c.get(best).inputs().clone());
      rmse[h - 1] = count == 0 ? 0 : Math.sqrt(sse[best] / count);
    }
    double largest = 0;
    for (double v : rmse) {
      largest = Double.isFinite(v) ? Math.max(largest, v) : largest;
    }
    double floor = largest > 0 ? MIN_SCALE_FRACTION * largest : 1;
    for (int h = 0; h < horizon; h++) {
      rmse[h] = Double.isFinite(rmse[h]) && rmse[h] >= floor ? rmse[h] : floor;
    }
    return new HeadStart(names, chosen, rmse);
  }

  /**
   * The head-input weights {@code [headInputs][horizon]} row-major for a head whose output {@code h} is in units of
   * {@code scale[h−1]}: {@code 1/scale[h−1]} for the chosen inputs of each output, 0 elsewhere.
   */
  public float[] weights(int headInputs) {
    int horizon = inputs.size();
    float[] w = new float[headInputs * horizon];
    for (int h = 0; h < horizon; h++) {
      for (int i : inputs.get(h)) {
        w[i * horizon + h] = (float) (1 / scale[h]);
      }
    }
    return w;
  }

  @Override
  public double[] scale() {
    return scale.clone();
  }

  /** A short description such as {@code h=1: naive; h=2..48: snaive(336)+change}. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int h = 1; h <= choice.size(); h++) {
      if (h == choice.size() || !choice.get(h).equals(choice.get(from))) {
        if (out.length() > 0) {
          out.append("; ");
        }
        out.append(from + 1 == h ? String.format(Locale.ROOT, "h=%d", h)
            : String.format(Locale.ROOT, "h=%d..%d", from + 1, h)).append(": ").append(choice.get(from));
        from = h;
      }
    }
    return out.toString();
  }
}
