package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {

  static final KeyScaling SCALING = new KeyScaling(new Scaler(10, 2), List.of(new Scaler(100, 50)));

  @Test
  void shouldEncodeInputsInDocumentedOrderWhenAllFeaturesOn() {
    FeatureSpec spec = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of("x"),
        List.of(FeatureSpec.Calendar.TIME_OF_DAY, FeatureSpec.Calendar.DAY_OF_WEEK), List.of(3), true, 4);
    FeatureEncoder enc = new FeatureEncoder(spec);
    assertEquals(1 + 1 + 4 + 1, spec.recurrentInputs());
    assertEquals(4, spec.headInputs());
    History h = new History(spec.historyLength());
    for (double y : new double[] {2, 4, 6, 8, 12}) {
      h.push(y, y == 12);
    }
    float[] dst = new float[11];
    // Monday 2024-01-01 06:00 UTC: a quarter of the day, (0 + 0.25) / 7 of the week.
    long t = Instant.parse("2024-01-01T06:00:00Z").getEpochSecond();
    enc.encode(h, t, new double[] {150}, SCALING, dst);
    assertEquals(1f, dst[0], 1e-6f);
    assertEquals(1f, dst[1], 1e-6f);
    assertEquals(1f, dst[2], 1e-6f);
    assertEquals(0f, dst[3], 1e-6f);
    assertEquals((float) Math.sin(2 * Math.PI * 0.25 / 7), dst[4], 1e-6f);
    assertEquals((float) Math.cos(2 * Math.PI * 0.25 / 7), dst[5], 1e-6f);
    assertEquals(1f, dst[6]);
    // Seasonal naive with m = 3 from y = [.., 6, 8, 12]: h=1 -> 6, h=2 -> 8, h=3 -> 12, h=4 -> 6.
    assertEquals(-2f, dst[7], 1e-6f);
    assertEquals(-1f, dst[8], 1e-6f);
    assertEquals(1f, dst[9], 1e-6f);
    assertEquals(-2f, dst[10], 1e-6f);
  }

  @Test
  void shouldAppendNaiveAndChangeOverEachLagWhenPersistenceInputsAreOn() {
    FeatureSpec spec = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(2, 3), false, 2, true);
    assertEquals(2 * 2 + 1 + 2, spec.headInputs());
    assertEquals(4, spec.historyLength());
    assertEquals(4, spec.naiveHeadInput());
    assertEquals(6, spec.changeHeadInput(1));
    History h = new History(spec.historyLength());
    for (double y : new double[] {2, 4, 6, 8, 12}) {
      h.push(y, false);
    }
    float[] dst = new float[1 + spec.headInputs()];
    new FeatureEncoder(spec).encode(h, 0, new double[0], SCALING, dst);
    // Seasonal naive m=2: h=1 -> 8, h=2 -> 12; m=3: h=1 -> 6, h=2 -> 8; each relative to the naive 12, over s = 2.
    assertEquals(-2f, dst[1], 1e-6f);
    assertEquals(0f, dst[2], 1e-6f);
    assertEquals(-3f, dst[3], 1e-6f);
    assertEquals(-2f, dst[4], 1e-6f);
    // Naive 12 -> (12 - 10) / 2 = 1; change over 2 steps (12 - 6) / 2 = 3, over 3 steps (12 - 4) / 2 = 4.
    assertEquals(1f, dst[5], 1e-6f);
    assertEquals(3f, dst[6], 1e-6f);
    assertEquals(4f, dst[7], 1e-6f);
    // The seasonal naive forecast is naive + block: m=3, h=1 -> 6, scaled -2; plus the change: 6 + 12 - 4 = 14 -> 2.
    assertEquals(-2f, dst[5] + dst[3], 1e-6f);
    assertEquals(2f, dst[5] + dst[3] + dst[7], 1e-6f);
  }

  @Test
  void shouldGiveZeroNaiveAndRelativeChangeWhenTargetIsReturns() {
    FeatureSpec spec = new FeatureSpec(FeatureSpec.Target.RETURN, List.of(), List.of(), List.of(1), false, 1, true);
    History h = new History(spec.historyLength());
    h.push(100, false);
    float[] dst = new float[1 + spec.headInputs()];
    FeatureEncoder enc = new FeatureEncoder(spec);
    enc.encode(h, 0, new double[0], SCALING, dst);
    assertEquals(0f, dst[3], "no change before the key has m + 1 values");
    h.push(110, false);
    enc.encode(h, 0, new double[0], SCALING, dst);
    assertEquals(0f, dst[2], "the naive forecast is a zero return");
    assertEquals(0.05f, dst[3], 1e-6f);
  }

  @Test
  void shouldUseNaiveValueWhenHistoryIsShorterThanTheLag() {
    FeatureSpec spec = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(48), false, 2);
    History h = new History(spec.historyLength());
    h.push(14, false);
    float[] dst = new float[3];
    new FeatureEncoder(spec).encode(h, 0, new double[0], SCALING, dst);
    assertEquals(2f, dst[1]);
    assertEquals(2f, dst[2]);
  }

  @Test
  void shouldInvertLabelsWhenForecastingBackForEveryTransform() {
    for (FeatureSpec.Target target : FeatureSpec.Target.values()) {
      FeatureEncoder enc = new FeatureEncoder(new FeatureSpec(target, List.of(), List.of(), List.of(), false, 1));
      Scaler s = new Scaler(target == FeatureSpec.Target.LEVEL ? 10 : 0, 0.5);
      double label = enc.label(120, 123.5, s);
      assertEquals(123.5, enc.forecast(120, label, s), 1e-9, target.name());
    }
  }

  @Test
  void shouldEncodeDifferencesAndReturnsWhenTargetTransformed() {
    History h = new History(4);
    h.push(100, false);
    h.push(110, false);
    Scaler s = new Scaler(0, 5);
    FeatureEncoder diff = new FeatureEncoder(
        new FeatureSpec(FeatureSpec.Target.DIFFERENCE, List.of(), List.of(), List.of(), false, 1));
    FeatureEncoder ret = new FeatureEncoder(
        new FeatureSpec(FeatureSpec.Target.RETURN, List.of(), List.of(), List.of(), false, 1));
    assertEquals(2.0, diff.inputValue(h, s), 1e-12);
    assertEquals(0.02, ret.inputValue(h, s), 1e-12);
    assertEquals(0.0, ret.label(0, 5, s));
    double[] series = diff.targetSpaceSeries(new double[] {1, 4, 2}, 0, 3);
    assertEquals(List.of(3.0, -2.0), List.of(series[0], series[1]));
  }

  @Test
  void shouldComputeCalendarPhasesWhenGivenUtcTimes() {
    long t = Instant.parse("2023-07-02T18:00:00Z").getEpochSecond();
    assertEquals(0.75, FeatureEncoder.phase(FeatureSpec.Calendar.TIME_OF_DAY, t), 1e-12);
    assertEquals((6 + 0.75) / 7, FeatureEncoder.phase(FeatureSpec.Calendar.DAY_OF_WEEK, t), 1e-12);
    assertEquals((182 + 0.75) / 365, FeatureEncoder.phase(FeatureSpec.Calendar.DAY_OF_YEAR, t), 1e-12);
  }
}
