package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.streamcast.model.FeatureEncoder;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.Scaler;

class HeadStartTest {

  static final FeatureSpec FEATURES =
      new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(8), false, 3, true);

  static HeadStart choose(double[] y) {
    long[] t = new long[y.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = 3600L * i;
    }
    KeyScaling scaling = new KeyScaling(Scaler.fit(y, 0, y.length, true), List.of());
    TrainingData.Encoded e =
        TrainingData.encode(KeySeries.of("k", t, y), new FeatureEncoder(FEATURES), scaling, 0.2);
    return HeadStart.choose(FEATURES, List.of(e));
  }

  @Test
  void shouldStartAtNaiveWhenSeriesIsARandomWalk() {
    Random r = new Random(1);
    double[] y = new double[400];
    for (int i = 1; i < y.length; i++) {
      y[i] = y[i - 1] + r.nextGaussian();
    }
    HeadStart s = choose(y);
    assertEquals(List.of("naive", "naive", "naive"), s.choice());
    assertEquals("h=1..3: naive", s.describe());
  }

  @Test
  void shouldStartAtSeasonalNaiveWhenSeasonRepeatsAroundAFixedMean() {
    Random r = new Random(2);
    double[] y = new double[400];
    for (int i = 0; i < y.length; i++) {
      y[i] = 10 * Math.sin(Math.PI * i / 4) + 0.1 * r.nextGaussian();
    }
    assertEquals(List.of("snaive(8)", "snaive(8)", "snaive(8)"), choose(y).choice());
  }

  @Test
  void shouldStartAtSeasonalNaivePlusChangeWhenSeasonRidesOnAWanderingLevel() {
    Random r = new Random(3);
    double[] y = new double[400];
    double level = 0;
    for (int i = 0; i < y.length; i++) {
      level += r.nextGaussian();
      y[i] = level + 10 * Math.sin(Math.PI * i / 4);
    }
    HeadStart s = choose(y);
    assertEquals(List.of("snaive(8)+change", "snaive(8)+change", "snaive(8)+change"), s.choice());
    // The start's error grows with the horizon (the level wanders on): about sqrt(2h) level steps, scaled.
    double[] scale = s.scale();
    assertTrue(scale[0] > 0 && scale[0] < scale[1] && scale[1] < scale[2], java.util.Arrays.toString(scale));
    // Head inputs: snaive(8) relative to naive for h = 1..3 (0..2), naive (3), change over 8 steps (4); output h
    // sums its own seasonal input, the naive and the change, in units of its scale.
    float[] w = s.weights(FEATURES.headInputs());
    float[] expected = new float[5 * 3];
    for (int h = 0; h < 3; h++) {
      float one = (float) (1 / scale[h]);
      expected[h * 3 + h] = one;
      expected[3 * 3 + h] = one;
      expected[4 * 3 + h] = one;
    }
    assertArrayEquals(expected, w);
  }
}
