package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

class RecurrentForecasterTest {

  static final long STEP_MS = 3_600_000L;
  static final long START = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();

  @Test
  void shouldMatchForecastSessionWhenDrivenByKeyStepperForKnownKey() {
    ModelArtifact m = ForecastSessionTest.model();
    RecurrentForecaster f = new RecurrentForecaster(m, 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(f.historyLength());
    f.prepare("known", state);
    ForecastSession session = new ForecastSession(m, "known");
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 200; t++) {
      int flags = stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t), out);
      double[] expected = session.observe(Instant.ofEpochMilli(START + t * STEP_MS), ForecastSessionTest.value(t));
      assertTrue((flags & KeyStepper.FORECAST) != 0);
      assertArrayEquals(expected, out, 1e-9);
    }
    assertEquals(7, state.modelVersion());
    assertArrayEquals(session.state(), state.hidden());
    assertEquals("lstm", f.name());
  }

  @Test
  void shouldResetTheModelPartAndWithholdWhenTheNetworkGivesAnAbsurdFiniteOutput() {
    ModelArtifact m = ForecastSessionTest.model();
    RecurrentNetwork net = m.network();
    float[] absurd = net.headBiases().clone();
    absurd[1] = 1e30f; // finite weights a verifier accepts, an output 1e30 scaler widths out at h = 2
    RecurrentNetwork broken = new RecurrentNetwork(net.type(), net.recurrentInputs(), net.headInputs(), net.horizon(),
        net.layers(), net.headWeights(), absurd);
    RecurrentForecaster f = new RecurrentForecaster(new ModelArtifact(broken, m.features(), m.keyScalers(),
        m.globalScaling(), m.provenance()), 7, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(f.historyLength());
    f.prepare("known", state);
    double[] out = new double[f.horizon()];
    int resets = 0;
    for (int t = 0; t < 30; t++) {
      int flags = stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t), out);
      assertEquals(0, flags & KeyStepper.FORECAST, "no forecast of 1e30 widths at step " + t);
      resets += (flags & KeyStepper.RESET) != 0 ? 1 : 0;
    }
    assertEquals(30, resets, "every step's output was absurd");
    assertEquals(30, state.observedSteps(), "the key keeps its history for the next model");
    assertEquals(0, state.forecast().length, "nothing absurd kept as the key's forecast");
  }

  @Test
  void shouldRebuildSameStateWhenRewarmedFromHistory() {
    ModelArtifact m = ForecastSessionTest.model();
    RecurrentForecaster f = new RecurrentForecaster(m, 1, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    // History as long as the run, so the re-warm sees every step the continuous run saw.
    KeyState state = new KeyState(40);
    f.prepare("known", state);
    double[] out = new double[f.horizon()];
    for (int t = 0; t < 40; t++) {
      stepper.observe(f, "known", state, START + t * STEP_MS, ForecastSessionTest.value(t), out);
    }
    float[] continuous = state.hidden().clone();
    double[] rewarmed = new double[f.horizon()];
    RecurrentForecaster next = new RecurrentForecaster(m, 2, 1);
    next.rewarm(state, START + 39 * STEP_MS, STEP_MS, rewarmed);
    assertArrayEquals(continuous, state.hidden());
    assertArrayEquals(out, rewarmed, 1e-12);
    assertEquals(2, state.modelVersion());
  }

  @Test
  void shouldAdoptOwnScaleWhenUnseenKeyPassesColdStart() {
    ModelArtifact m = ForecastSessionTest.model();
    RecurrentForecaster f = new RecurrentForecaster(m, 1, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState state = new KeyState(64);
    f.prepare("never-seen", state);
    double[] out = new double[f.horizon()];
    int n = ForecastSession.COLD_START_OBSERVATIONS;
    for (int t = 0; t < n - 1; t++) {
      stepper.observe(f, "never-seen", state, START + t * STEP_MS, ForecastSessionTest.value(t), out);
      assertTrue(Double.isNaN(state.scaleMean()));
    }
    stepper.observe(f, "never-seen", state, START + (n - 1) * STEP_MS, ForecastSessionTest.value(n - 1), out);
    double[] first = new double[n];
    for (int i = 0; i < n; i++) {
      first[i] = ForecastSessionTest.value(i);
    }
    Scaler own = Scaler.fit(first, 0, n, true);
    assertEquals(own.center(), state.scaleMean(), 1e-12);
    assertEquals(own.scale(), state.scaleSpread(), 1e-12);
  }

  @Test
  void shouldGiveOneByOneResultsWhenKeysAreObservedTogether() {
    ModelArtifact m = ForecastSessionTest.model();
    RecurrentForecaster first = new RecurrentForecaster(m, 1, 3);
    RecurrentForecaster second = new RecurrentForecaster(m, 2, 3);
    KeyStepper stepper = new KeyStepper(new Gaps(GapPolicy.IMPUTE, 2), STEP_MS);
    int keys = 30;
    String[] names = new String[keys];
    KeyState[] alone = new KeyState[keys];
    KeyState[] together = new KeyState[keys];
    for (int b = 0; b < keys; b++) {
      names[b] = b == 0 ? "known" : "key-" + b;
      alone[b] = new KeyState(first.historyLength() + 2);
      together[b] = new KeyState(first.historyLength() + 2);
    }
    String[] batchKeys = new String[keys];
    KeyState[] batchStates = new KeyState[keys];
    long[] starts = new long[keys];
    double[] values = new double[keys];
    double[][] outs = new double[keys][first.horizon()];
    int[] outcomes = new int[keys];
    int[] expectedOutcomes = new int[keys];
    double[] out = new double[first.horizon()];
    int seen = 0;
    for (int t = 0; t < 120; t++) {
      RecurrentForecaster model = t < 60 ? first : second; // a swap: every key re-warms
      int n = 0;
      for (int b = 0; b < keys; b++) {
        boolean absent = t < b % 5 // keys start at different steps
            || (t + b) % 17 == 0 // single missing steps: imputed
            || (b == 7 && t >= 30 && t < 36); // a long gap: reset
        if (!absent) {
          batchKeys[n] = names[b];
          batchStates[n] = together[b];
          starts[n] = START + t * STEP_MS;
          values[n] = ForecastSessionTest.value(t + 3 * b) * (1 + b * 0.1);
          expectedOutcomes[n] = stepper.observe(model, names[b], alone[b], starts[n], values[n], out);
          n++;
        }
      }
      stepper.observeAll(model, batchKeys, batchStates, starts, values, outs, outcomes, n);
      for (int i = 0, b = 0; i < n; i++, b++) {
        while (batchStates[i] != together[b]) {
          b++;
        }
        KeyState expected = alone[b];
        String where = "t=" + t + " " + names[b];
        assertEquals(expectedOutcomes[i], outcomes[i], where);
        assertArrayEquals(expected.hidden(), together[b].hidden(), where);
        assertEquals(expected.forecastOrigin(), together[b].forecastOrigin(), where);
        if (expected.forecastOrigin() == starts[i]) {
          assertArrayEquals(expected.forecast(), outs[i], 0.0, where);
          seen++;
        }
        assertEquals(expected.scaleMean(), together[b].scaleMean(), where);
        assertEquals(expected.lastStep(), together[b].lastStep(), where);
      }
    }
    assertTrue(seen > 2500, "forecasts compared: " + seen);
    assertEquals(2, together[7].modelVersion());
  }

  /** The test model with baseline snaive(4) at both horizons; key "known" is served its baseline at h = 1. */
  static ModelArtifact masked() {
    ModelArtifact m = ForecastSessionTest.model();
    return m.withSources(new OutputSources(List.of("snaive(4)", "snaive(4)"), List.of(new int[] {0}, new int[] {1}),
        new boolean[] {true, true}, Map.of("known", new boolean[] {false, true})));
  }

  @Test
  void shouldServeBaselineAtMaskedHorizonsWhenKeyIsMasked() {
    RecurrentForecaster plain = new RecurrentForecaster(ForecastSessionTest.model(), 1, 1);
    RecurrentForecaster masked = new RecurrentForecaster(masked(), 1, 1);
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    assertEquals(List.of("snaive(4)", "learned"), masked.sources("known"));
    assertEquals(List.of("learned", "learned"), masked.sources("other"));
    assertArrayEquals(new boolean[] {false, true}, masked.artifact().learnedHorizons("known"));
    for (String key : List.of("known", "other")) {
      KeyState a = new KeyState(plain.historyLength());
      KeyState b = new KeyState(plain.historyLength());
      double[] learned = new double[2];
      double[] served = new double[2];
      ForecastSession session = new ForecastSession(masked(), key);
      int baselineServed = 0;
      for (int t = 0; t < 60; t++) {
        double y = ForecastSessionTest.value(t);
        stepper.observe(plain, key, a, START + t * STEP_MS, y, learned);
        stepper.observe(masked, key, b, START + t * STEP_MS, y, served);
        assertArrayEquals(a.hidden(), b.hidden(), "the hidden state advances whatever the source");
        // the stepper's live protection starts from the artifact's choice; this test model's learned output is
        // worse than snaive(4), so after enough evidence every horizon falls back to it
        boolean early = t < LiveProtection.MIN_PAIRS;
        if (b.protection().learned(2)) {
          assertEquals(learned[1], served[1], 1e-12, "h=2 is learned for every key");
        } else {
          assertFalse(early, "no fall-back without evidence");
          assertEquals(ForecastSessionTest.value(t - 2), served[1], 1e-3, "snaive(4) at h = 2, t=" + t);
        }
        double[] offline = session.observe(Instant.ofEpochMilli(START + t * STEP_MS), y);
        if (key.equals("known") && !b.protection().learned(1) && b.protection().learned(2)) {
          // while live protection keeps the artifact's choice, the session (no live protection) serves the same
          assertArrayEquals(offline, served, 1e-9, "the session serves the same sources, t=" + t);
        }
        if (key.equals("known") && t >= 3) {
          // snaive(4) at h = 1: y[t + 1 − 4]
          assertEquals(ForecastSessionTest.value(t - 3), served[0], 1e-3, "t=" + t);
          assertTrue(Math.abs(learned[0] - served[0]) > 1e-3, "the learned output differs at t=" + t);
          baselineServed++;
        } else if (key.equals("other") && b.protection().learned(1)) {
          assertEquals(learned[0], served[0], 1e-12, "unlisted keys get the pooled choice (learned)");
        } else if (key.equals("other")) {
          assertFalse(early, "no fall-back without evidence");
        }
      }
      assertFalse(b.protection().learned(2), "fell back at h = 2 where the learned output is worse");
      assertEquals(key.equals("known") ? 57 : 0, baselineServed);
    }
  }

  @Test
  void shouldServeTheKeysSmoothingAndKeepItsStateWhenStoredAndSwapped() {
    assertServesOwnBaseline(new Smoothing(false, 4, 0.3, 0, 0.2, 1, new boolean[] {true, false}), "ets(A,N,A)");
  }

  @Test
  void shouldServeTheKeysAutoregressionAndKeepItsStateWhenStoredAndSwapped() {
    Autoregression ar = new Autoregression(0.5, new double[] {0.6, 0.2, 0.1}, false, new boolean[] {true, false});
    assertServesOwnBaseline(ar, "arima(3,0,0)");
  }

  private static void assertServesOwnBaseline(KeyBaseline own, String name) {
    ModelArtifact withOwn = masked().withSources(masked().sources().withOwn(Map.of("known", own)));
    RecurrentForecaster model = new RecurrentForecaster(withOwn, 1, 1);
    assertEquals(List.of(name, "learned"), model.sources("known"));
    assertEquals(List.of("learned", "learned"), model.sources("other"), "other keys keep the pooled sources");
    KeyStepper stepper = new KeyStepper(Gaps.DEFAULT, STEP_MS);
    KeyState kept = new KeyState(50); // a pipeline's keys keep context + longest lag
    KeyState stored = new KeyState(50);
    double[] served = new double[2];
    double[] servedStored = new double[2];
    double[] values = new double[40];
    for (int t = 0; t < 40; t++) {
      values[t] = ForecastSessionTest.value(t);
      stepper.observe(model, "known", kept, START + t * STEP_MS, values[t], served);
      stepper.observe(model, "known", stored, START + t * STEP_MS, values[t], servedStored);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(stored.serializedSize());
      stored.write(b);
      b.flip();
      stored = KeyState.read(b, 50);
      assertArrayEquals(served, servedStored, 0, "a stored and restored key serves the same, t=" + t);
      if (t + 1 >= own.warmup()) {
        double[] expected = own.start(values, t + 1);
        assertArrayEquals(expected, kept.ownBaseline(), 1e-12, "the state after t=" + t);
        assertEquals(own.forecast(expected, 1), served[0], 1e-9, "h = 1 is the own baseline's forecast, t=" + t);
        assertEquals(name, KeyStepper.sources(model, "known", kept).get(0));
      } else {
        assertEquals(0, kept.ownBaseline().length, "not started before it has the values it needs");
      }
    }
    RecurrentForecaster swapped = new RecurrentForecaster(withOwn, 2, 1);
    stepper.observe(swapped, "known", kept, START + 40 * STEP_MS, 7.0, served);
    double[] history = kept.history().valuesOldestFirst();
    assertArrayEquals(own.start(history, history.length), kept.ownBaseline(), 1e-12,
        "after a swap it starts again from the history the key holds");
  }

  @Test
  void shouldGiveBothSourcesWhenSteppedForComparison() {
    RecurrentForecaster masked = new RecurrentForecaster(masked(), 1, 1);
    RecurrentForecaster plain = new RecurrentForecaster(ForecastSessionTest.model(), 1, 1);
    KeyState a = new KeyState(masked.historyLength());
    KeyState b = new KeyState(masked.historyLength());
    a.hidden(new float[masked.stateSize()], 1);
    b.hidden(new float[masked.stateSize()], 1);
    double[] learned = new double[2];
    double[] baseline = new double[2];
    double[] expected = new double[2];
    for (int t = 0; t < 20; t++) {
      a.history().push(ForecastSessionTest.value(t), false);
      b.history().push(ForecastSessionTest.value(t), false);
      masked.stepBoth(a, START + t * STEP_MS, learned, baseline);
      plain.step(b, START + t * STEP_MS, expected);
      assertArrayEquals(expected, learned, 1e-12);
      if (t >= 4) {
        assertEquals(ForecastSessionTest.value(t - 3), baseline[0], 1e-3);
        assertEquals(ForecastSessionTest.value(t - 2), baseline[1], 1e-3);
      }
    }
  }

  @Test
  void shouldServeModelWithExtraFieldsWhenCovariatesAreFed() {
    ModelArtifact golden = GoldenArtifacts.v1();
    RecurrentForecaster f = new RecurrentForecaster(golden, 1, 1);
    KeyState state = new KeyState(f.historyLength());
    double[] out = new double[f.horizon()];
    new KeyStepper(Gaps.DEFAULT, STEP_MS).observe(f, "k", state, START, 20, new double[] {55}, out);
    assertEquals(List.of("humidity"), golden.features().extraFields());
    assertEquals(55, state.covariates().get(0, 0));
    assertTrue(Double.isFinite(out[0]));
  }
}
