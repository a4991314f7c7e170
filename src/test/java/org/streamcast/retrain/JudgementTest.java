package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JudgementTest {
  private static final double[] BASELINE = {1.0, 1.2, 1.4};

  private static Judgement.Verdict decide(double[] challenger, String champion, double[] championMase,
      String unservable) {
    return Judgement.decide(challenger, BASELINE, "baseline v0", champion, championMase, unservable, 0.02);
  }

  @Test
  void shouldRejectWhenNothingIsInServiceAndChallengerDoesNotBeatBaseline() {
    Judgement.Verdict v = decide(new double[] {1.1, 1.2, 1.3}, null, null, null);
    assertEquals(Judgement.Decision.REJECTED, v.decision());
    assertEquals("challenger MASE 1.2000 does not beat the baseline baseline v0 1.2000", v.reason());
  }

  @Test
  void shouldPromoteWhenNothingIsInServiceAndChallengerBeatsBaseline() {
    Judgement.Verdict v = decide(new double[] {0.9, 1.0, 1.1}, null, null, null);
    assertEquals(Judgement.Decision.PROMOTED, v.decision());
    assertEquals("no trained model in service; challenger MASE 1.0000 beats the baseline baseline v0 1.2000",
        v.reason());
  }

  @Test
  void shouldNeverPromoteWhenAnyChallengerMaseIsNotFinite() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      Judgement.Verdict v = decide(new double[] {0.1, bad, 0.1}, null, null, null);
      assertEquals(Judgement.Decision.REJECTED, v.decision(), v.reason());
      assertTrue(v.reason().contains("at h=2"), v.reason());
      Judgement.Verdict overChampion = decide(new double[] {0.1, bad, 0.1}, "gru v7", new double[] {5, 5, 5}, null);
      assertEquals(Judgement.Decision.REJECTED, overChampion.decision(), overChampion.reason());
    }
    assertEquals(Judgement.Decision.REJECTED, decide(new double[0], null, null, null).decision());
  }

  @Test
  void shouldStillRequireBeatingBaselineWhenChampionIsUnservable() {
    Judgement.Verdict lose = decide(new double[] {1.3, 1.3, 1.3}, "gru v7", null, "it forecasts 2 steps");
    assertEquals(Judgement.Decision.REJECTED, lose.decision());
    Judgement.Verdict win = decide(new double[] {0.5, 0.5, 0.5}, "gru v7", null, "it forecasts 2 steps");
    assertEquals(Judgement.Decision.PROMOTED, win.decision());
    assertEquals("the champion gru v7 cannot serve the pipeline (it forecasts 2 steps); challenger MASE 0.5000 "
        + "beats the baseline baseline v0 1.2000", win.reason());
  }

  @Test
  void shouldRequireMarginOverChampionAndBaselineWhenChampionServes() {
    double[] champion = {0.8, 0.9, 1.0}; // mean 0.9: the bar is 0.882
    assertEquals(Judgement.Decision.REJECTED, decide(new double[] {0.79, 0.89, 0.99}, "gru v7", champion, null)
        .decision(), "0.89 is better, but not by 2%");
    Judgement.Verdict v = decide(new double[] {0.78, 0.88, 0.98}, "gru v7", champion, null);
    assertEquals(Judgement.Decision.PROMOTED, v.decision(), v.reason());
    // a champion that loses to the baseline does not lower the bar below the baseline
    assertEquals(Judgement.Decision.REJECTED, decide(new double[] {1.3, 1.3, 1.3}, "gru v7",
        new double[] {2, 2, 2}, null).decision());
  }

  @Test
  void shouldPromoteOverChampionWithoutFiniteScoresOnlyWhenBaselineIsBeaten() {
    double[] nan = {Double.NaN, Double.NaN, Double.NaN};
    assertEquals(Judgement.Decision.PROMOTED, decide(new double[] {0.5, 0.5, 0.5}, "gru v7", nan, null).decision());
    assertEquals(Judgement.Decision.REJECTED, decide(new double[] {1.5, 1.5, 1.5}, "gru v7", nan, null).decision());
  }
}
