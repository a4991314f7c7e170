package org.streamcast.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;

/**
 * Turns {@code key,timestamp,value} rows into regular training steps per key, as the pipeline's windowing would.
 * A step is {@code [t0 + i·step, t0 + (i+1)·step)} from the key's first row; rows in one step are averaged; a step
 * without rows repeats the previous value and is flagged imputed. With {@code skipGaps} (markets closed at weekends)
 * every row is one step, whatever the time between rows.
 */
public final class SeriesSteps {

  private SeriesSteps() {}

  /**
   * @param source   name of the data for messages
   * @param rows     observations, each key's rows in time order
   * @param step     step length
   * @param skipGaps one row is one step (the spec's {@code skip} gap policy)
   */
  public static List<KeySeries> of(String source, List<Observation> rows, Duration step, boolean skipGaps) {
    Map<String, List<Observation>> byKey = new LinkedHashMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    List<KeySeries> out = new ArrayList<>();
    long stepSec = step.getSeconds();
    if (stepSec < 1) {
      throw new SpecException(source + ": a step of " + step + " is shorter than a second");
    }
    for (Map.Entry<String, List<Observation>> e : byKey.entrySet()) {
      List<Observation> obs = e.getValue();
      for (int i = 1; i < obs.size(); i++) {
        if (obs.get(i).time().isBefore(obs.get(i - 1).time())) {
          throw new SpecException(source + ": key " + e.getKey() + ": rows are not in time order at "
              + obs.get(i).time());
        }
      }
      out.add(skipGaps ? rowsAsSteps(e.getKey(), obs) : grid(e.getKey(), obs, stepSec));
    }
    return out;
  }

  /**
   * {@link #of} for wide rows ({@link Measurement#values()}: the target, then {@code covariates} covariates): each
   * field averaged per step as the target is (a missing covariate, {@code NaN}, left out of its mean), and a
   * covariate without a value in a step held at its last one, as the serving step holds it.
   */
  public static List<KeySeries> ofRows(String source, List<Measurement> rows, int covariates, Duration step,
      boolean skipGaps) {
    Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
    for (Measurement m : rows) {
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
    }
    List<Observation> targets = new ArrayList<>(rows.size());
    for (Measurement m : rows) {
      targets.add(new Observation(m.key(), m.time(), m.target()));
    }
    List<KeySeries> out = new ArrayList<>();
    for (KeySeries t : of(source, targets, step, skipGaps)) {
      long[] times = t.epochSeconds();
      double[][] sum = new double[covariates][times.length];
      int[][] count = new int[covariates][times.length];
      for (Measurement m : byKey.get(t.key())) {
        long sec = m.time().getEpochSecond();
        int i = skipGaps ? java.util.Arrays.binarySearch(times, sec) : (int) ((sec - times[0]) / step.getSeconds());
        double[] v = m.values();
        for (int f = 0; f < covariates; f++) {
          if (i >= 0 && !Double.isNaN(v[1 + f]) && (!skipGaps || count[f][i] == 0)) {
            sum[f][i] += v[1 + f];
            count[f][i]++;
          }
        }
      }
      for (int f = 0; f < covariates; f++) {
        double held = Double.NaN;
        for (int i = 0; i < times.length; i++) {
          held = count[f][i] > 0 ? sum[f][i] / count[f][i] : held;
          sum[f][i] = held;
        }
      }
      out.add(new KeySeries(t.key(), times, t.values(), sum, t.imputed()));
    }
    return out;
  }

  private static KeySeries rowsAsSteps(String key, List<Observation> obs) {
    long[] t = new long[obs.size()];
    double[] v = new double[obs.size()];
    int n = 0;
    for (Observation o : obs) {
      long sec = o.time().getEpochSecond();
      if (n > 0 && t[n - 1] == sec) {
        continue; // a repeated time stamp is not a new step
      }
      t[n] = sec;
      v[n] = o.value();
      n++;
    }
    return KeySeries.of(key, java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(v, n));
  }

  private static KeySeries grid(String key, List<Observation> obs, long stepSec) {
    long t0 = obs.get(0).time().getEpochSecond();
    long last = obs.get(obs.size() - 1).time().getEpochSecond();
    int n = (int) ((last - t0) / stepSec) + 1;
    double[] sum = new double[n];
    int[] count = new int[n];
    for (Observation o : obs) {
      int i = (int) ((o.time().getEpochSecond() - t0) / stepSec);
      sum[i] += o.value();
      count[i]++;
    }
    long[] times = new long[n];
    double[] values = new double[n];
    boolean[] imputed = new boolean[n];
    for (int i = 0; i < n; i++) {
      times[i] = t0 + i * stepSec;
      if (count[i] > 0) {
        values[i] = sum[i] / count[i];
      } else {
        values[i] = values[i - 1];
        imputed[i] = true;
      }
    }
    return new KeySeries(key, times, values, new double[0][], imputed);
  }
}
