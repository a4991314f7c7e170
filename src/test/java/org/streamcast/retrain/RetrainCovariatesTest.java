package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.WideCsvReader;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Step;
import org.streamcast.model.ModelArtifact;
import org.streamcast.registry.ServableModels;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.backtest.BacktestListener;

class RetrainCovariatesTest {
  static final PipelineSpec SPEC = SpecLoader.parse("retrain-covariates.yaml", String.join("\n",
      "name: weather",
      "input: {valueFields: [temp_max, temp_min, wind], target: temp_max}",
      "window: {step: 1d, aggregation: last}",
      "model: {type: gru, hiddenSize: 8, context: 28, horizon: 3, seasonalLags: [7], calendar: [day_of_year]}",
      "training: {epochs: 2, patience: 1, seed: 5, history: 2000d}",
      ""));

  @Test
  void shouldTrainAndJudgeTheCandidateOnTheCovariatesWhenTheHistoryCarriesThem() {
    List<Step> steps = new ArrayList<>();
    for (Measurement m : WideCsvReader.read(Path.of("src/test/resources/data/vega_weather_wide.csv"), "temp_max",
        SPEC.input().covariates()).rows()) {
      double[] v = m.values();
      steps.add(new Step(m.key(), m.time(), v[0], 1, new double[] {v[1], v[2]}));
    }
    SeriesHistory history = SeriesHistory.of("weather", steps, Duration.ofDays(1));
    Judgement j = new Retrainer(SPEC, ProgressListener.NONE, BacktestListener.NONE).judge(history, Optional.empty());
    assertNotEquals(Judgement.Decision.SKIPPED, j.decision(), j.reason());
    ModelArtifact candidate = j.candidate().orElseThrow();
    assertEquals(List.of("temp_min", "wind"), candidate.features().extraFields());
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, candidate), "the pipeline can serve it");
    for (double m : j.candidateMase()) {
      assertTrue(Double.isFinite(m) && m > 0.3 && m < 2, "candidate MASE " + m);
    }
  }
}
