package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamcast.bench.BenchModel;
import org.streamcast.bench.BenchSpec;
import org.streamcast.bench.Workload;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;

/**
 * The encoded size of a key's state (key-state format 4) in the bench pipeline (GRU of 64 units, context 48, lag 24,
 * two interval levels) at horizons 12 and 48: after the key's first event and once it is warm (its error windows
 * full). Nothing of a part is written before the key holds it.
 */
class KeyStateSizeTest {

  /** The encoded sizes after 1 and after {@code steps} steps of one bench key at {@code horizon}. */
  private static int[] sizes(int horizon, int steps) {
    PipelineSpec spec = SpecLoader.parse("size.yaml", BenchSpec.yaml("size", "size.in", true)
        .replace("horizon: " + BenchSpec.HORIZON, "horizon: " + horizon));
    RecurrentForecaster model = BenchModel.serving(spec, 7);
    ServingStep step = PipelineTopology.servingStep(spec, new KeyStepper(spec.model().gaps(),
        spec.window().step().toMillis()), PipelineTopology.quality(spec));
    ServingState state = new ServingState(PipelineTopology.historyCapacity(spec));
    Workload w = new Workload(1, 1, 7);
    double[] out = new double[model.horizon()];
    int[] sizes = new int[2];
    for (int t = 0; t < steps; t++) {
      step.step(model, "s-000000", state, Workload.eventTime(t), w.value(0, t), out, null);
      if (t == 0) {
        sizes[0] = KeyStateSerde.write(state).length;
      }
    }
    sizes[1] = KeyStateSerde.write(state).length;
    // the bound a pipeline checks against Kafka's record limits before it starts holds the warm state
    assertTrue(sizes[1] <= KeyStateSerde.maxBytes(spec), sizes[1] + " above the bound " + KeyStateSerde.maxBytes(spec));
    assertTrue(KeyStateSerde.maxBytes(spec) - sizes[1] < 4_000, "a bound near the largest state: "
        + KeyStateSerde.maxBytes(spec) + " for " + sizes[1]);
    assertTrue(state.isWarm());
    assertEquals(50, state.quality().count(state.quality().horizons().count() - 1), "the windows are full");
    return sizes;
  }

  @Test
  void shouldStayWithinItsSizeBoundsAfterOneEventAndWarmWhenTheHorizonIs12Or48() {
    int[] h12 = sizes(12, 200);
    int[] h48 = sizes(48, 240);
    // measured: 414 and 7,177 bytes at horizon 12, 627 and 36,126 at 48 (the error windows alone are 4,800 and 19,200
    // bytes; the anomaly watches take 9 after one event and at most 76 once warm, the covariate history's header 5)
    assertTrue(h12[0] <= 600, "after one event at horizon 12: " + h12[0]);
    assertTrue(h48[0] <= 650, "after one event at horizon 48: " + h48[0]);
    assertTrue(h12[1] <= 7_200, "warm at horizon 12: " + h12[1]);
    assertTrue(h48[1] <= 36_500, "warm at horizon 48: " + h48[1]);
  }
}
