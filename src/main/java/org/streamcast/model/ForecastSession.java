package org.streamcast.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One key's live forecaster: holds the key's hidden state, recent history and scalers, and turns each new
 * observation into forecasts for {@code h = 1..H} in the original units. One call of {@link #observe} is one step:
 * the caller feeds regular steps (fill gaps before calling and flag imputed ones). Not thread-safe (one per key);
 * the model it wraps is shared.
 *
 * <p><b>Keys never seen in training</b> are scaled with the model's global scaling (fitted on all training keys
 * pooled) for their first {@value #COLD_START_OBSERVATIONS} observations. At that observation the key gets its own
 * scalers, fitted on those observations exactly as training fits a key, and its hidden state is rebuilt by
 * replaying them; from then on the scalers are fixed.
 */
public final class ForecastSession {

  /** Observations after which an unseen key gets its own scalers. */
  public static final int COLD_START_OBSERVATIONS = 32;

  private final ModelArtifact model;
  private final RecurrentNetwork net;
  private final FeatureEncoder encoder;
  private final float[] state;
  private final History history;
  private final float[] input;
  private final float[] out;
  private final Workspace ws;
  private final int extraCount;
  private KeyScaling scaling;
  private List<Pending> coldStart;
  private long observed;
  private double lastOneStep;
  private double[] lastExtras;
  /** Per horizon, whether the key is served the learned output or its baseline ({@link OutputSources}). */
  private final boolean[] learned;

  /** A fresh session for {@code key} (its training scalers if the model knows the key). */
  public ForecastSession(ModelArtifact model, String key) {
    this.model = Objects.requireNonNull(model, "model");
    this.net = model.network();
    this.encoder = new FeatureEncoder(model.features());
    this.state = net.newState();
    this.history = new History(model.features().historyLength());
    this.input = new float[net.inputSize()];
    this.out = new float[net.horizon()];
    this.ws = net.newWorkspace();
    this.extraCount = model.features().extraFields().size();
    this.lastExtras = new double[extraCount];
    KeyScaling own = model.keyScalers().get(key);
    this.scaling = own != null ? own : model.globalScaling();
    this.coldStart = own != null ? null : new ArrayList<>();
    this.learned = model.learnedHorizons(key);
  }

  /**
   * Steps over a missing step (a gap): feeds the model its own one-step forecast from the previous step as the value,
   * flagged as imputed, with the previous step's extra values. Returns forecasts for h = 1..H.
   *
   * @throws IllegalStateException before the first observation (there is nothing to impute from)
   */
  public double[] observeMissing(Instant time) {
    if (observed == 0) {
      throw new IllegalStateException("no observation yet to impute a missing step from");
    }
    return observe(time, lastOneStep, lastExtras.clone(), true);
  }

  /** Steps with a target value only (no extra fields, observed). */
  public double[] observe(Instant time, double y) {
    return observe(time, y, new double[0], false);
  }

  /** Steps with the target, the extra value fields and the imputed flag; returns forecasts for h = 1..H. */
  public double[] observe(Instant time, double y, double[] extras, boolean imputed) {
    double[] forecasts = new double[net.horizon()];
    observeInto(time.getEpochSecond(), y, extras, imputed, forecasts);
    return forecasts;
  }

  /** Like {@link #observe(Instant, double, double[], boolean)}, writing into {@code forecasts}; allocates nothing. */
  public void observeInto(long epochSecond, double y, double[] extras, boolean imputed, double[] forecasts) {
    if (!Double.isFinite(y)) {
      throw new IllegalArgumentException("target value must be finite: " + y);
    }
    if (extras.length != extraCount) {
      throw new IllegalArgumentException("expected " + extraCount + " extra values, got " + extras.length);
    }
    System.arraycopy(extras, 0, lastExtras, 0, extraCount);
    if (coldStart != null) {
      coldStart.add(new Pending(epochSecond, y, extras.clone(), imputed));
      if (coldStart.size() == COLD_START_OBSERVATIONS) {
        adoptOwnScaling(forecasts);
        return;
      }
    }
    advance(epochSecond, y, extras, imputed, forecasts);
  }

  private void advance(long epochSecond, double y, double[] extras, boolean imputed, double[] forecasts) {
    history.push(y, imputed);
    encoder.encode(history, epochSecond, extras, scaling, input);
    net.step(state, input, out, ws);
    Scaler ts = scaling.target();
    OutputSources sources = model.sources();
    int nx = net.recurrentInputs();
    for (int h = 0; h < out.length; h++) {
      float v = out[h];
      if (!learned[h] && !OutputSources.LEARNED.equals(sources.baselineNames().get(h))) {
        double baseline = 0;
        for (int i : sources.baselineInputs().get(h)) {
          baseline += input[nx + i];
        }
        v = (float) baseline; // the key's baseline serves this horizon, as in RecurrentForecaster
      }
      forecasts[h] = encoder.forecast(y, v, ts);
    }
    lastOneStep = forecasts[0];
    observed++;
  }

  private void adoptOwnScaling(double[] forecasts) {
    List<Pending> buffered = coldStart;
    coldStart = null;
    int n = buffered.size();
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      ys[i] = buffered.get(i).y();
    }
    double[] ts = encoder.targetSpaceSeries(ys, 0, n);
    // covariates keep the pooled scalers (as trained and as RecurrentForecaster serves them)
    scaling = new KeyScaling(Scaler.fit(ts, 0, ts.length, encoder.centeredTarget()), model.globalScaling().extras());
    java.util.Arrays.fill(state, 0f);
    history.clear();
    observed = 0;
    for (Pending o : buffered) {
      advance(o.epochSecond(), o.y(), o.extras(), o.imputed(), forecasts);
    }
  }

  /** An observation held back while an unseen key waits for its own scalers. */
  private record Pending(long epochSecond, double y, double[] extras, boolean imputed) {}

  /** Observations stepped since the last state reset. */
  public long observed() {
    return observed;
  }

  /** Whether the key still uses the global scaling (unseen key, fewer than the cold-start observations). */
  public boolean coldStarting() {
    return coldStart != null;
  }

  /** The key's current scalers. */
  public KeyScaling scaling() {
    return scaling;
  }

  /** A copy of the hidden state (layout on {@link RecurrentNetwork}). */
  public float[] state() {
    return state.clone();
  }

  /** The model this session serves. */
  public ModelArtifact model() {
    return model;
  }
}
