package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForecastSessionTest {

  static ModelArtifact model() {
    FeatureSpec f = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(FeatureSpec.Calendar.TIME_OF_DAY),
        List.of(4), false, 2);
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, f.recurrentInputs(), f.headInputs(), new int[] {8}, 2, 5);
    KeyScaling known = new KeyScaling(new Scaler(500, 20), List.of());
    KeyScaling global = new KeyScaling(new Scaler(0, 1000), List.of());
    return new ModelArtifact(net, f, Map.of("known", known), global, GoldenArtifacts.v1().provenance());
  }

  static double value(int t) {
    return 300 + 40 * Math.sin(t * 0.7);
  }

  static Instant time(int t) {
    return Instant.parse("2024-05-01T00:00:00Z").plusSeconds(3600L * t);
  }

  @Test
  void shouldUseTrainingScalersWhenKeyIsKnown() {
    ForecastSession s = new ForecastSession(model(), "known");
    assertFalse(s.coldStarting());
    s.observe(time(0), value(0));
    assertEquals(new Scaler(500, 20), s.scaling().target());
    assertEquals(1, s.observed());
  }

  @Test
  void shouldAdoptOwnScalersAndReplayWhenUnseenKeyReachesColdStartCount() {
    ModelArtifact m = model();
    ForecastSession s = new ForecastSession(m, "new-key");
    int n = ForecastSession.COLD_START_OBSERVATIONS;
    double[] last = null;
    for (int t = 0; t < n - 1; t++) {
      s.observe(time(t), value(t));
      assertTrue(s.coldStarting());
      assertEquals(m.globalScaling(), s.scaling());
    }
    last = s.observe(time(n - 1), value(n - 1));
    assertFalse(s.coldStarting());
    double[] ys = new double[n];
    for (int t = 0; t < n; t++) {
      ys[t] = value(t);
    }
    Scaler own = Scaler.fit(ys, 0, n, true);
    assertEquals(own, s.scaling().target());
    assertNotEquals(m.globalScaling().target(), own);

    // The state after the switch equals a session that had the key's own scalers from the start.
    ModelArtifact withKey = new ModelArtifact(m.network(), m.features(),
        Map.of("new-key", new KeyScaling(own, List.of())), m.globalScaling(), m.provenance());
    ForecastSession reference = new ForecastSession(withKey, "new-key");
    double[] expected = null;
    for (int t = 0; t < n; t++) {
      expected = reference.observe(time(t), value(t));
    }
    assertArrayEquals(expected, last);
    assertArrayEquals(reference.state(), s.state());
    assertEquals(n, s.observed());
  }

  @Test
  void shouldFeedOwnOneStepForecastFlaggedImputedWhenStepIsMissing() {
    ForecastSession a = new ForecastSession(model(), "known");
    ForecastSession b = new ForecastSession(model(), "known");
    double[] last = null;
    for (int t = 0; t < 10; t++) {
      last = a.observe(time(t), value(t));
      b.observe(time(t), value(t));
    }
    double[] viaGap = a.observeMissing(time(10));
    double[] explicit = b.observe(time(10), last[0], new double[0], true);
    assertArrayEquals(explicit, viaGap);
    assertArrayEquals(b.state(), a.state());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ForecastSession(model(), "known").observeMissing(time(0)));
    assertEquals("no observation yet to impute a missing step from", e.getMessage());
  }

  @Test
  void shouldRejectNonFiniteValuesWhenObserving() {
    ForecastSession s = new ForecastSession(model(), "known");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.observe(time(0), Double.NaN));
    assertEquals("target value must be finite: NaN", e.getMessage());
  }
}
