package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.Datasets;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Step;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelArtifact;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.backtest.BacktestListener;

class RetrainerTest {
  static final PipelineSpec SPEC = SpecLoader.parse("retrain-test.yaml", String.join("\n",
      "name: weather",
      "window: {step: 1d, aggregation: last}",
      "model: {type: gru, hiddenSize: 8, context: 28, horizon: 3, seasonalLags: [7], calendar: [day_of_year]}",
      "training: {epochs: 4, patience: 2, seed: 5, history: 2000d, promoteMargin: 0.02}",
      ""));

  static final java.time.Duration DAY = java.time.Duration.ofDays(1);
  static SeriesHistory real;

  @BeforeAll
  static void load() {
    List<Step> steps = new ArrayList<>();
    for (Observation o : Datasets.read("vega_weather")) {
      if (o.key().endsWith("temp_max")) {
        steps.add(new Step(o.key(), o.time(), o.value(), 1));
      }
    }
    real = SeriesHistory.of("vega_weather temp_max", steps, DAY);
  }

  /** The history with each key's training part (the first 80%) shuffled in time: nothing left to learn from. */
  static SeriesHistory degraded(SeriesHistory h, long seed) {
    List<Step> out = new ArrayList<>();
    Random random = new Random(seed);
    h.keys().forEach(key -> {
      List<Step> steps = h.steps(key);
      int train = (int) Math.floor(Retrainer.TRAIN_SHARE * steps.size());
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < train; i++) {
        values.add(steps.get(i).value());
      }
      Collections.shuffle(values, random);
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        out.add(new Step(key, s.start(), i < train ? values.get(i) : s.value(), 1));
      }
    });
    return SeriesHistory.of("degraded " + h.source(), out, DAY);
  }

  static Judgement judge(SeriesHistory h, Optional<Forecaster> champion) {
    return new Retrainer(SPEC, ProgressListener.NONE, BacktestListener.NONE).judge(h, champion);
  }

  @Test
  void shouldPromoteAndRecordJudgementWhenNoModelIsInService() {
    Judgement j = judge(real, Optional.empty());
    assertEquals(Judgement.Decision.PROMOTED, j.decision(), j.reason());
    assertEquals(3, j.candidateMase().length);
    assertEquals(0, j.championMase().length, "no champion to score");
    assertEquals(3, j.baselineMase().length, "the baseline is the bar");
    assertTrue(Judgement.mean(j.candidateMase()) < Judgement.mean(j.baselineMase()), j.reason());
    for (double m : j.candidateMase()) {
      assertTrue(Double.isFinite(m), "a promoted model has finite MASE at every horizon");
    }
    ModelArtifact a = j.candidate().orElseThrow();
    Map<String, String> e = a.provenance().evaluation();
    assertEquals("promoted", e.get("decision"));
    assertEquals(Double.toString(j.candidateMase()[0]), e.get("candidate.mase.h1"));
    assertTrue(e.get("champion").startsWith("none"), e.get("champion"));
    assertEquals(Double.toString(j.baselineMase()[0]), e.get("baseline.mase.h1"));
    assertEquals(2, a.keyScalers().size());
    // The holdout is the last fifth: the challenger saw only the first 80% of each key.
    assertTrue(a.provenance().to().isBefore(real.to().orElseThrow().minus(java.time.Duration.ofDays(250))),
        "trained up to " + a.provenance().to());
    assertTrue(j.candidateMase()[0] < 1.5 && j.candidateMase()[0] > 0.3, "MASE h1 " + j.candidateMase()[0]);
  }

  @Test
  void shouldRejectWhenChallengerTrainedOnDegradedHistory() {
    Judgement good = judge(real, Optional.empty());
    Forecaster champion = org.streamcast.model.RecurrentForecaster.serving(good.candidate().orElseThrow());
    Judgement bad = judge(degraded(real, 9), Optional.of(champion));
    assertEquals(Judgement.Decision.REJECTED, bad.decision(), bad.reason());
    assertTrue(Judgement.mean(bad.candidateMase()) > (1 - 0.02) * Judgement.mean(bad.championMase()), bad.reason());
    assertEquals("rejected", bad.candidate().orElseThrow().provenance().evaluation().get("decision"));
  }

  @Test
  void shouldPromoteWhenChallengerBeatsChampionByMargin() {
    Forecaster weak = org.streamcast.model.RecurrentForecaster.serving(
        judge(degraded(real, 4), Optional.empty()).candidate().orElseThrow());
    Judgement j = judge(real, Optional.of(weak));
    assertEquals(Judgement.Decision.PROMOTED, j.decision(), j.reason());
    assertTrue(Judgement.mean(j.candidateMase()) <= 0.98 * Judgement.mean(j.championMase()), j.reason());
  }

  @Test
  void shouldScoreUnservableChampionAsSuchAndStillRequireTheBaselineWhenJudging() {
    Judgement j = new Retrainer(SPEC, ProgressListener.NONE, BacktestListener.NONE).judge(real,
        Retrainer.Champion.unservable("gru v12", "it forecasts 2 steps, pipeline weather needs 3"));
    assertEquals(Judgement.Decision.PROMOTED, j.decision(), j.reason());
    assertTrue(j.reason().startsWith("the champion gru v12 cannot serve the pipeline (it forecasts 2 steps"),
        j.reason());
    assertEquals(0, j.championMase().length);
    assertTrue(Judgement.mean(j.candidateMase()) < Judgement.mean(j.baselineMase()), j.reason());
    assertTrue(j.candidate().orElseThrow().provenance().evaluation().get("champion").contains("unservable"));
  }

  @Test
  void shouldSkipWithReasonWhenHistoryIsShorterThanHoldoutNeeds() {
    List<Step> few = real.steps(real.keys().get(0)).subList(0, 10);
    Judgement j = judge(SeriesHistory.of("short", few, DAY), Optional.empty());
    assertEquals(Judgement.Decision.SKIPPED, j.decision());
    assertTrue(j.candidate().isEmpty());
    assertTrue(j.reason().contains("longest 10 steps") && j.reason().contains("at least 11 steps"), j.reason());
  }

  @Test
  void shouldCountEachStepOnceWhenHistoryHoldsDuplicates() {
    List<Step> steps = new ArrayList<>(real.steps(real.keys().get(0)).subList(0, 5));
    steps.add(steps.get(2));
    SeriesHistory h = SeriesHistory.of("dup", steps, DAY);
    assertEquals(5, h.size());
    assertEquals(5, h.grid(steps.get(0).key()).length);
  }
}
