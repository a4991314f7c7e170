package org.streamcast.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.KeyState;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.model.Scaler;

/** Whether an artifact can serve a pipeline, and how it is served. */
public final class ServableModels {
  private ServableModels() {}

  /** Why {@code artifact} cannot serve {@code spec}, or empty when it can. */
  public static Optional<String> mismatch(PipelineSpec spec, ModelArtifact artifact) {
    if (!artifact.features().extraFields().equals(spec.input().covariates())) {
      // the stream feeds the spec's value fields besides the target, in spec order, as the model's covariates
      return Optional.of("it reads the covariates " + artifact.features().extraFields() + ", pipeline "
          + spec.name() + " feeds " + spec.input().covariates() + " (input.valueFields besides the target)");
    }
    String trainedStep = artifact.provenance().hyperparameters().get(Provenance.WINDOW_STEP);
    if (trainedStep != null && !trainedStep.equals(spec.window().step().toString())) {
      // its lags, seasons and calendar features count steps of the length it learned from
      return Optional.of("it was trained on steps of " + trainedStep + ", pipeline " + spec.name()
          + " steps by " + spec.window().step() + " (window.step)");
    }
    if (artifact.features().horizon() < spec.model().horizon()) {
      return Optional.of("it forecasts " + artifact.features().horizon() + " steps, pipeline " + spec.name()
          + " needs " + spec.model().horizon());
    }
    int capacity = spec.model().historyCapacity();
    if (artifact.features().historyLength() > capacity) {
      return Optional.of("it needs " + artifact.features().historyLength() + " steps of history, pipeline "
          + spec.name() + " keeps " + capacity + " (context + longest lag)");
    }
    // Scalers from data within input.maxAbsValue are within it too; one beyond it (a scale of 1e300) maps every
    // reading to noise and every output to a forecast of hundreds of orders of magnitude, published as if real.
    double maxAbs = spec.input().maxAbsValue();
    Optional<String> scaler = absurdScaler(artifact.globalScaling(), "the global scaling", maxAbs);
    for (var e : artifact.keyScalers().entrySet()) {
      if (scaler.isPresent()) {
        break;
      }
      scaler = absurdScaler(e.getValue(), "key " + e.getKey() + "'s scaling", maxAbs);
    }
    if (scaler.isPresent()) {
      return scaler;
    }
    // A key's state is one changelog record, and the pipeline checked the largest its spec allows against Kafka's
    // record limits at start; a model whose state per key could be larger (more or wider layers, a longer horizon)
    // would stop the pipeline at its first commit, and again after every restart.
    int covariates = spec.input().covariates().size();
    PipelineSpec.Model m = spec.model();
    long allowed = KeyState.maxSerializedSize(capacity, 2 * m.layers() * m.hiddenSize(), m.horizon(), covariates);
    int stateFloats = artifact.network().stateSize();
    long needed = KeyState.maxSerializedSize(capacity, stateFloats, artifact.features().horizon(), covariates);
    if (needed > allowed) {
      return Optional.of("its state per key takes up to " + needed + " bytes (a recurrent state of " + stateFloats
          + " floats, " + artifact.features().horizon() + " steps ahead), more than the " + allowed + " pipeline "
          + spec.name() + " allows (model.layers x model.hiddenSize, model.horizon), which its changelog's record "
          + "limit was checked against at start");
    }
    return Optional.empty();
  }

  /** Why {@code scaling} cannot come from readings within {@code maxAbs}, if it cannot. */
  private static Optional<String> absurdScaler(KeyScaling scaling, String whose, double maxAbs) {
    List<Scaler> all = new ArrayList<>();
    all.add(scaling.target());
    all.addAll(scaling.extras());
    for (Scaler s : all) {
      if (!(Math.abs(s.center()) <= maxAbs && s.scale() <= 2 * maxAbs)) {
        String shown = s.toString();
        return Optional.of(whose + " " + (shown.length() > 120 ? shown.substring(0, 120) + "..." : shown)
            + " cannot come from readings within input.maxAbsValue " + maxAbs);
      }
    }
    return Optional.empty();
  }

  /** The forecaster serving {@code artifact} in {@code spec}'s pipeline; fails with the mismatch. */
  public static RecurrentForecaster serve(PipelineSpec spec, ModelArtifact artifact) {
    return serve(spec, artifact, artifact.provenance().createdAt().getEpochSecond());
  }

  /**
   * The forecaster serving {@code artifact} under {@code version} in {@code spec}'s pipeline; fails with the mismatch.
   */
  public static RecurrentForecaster serve(PipelineSpec spec, ModelArtifact artifact, long version) {
    mismatch(spec, artifact).ifPresent(reason -> {
      throw new IllegalArgumentException("model cannot serve pipeline " + spec.name() + ": " + reason);
    });
    return new RecurrentForecaster(artifact, version, artifact.features().historyLength());
  }
}
