package org.streamcast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.CellType;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Scaler;
import org.streamcast.model.TestNetworks;

class ServableModelsTest {
  private static final PipelineSpec SPEC = SpecLoader.parse("p.yaml", """
      name: p
      window: {step: 1h}
      model: {type: gru, hiddenSize: 8, layers: 1, horizon: 4, context: 24, seasonalLags: [24]}
      """);

  private static ModelArtifact artifact(CellType cell, int[] hidden, int horizon) {
    return artifact(cell, hidden, horizon, new Scaler(0, 1));
  }

  private static ModelArtifact artifact(CellType cell, int[] hidden, int horizon, Scaler keyScaler) {
    FeatureSpec f = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(), List.of(24), false, horizon);
    RecurrentNetwork net = TestNetworks.random(cell, f.recurrentInputs(), f.headInputs(), hidden, horizon, 7);
    Provenance p = new Provenance("t.csv", Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), 1, 48, Map.of(), 1,
        Map.of(), Map.of(), Instant.parse("2026-12-01T00:00:00Z"));
    return new ModelArtifact(net, f, Map.of("a", new KeyScaling(keyScaler, List.of())),
        new KeyScaling(new Scaler(0, 1), List.of()), p);
  }

  @Test
  void shouldServeAModelOfTheSpecsShapeOrASmallerOne() {
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {8}, 4)));
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, artifact(CellType.LSTM, new int[] {8}, 4)));
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {4, 4}, 4)));
  }

  @Test
  void shouldRefuseAModelWhoseStatePerKeyExceedsWhatTheSpecWasCheckedForWhenWiderOrLonger() {
    Optional<String> wide = ServableModels.mismatch(SPEC, artifact(CellType.LSTM, new int[] {64, 64}, 4));
    assertTrue(wide.isPresent() && wide.get().contains("a recurrent state of 256 floats"), wide.toString());
    Optional<String> longer = ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {1}, 5_000));
    assertTrue(longer.isPresent() && longer.get().startsWith("its state per key takes up to ")
        && longer.get().contains("5000 steps ahead"), longer.toString());
  }

  @Test
  void shouldRefuseAScalerNoReadingWithinTheInputBoundCouldGiveWhenAbsurd() {
    Optional<String> huge = ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {8}, 4,
        new Scaler(0, 1e300)));
    assertEquals(Optional.of("key a's scaling Scaler[center=0.0, scale=1.0E300] cannot come from readings within "
        + "input.maxAbsValue 1.0E15"), huge);
    assertTrue(ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {8}, 4, new Scaler(-2e15, 1)))
        .isPresent());
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, artifact(CellType.GRU, new int[] {8}, 4,
        new Scaler(-9e14, 1e-300))));
  }

  @Test
  void shouldRefuseAModelTrainedAtAnotherStepWhenItsProvenanceSaysSo() {
    ModelArtifact a = artifact(CellType.GRU, new int[] {8}, 4);
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, stepped(a, "PT1H")));
    assertEquals(Optional.of("it was trained on steps of PT2M, pipeline p steps by PT1H (window.step)"),
        ServableModels.mismatch(SPEC, stepped(a, "PT2M")));
    assertEquals(Optional.empty(), ServableModels.mismatch(SPEC, a), "a model from before the step was recorded");
  }

  private static ModelArtifact stepped(ModelArtifact a, String step) {
    Provenance p = a.provenance();
    Provenance q = new Provenance(p.dataSource(), p.from(), p.to(), p.keys(), p.points(),
        Map.of(Provenance.WINDOW_STEP, step), p.seed(), p.validationMetrics(), p.libraryVersions(), p.createdAt());
    return new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(), q);
  }
}
