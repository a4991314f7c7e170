package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Gaps;

class CovariateServingTest {

  static final long STEP_MS = 3_600_000L;
  static final long START = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();

  /** A model reading two covariates, pooled-scaled, as the trainer writes one. */
  static ModelArtifact model() {
    FeatureSpec f = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of("a", "b"),
        List.of(FeatureSpec.Calendar.TIME_OF_DAY), List.of(4), true, 2);
    RecurrentNetwork net = TestNetworks.random(CellType.GRU, f.recurrentInputs(), f.headInputs(), new int[] {8}, 2, 9);
    List<Scaler> extras = List.of(new Scaler(10, 3), new Scaler(-2, 0.5));
    KeyScaling known = new KeyScaling(new Scaler(500, 20), extras);
    KeyScaling global = new KeyScaling(new Scaler(0, 1000), extras);
    return new ModelArtifact(net, f, Map.of("known", known), global, GoldenArtifacts.v1().provenance());
  }

  static double[] covariates(int t) {
    return new double[] {10 + 4 * Math.cos(t * 0.3), -2 + Math.sin(t * 1.1)};
  }

  @Test
  void shouldMatchForecastSessionWhenCovariatesFedThroughKeyStepper() {
    ModelArtifact m = model();
    RecurrentForecaster f = new RecurrentForecaster(m, 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(f.historyLength());
    ForecastSession session = new ForecastSession(m, "known");
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 100; t++) {
      int flags = stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t),
          covariates(t), out);
      double[] expected = session.observe(Instant.ofEpochMilli(START + t * STEP_MS), ForecastSessionTest.value(t),
          covariates(t), false);
      assertTrue((flags & KeyStepper.FORECAST) != 0);
      assertArrayEquals(expected, out, 1e-9);
    }
    assertArrayEquals(session.state(), state.hidden());
  }

  @Test
  void shouldForecastDifferentlyWhenCovariatesDiffer() {
    RecurrentForecaster f = new RecurrentForecaster(model(), 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState a = new KeyState(f.historyLength());
    KeyState b = new KeyState(f.historyLength());
    double[] outA = new double[f.horizon()];
    double[] outB = new double[f.horizon()];
    for (int t = 0; t < 10; t++) {
      stepper.observe(f, "known", a, START + t * STEP_MS, 300, covariates(t), outA);
      stepper.observe(f, "known", b, START + t * STEP_MS, 300, covariates(t + 5), outB);
    }
    assertNotEquals(outA[0], outB[0]);
  }

  @Test
  void shouldHoldLastCovariatesWhenStepImputed() {
    ModelArtifact m = model();
    RecurrentForecaster f = new RecurrentForecaster(m, 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(f.historyLength());
    ForecastSession session = new ForecastSession(m, "known");
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 30; t++) {
      if (t == 20 || t == 21) {
        session.observeMissing(Instant.ofEpochMilli(START + t * STEP_MS));
        continue;
      }
      int flags = stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t),
          covariates(t), out);
      double[] expected = session.observe(Instant.ofEpochMilli(START + t * STEP_MS), ForecastSessionTest.value(t),
          covariates(t), false);
      assertArrayEquals(expected, out, 1e-9);
      if (t == 22) {
        assertEquals(2, KeyStepper.imputed(flags));
        assertEquals(covariates(19)[0], state.covariates().get(1, 0));
        assertEquals(covariates(19)[1], state.covariates().get(2, 1));
        assertTrue(state.history().imputed(1));
      }
    }
  }

  @Test
  void shouldHoldLastValueWhenOneCovariateMissingInStep() {
    RecurrentForecaster f = new RecurrentForecaster(model(), 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(f.historyLength());
    double[] out = new double[f.horizon()];
    stepper.observe(f, "known", state, START, 300, new double[] {11, -1}, out);
    stepper.observe(f, "known", state, START + STEP_MS, 301, new double[] {Double.NaN, -3}, out);
    assertEquals(11, state.covariates().get(0, 0));
    assertEquals(-3, state.covariates().get(0, 1));
    assertEquals(-1, state.covariates().get(1, 1));
  }

  @Test
  void shouldRebuildSameStateWhenRewarmedWithCovariates() {
    ModelArtifact m = model();
    RecurrentForecaster f = new RecurrentForecaster(m, 1, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(40);
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 40; t++) {
      stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t), covariates(t), out);
    }
    float[] continuous = state.hidden().clone();
    double[] rewarmed = new double[f.horizon()];
    new RecurrentForecaster(m, 2, 1).rewarm("known", state, START + 39 * STEP_MS, STEP_MS, rewarmed);
    assertArrayEquals(continuous, state.hidden());
    assertArrayEquals(out, rewarmed, 1e-12);
  }

  @Test
  void shouldStepIdenticallyWhenStateWithCovariatesIsStoredAndRead() {
    RecurrentForecaster f = new RecurrentForecaster(model(), 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState kept = new KeyState(8);
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 12; t++) {
      stepper.observe(f, "known", kept, START + t * STEP_MS, ForecastSessionTest.value(t), covariates(t), out);
    }
    ByteBuffer b = ByteBuffer.allocate(kept.serializedSize());
    kept.write(b);
    assertEquals(0, b.remaining());
    KeyState read = KeyState.read(ByteBuffer.wrap(b.array()), 8);
    assertEquals(8, read.covariates().size());
    double[] a = new double[f.horizon()];
    double[] c = new double[f.horizon()];
    stepper.observe(f, "known", kept, START + 12 * STEP_MS, 310, covariates(12), a);
    stepper.observe(f, "known", read, START + 12 * STEP_MS, 310, covariates(12), c);
    assertArrayEquals(a, c, 0);
  }

  @Test
  void shouldKeepTheNewestRowsAndRefuseLyingLengthsWhenCovariatesAreRead() {
    Covariates c = new Covariates(2);
    c.pushHolding(new double[] {1, 2});
    c.pushHolding(new double[] {Double.NaN, 4});
    c.pushHolding(new double[0]);
    assertEquals(2, c.size());
    assertEquals(1, c.get(0, 0), "held twice");
    assertEquals(4, c.get(1, 1));
    ByteBuffer b = ByteBuffer.allocate(c.serializedSize());
    c.write(b);
    Covariates smaller = new Covariates(1);
    smaller.read(ByteBuffer.wrap(b.array()));
    assertEquals(1, smaller.size());
    assertEquals(4, smaller.get(0, 1));
    byte[] lying = b.array().clone();
    ByteBuffer.wrap(lying).putInt(1, 1 << 20);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new Covariates(2).read(ByteBuffer.wrap(lying)));
    assertEquals("covariates of 1048576 rows of 2 fields with 32 bytes left", e.getMessage());
  }

  @Test
  void shouldReadFormat2StateWithMissingCovariatesWhenWrittenBeforeThem() {
    KeyState s = new KeyState(6);
    for (int t = 0; t < 5; t++) {
      s.history().push(t, false);
    }
    s.lastStep(START);
    ByteBuffer b = ByteBuffer.allocate(s.serializedSize());
    s.write(b);
    byte[] v3 = b.array();
    // format 2 is format 3 without the covariates (1 byte width + 4 bytes rows, here 0 and 0)
    int at = 1 + s.fieldsSize() + 1;
    byte[] v2 = new byte[v3.length - 5];
    System.arraycopy(v3, 0, v2, 0, at);
    System.arraycopy(v3, at + 5, v2, at, v3.length - at - 5);
    v2[0] = 2;
    KeyState read = KeyState.read(ByteBuffer.wrap(v2), 6);
    assertEquals(5, read.history().size());
    assertEquals(0, read.covariates().size());
    assertTrue(Double.isNaN(read.covariates().get(0, 0)));
  }
}
