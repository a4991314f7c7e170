package org.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.topology.PipelineTopology;

class BenchModelTest {
  private final PipelineSpec spec = BenchSpec.of("bench", "bench.events");

  @Test
  void shouldServeAGruOfTheSpecsShapeWhenBuiltThroughTheArtifactFormat() {
    RecurrentForecaster model = BenchModel.serving(spec, BenchRunner.SEED);

    assertEquals("gru", model.name());
    assertArrayEquals(new int[] {BenchSpec.HIDDEN}, model.artifact().network().hiddenSizes());
    assertEquals(BenchSpec.HORIZON, model.horizon());
    assertEquals(BenchSpec.WARMUP_STEPS, model.warmup());
    assertEquals(BenchSpec.HIDDEN, model.stateSize());
    assertArrayEquals(BenchModel.artifact(spec, BenchRunner.SEED).network().headWeights(),
        model.artifact().network().headWeights(), "the same seed gives the same weights");
  }

  @Test
  void shouldForecastNearTheSeasonalNaiveWhenAKeyIsPastItsWarmUp() {
    RecurrentForecaster model = BenchModel.serving(spec, BenchRunner.SEED);
    Workload w = new Workload(1, 1, BenchRunner.SEED);
    KeyStepper stepper = new KeyStepper(spec.model().gaps(), BenchSpec.STEP.toMillis());
    KeyState state = new KeyState(PipelineTopology.historyCapacity(spec));
    double[] out = new double[model.horizon()];
    int forecasts = 0;
    for (int step = 0; step < 60; step++) {
      int flags = stepper.observe(model, "s-000000", state, Workload.eventTime(step), w.value(0, step), out);
      if ((flags & KeyStepper.FORECAST) != 0) {
        forecasts++;
        for (int h = 1; h <= out.length; h++) {
          double naive = w.value(0, step + h - BenchSpec.SEASONAL_LAG);
          assertTrue(Math.abs(out[h - 1] - naive) < 0.2 * naive, "h=" + h + ": " + out[h - 1] + " vs " + naive);
        }
      }
    }
    assertEquals(60 - BenchSpec.WARMUP_STEPS + 1, forecasts);
  }
}
