package org.streamcast.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Observation;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.topology.PipelineTopology;

/**
 * Whether a model's forecasts depend on the keys' hidden state. A proof that a stream keeps, restores or re-warms
 * every key's hidden state (crash, failover, hot swap, streamed = backtested) proves nothing with a model whose
 * forecasts ignore that state, as a trained model does whose outputs all went back to their baseline (weights 0 from
 * the hidden state). The proofs assert with {@link #assertHiddenStateMatters} that zeroing a key's hidden state
 * changes its next forecast by far more than their tolerance.
 */
public final class HiddenStateProbe {

  private HiddenStateProbe() {}

  /**
   * For every key of {@code rows}: steps the key's rows but its last through two identical key states, zeroes the
   * hidden state of one, steps the last row through both and asserts that the forecasts differ by more than
   * {@code 1000 * tolerance} at some horizon, so that a lost hidden state would show in a comparison at
   * {@code tolerance}.
   *
   * @return per key, the largest change of its forecast
   */
  public static Map<String, Double> assertHiddenStateMatters(PipelineSpec spec, Forecaster model,
      List<Observation> rows, double tolerance) {
    Map<String, List<Observation>> byKey = new LinkedHashMap<>();
    for (Observation o : rows) {
      byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    Map<String, Double> changes = new LinkedHashMap<>();
    for (var e : byKey.entrySet()) {
      List<Observation> series = e.getValue();
      KeyStepper stepper = new KeyStepper(spec.model().gaps(), spec.window().step().toMillis());
      KeyState kept = new KeyState(PipelineTopology.historyCapacity(spec));
      KeyState zeroed = new KeyState(PipelineTopology.historyCapacity(spec));
      double[] f = new double[model.horizon()];
      for (int t = 0; t < series.size() - 1; t++) {
        Observation o = series.get(t);
        stepper.observe(model, e.getKey(), kept, o.time().toEpochMilli(), o.value(), f);
        stepper.observe(model, e.getKey(), zeroed, o.time().toEpochMilli(), o.value(), f);
      }
      assertTrue(zeroed.hidden().length == model.stateSize(), e.getKey() + ": no hidden state to zero");
      Arrays.fill(zeroed.hidden(), 0f);
      // live protection may have switched this key to its baseline (which ignores the hidden state): the last step
      // serves the model's own choice, as right after a swap
      kept.protection(new org.streamcast.model.LiveProtection());
      zeroed.protection(new org.streamcast.model.LiveProtection());
      Observation last = series.get(series.size() - 1);
      double[] withState = new double[model.horizon()];
      double[] withoutState = new double[model.horizon()];
      int a = stepper.observe(model, e.getKey(), kept, last.time().toEpochMilli(), last.value(), withState);
      int b = stepper.observe(model, e.getKey(), zeroed, last.time().toEpochMilli(), last.value(), withoutState);
      assertTrue((a & b & KeyStepper.FORECAST) != 0, e.getKey() + ": no forecast at " + last.time());
      double change = 0;
      for (int k = 0; k < withState.length; k++) {
        change = Math.max(change, Math.abs(withState[k] - withoutState[k]));
      }
      assertTrue(change > 1000 * tolerance, e.getKey() + ": zeroing the hidden state changed the next forecast by "
          + change + " only (tolerance " + tolerance + "): the model ignores its hidden state");
      changes.put(e.getKey(), change);
    }
    System.out.printf("zeroing a key's hidden state changes its next forecast by %.3g to %.3g (%d keys)%n",
        changes.values().stream().mapToDouble(Double::doubleValue).min().orElse(0),
        changes.values().stream().mapToDouble(Double::doubleValue).max().orElse(0), changes.size());
    return changes;
  }

  /**
   * The artifact with weights from the top layer's hidden state to every output whose weights from it are all 0 (the
   * outputs training put back to their baseline) set to small random values ({@code ±0.3/√hidden}, by the seed), so
   * that those outputs depend on the hidden state, and every output served learned for every key (no key falls back
   * to its baseline, which ignores the hidden state); everything else as it was.
   */
  public static ModelArtifact withHiddenWeights(ModelArtifact artifact, long seed) {
    RecurrentNetwork net = artifact.network();
    int[] sizes = net.hiddenSizes();
    int top = sizes[sizes.length - 1];
    int horizon = net.horizon();
    float[] w = net.headWeights();
    Random r = new Random(seed);
    for (int k = 0; k < horizon; k++) {
      boolean zero = true;
      for (int i = 0; i < top; i++) {
        zero &= w[i * horizon + k] == 0f;
      }
      for (int i = 0; zero && i < top; i++) {
        w[i * horizon + k] = (float) ((r.nextBoolean() ? 0.3 : -0.3) / Math.sqrt(top));
      }
    }
    RecurrentNetwork patched = new RecurrentNetwork(net.type(), net.recurrentInputs(), net.headInputs(), horizon,
        net.layers(), w, net.headBiases());
    return new ModelArtifact(patched, artifact.features(), artifact.keyScalers(), artifact.globalScaling(),
        artifact.provenance());
  }
}
