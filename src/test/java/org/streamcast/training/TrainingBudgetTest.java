package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;

class TrainingBudgetTest {
  private static final List<KeySeries> TAYLOR = TestData.dataset("taylor.csv");
  private static final PipelineSpec.Model MODEL = TestData.model(PipelineSpec.ModelType.GRU, 4, 48, 4,
      PipelineSpec.TargetTransform.LEVEL, List.of(), List.of(48));

  private static TrainedModel train(PipelineSpec.Budget budget, List<Integer> windows) {
    ProgressListener progress = new ProgressListener() {
      @Override
      public void started(int maxEpochs, int trainWindows, int validationWindows, int keys, int available,
          Duration timeBudget) {
        windows.add(trainWindows);
        windows.add(available);
      }

      @Override
      public void epochFinished(EpochStats stats) {
      }
    };
    return new Trainer().train(MODEL, TestData.training(5, 5, 0.01, 3), TAYLOR, List.of(), "taylor.csv", progress,
        budget);
  }

  @Test
  void shouldStopWithTheBestEpochSoFarWhenTheTimeBudgetIsSpent() {
    List<Integer> windows = new ArrayList<>();
    TrainedModel t = train(new PipelineSpec.Budget(256, 40, Duration.ofMillis(1), 10, 1L << 20), windows);
    assertEquals(0, t.epochs().size(), "the budget was spent before the first epoch");
    assertEquals(0, t.bestEpoch(), "the start is kept");
    assertEquals(0.0, t.artifact().provenance().validationMetrics().get("epochs_run"));
  }

  @Test
  void shouldTrainOnASeededSampleOfWindowsWhenTheyExceedTheBudget() {
    List<Integer> windows = new ArrayList<>();
    TrainedModel t = train(new PipelineSpec.Budget(256, 40, Duration.ofMinutes(10), 10, 1L << 20), windows);
    assertEquals(40, windows.get(0), "windows trained per epoch");
    assertTrue(windows.get(1) > 40, "windows available: " + windows.get(1));
    assertTrue(t.epochs().size() >= 1, "ten minutes hold an epoch of 40 windows");
  }
}
