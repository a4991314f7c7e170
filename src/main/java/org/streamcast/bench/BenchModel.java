package org.streamcast.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.CellType;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.LayerWeights;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Scaler;
import org.streamcast.training.Trainer;

/**
 * The model the benchmark serves: a recurrent network of the spec's shape (for {@link BenchSpec}, one GRU layer of
 * 64 units, 6 recurrent inputs, 14 head inputs (12 seasonal-naive, the naive forecast, the change over the lag), 12
 * outputs) with seeded random weights, written and read back through the model artifact format, then served exactly
 * as {@code run --model} serves a trained one ({@link RecurrentForecaster#serving}). Training is left out on
 * purpose: the cost of a step does not depend on the values of the weights (the kernels have no data-dependent
 * branches), and DL4J's native libraries would then sit in the measured process's memory. The head starts as the
 * seasonal naive forecast, as the trainer's does, with small random weights on the hidden state, so the forecasts
 * stay near the data.
 */
public final class BenchModel {
  private BenchModel() {}

  /** The artifact: random weights from {@code seed}, features from the spec, global scaling of the workload. */
  public static ModelArtifact artifact(PipelineSpec spec, long seed) {
    PipelineSpec.Model m = spec.model();
    FeatureSpec features = Trainer.featureSpec(m, List.of());
    CellType cell = CellType.valueOf(m.type().name());
    SplittableRandom random = new SplittableRandom(seed);
    List<LayerWeights> layers = new ArrayList<>();
    int in = features.recurrentInputs();
    int h = m.hiddenSize();
    int gates = cell.gates() * h;
    for (int l = 0; l < m.layers(); l++) {
      layers.add(new LayerWeights(in, h, gaussian(random, in * gates, 1 / Math.sqrt(in)),
          gaussian(random, h * gates, 1 / Math.sqrt(h)), gaussian(random, gates, 0.1)));
      in = h;
    }
    int horizon = features.horizon();
    int headInputs = features.headInputs();
    float[] headW = gaussian(random, (h + headInputs) * horizon, 0.01);
    int lastLag = features.seasonalLags().size() - 1;
    for (int k = 0; k < horizon; k++) {
      // head input (lastLag · horizon + k) is the seasonal naive value for h = k + 1 in target space, relative to the
      // naive forecast when the features have persistence inputs (then naive + that input is the seasonal naive)
      headW[(h + lastLag * horizon + k) * horizon + k] = 1;
      if (features.persistenceInputs()) {
        headW[(h + features.naiveHeadInput()) * horizon + k] = 1;
      }
    }
    RecurrentNetwork net = new RecurrentNetwork(cell, features.recurrentInputs(), headInputs, horizon, layers, headW,
        new float[horizon]);
    Map<String, String> hyperparameters = new LinkedHashMap<>();
    hyperparameters.put("model.type", m.type().name());
    hyperparameters.put("model.layers", String.valueOf(m.layers()));
    hyperparameters.put("model.hiddenSize", String.valueOf(h));
    hyperparameters.put("model.horizon", String.valueOf(horizon));
    hyperparameters.put("model.seasonalLags", m.seasonalLags().toString());
    hyperparameters.put("weights", "random (streamcast bench)");
    Provenance provenance = new Provenance("streamcast bench: random weights", BenchSpec.START, BenchSpec.START, 0, 0,
        hyperparameters, seed, Map.of(), Map.of(), Instant.now());
    ModelArtifact built = new ModelArtifact(net, features, Map.of(),
        new KeyScaling(new Scaler(100, 40), List.of()), provenance);
    return ModelArtifact.fromBytes(built.toBytes());
  }

  /** The artifact served as a pipeline serves one. */
  public static RecurrentForecaster serving(PipelineSpec spec, long seed) {
    return RecurrentForecaster.serving(artifact(spec, seed));
  }

  /** One line describing the served model, for reports. */
  public static String describe(RecurrentForecaster model) {
    RecurrentNetwork net = model.artifact().network();
    return model.name().toUpperCase(java.util.Locale.ROOT) + " " + net.hiddenSizes().length + " x "
        + net.hiddenSizes()[0] + ", " + net.recurrentInputs() + " recurrent inputs + " + net.headInputs()
        + " head inputs, horizon " + net.horizon() + ", warm-up " + model.warmup()
        + " steps; random weights (seeded) written and read through the model artifact format";
  }

  private static float[] gaussian(SplittableRandom r, int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      double u1 = r.nextDouble();
      double u2 = r.nextDouble();
      a[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) * sd);
    }
    return a;
  }
}
