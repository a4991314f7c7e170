package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.streamcast.model.FeatureEncoder;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.Scaler;

/** The pooled scalers the trainer fits for keys never seen in training. */
final class KeyScalers {

  private KeyScalers() {}

  static KeyScaling pooled(FeatureEncoder enc, List<KeySeries> series) {
    List<double[]> target = new ArrayList<>();
    int extraCount = series.isEmpty() ? 0 : series.get(0).extras().length;
    List<List<double[]>> extras = new ArrayList<>();
    for (int f = 0; f < extraCount; f++) {
      extras.add(new ArrayList<>());
    }
    for (KeySeries s : series) {
      target.add(enc.targetSpaceSeries(s.values(), 0, s.length()));
      for (int f = 0; f < extraCount; f++) {
        extras.get(f).add(s.extras()[f]);
      }
    }
    List<Scaler> ex = new ArrayList<>();
    for (List<double[]> e : extras) {
      double[] all = concat(e);
      ex.add(Scaler.fit(all, 0, all.length, true));
    }
    double[] all = concat(target);
    return new KeyScaling(Scaler.fit(all, 0, all.length, enc.centeredTarget()), ex);
  }

  static double[] concat(List<double[]> parts) {
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] out = new double[n];
    int off = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
