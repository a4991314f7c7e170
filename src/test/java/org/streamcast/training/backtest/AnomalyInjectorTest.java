package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.training.backtest.AnomalyInjector.Event;
import org.streamcast.training.backtest.AnomalyInjector.Injected;
import org.streamcast.training.backtest.AnomalyInjector.Kind;

class AnomalyInjectorTest {
  private static double[] sine(int n) {
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 10 * Math.sin(t * 0.3);
    }
    return y;
  }

  @Test
  void shouldInjectTheSameAnomaliesWhenTheSeedIsTheSame() {
    double[] y = sine(2000);
    for (Kind kind : Kind.values()) {
      Injected a = AnomalyInjector.inject(y, 1000, kind, 3);
      Injected b = AnomalyInjector.inject(y, 1000, kind, 3);
      assertArrayEquals(a.values(), b.values(), 0);
      assertEquals(a.events(), b.events());
      assertFalse(a.events().equals(AnomalyInjector.inject(y, 1000, kind, 4).events()), "another seed");
    }
  }

  @Test
  void shouldChangeOnlyTheEventsStepsAfterTheSplitWhenInjecting() {
    double[] y = sine(3000);
    double sigma = AnomalyInjector.sigma(y, 1500);
    for (Kind kind : Kind.values()) {
      Injected in = AnomalyInjector.inject(y, 1500, kind, 9);
      List<Event> events = in.events();
      assertTrue(events.size() >= 6, kind + ": " + events.size() + " events in 1500 steps");
      for (int t = 0; t < y.length; t++) {
        int at = t;
        boolean inside = events.stream().anyMatch(e -> at >= e.start() && at < e.end());
        if (!inside) {
          assertEquals(y[t], in.values()[t], 0, kind + " at " + t);
        }
      }
      for (Event e : events) {
        assertTrue(e.start() >= 1500);
        double first = in.values()[e.start()] - y[e.start()];
        switch (kind) {
          case SPIKE -> {
            assertEquals(1, e.end() - e.start());
            assertTrue(Math.abs(first) >= sigma && Math.abs(first) <= 3 * sigma, "spike of " + first);
          }
          case LEVEL_SHIFT -> {
            assertTrue(e.end() - e.start() >= 10 && e.end() - e.start() <= 50);
            assertTrue(Math.abs(first) >= sigma && Math.abs(first) <= 2 * sigma, "shift of " + first);
            for (int t = e.start(); t < e.end(); t++) {
              assertEquals(first, in.values()[t] - y[t], 1e-9);
            }
          }
          case STUCK -> {
            for (int t = e.start(); t < e.end(); t++) {
              assertEquals(y[e.start() - 1], in.values()[t], 0);
            }
          }
          default -> throw new IllegalStateException();
        }
      }
    }
  }

  @Test
  void shouldCountFlagsOnAnAnomalyOrJustAfterItAsTruePositivesWhenScoring() {
    boolean[] flags = new boolean[100];
    flags[10] = true; // on the spike
    flags[13] = true; // within the tolerance after it
    flags[14] = true; // beyond it: false
    flags[40] = true; // a false alarm
    flags[55] = true; // inside the level shift
    AnomalyBacktest.Counts c = AnomalyBacktest.score(flags, List.of(new Event(10, 11), new Event(50, 60),
        new Event(80, 90)), 5);
    assertEquals(new AnomalyBacktest.Counts(5, 3, 3, 2), c);
    assertEquals(0.6, c.precision(), 1e-12);
    assertEquals(2 / 3.0, c.recall(), 1e-12);
    assertEquals(2 * 0.6 * (2 / 3.0) / (0.6 + 2 / 3.0), c.f1(), 1e-12);
  }

  @Test
  void shouldFlagOnlyValuesBeyondKSigmaOfTheTrailingWindowWhenZScoring() {
    double[] y = {1, 2, 1, 2, 1, 2, 9, 2};
    boolean[] flags = AnomalyDetectors.zScore(y, 4, 3);
    // window {1, 2, 1, 2}: mean 1.5, σ 0.5: 9 is 15σ away, the rest within 1σ
    assertArrayEquals(new boolean[] {false, false, false, false, false, false, true, false}, flags);
  }
}
