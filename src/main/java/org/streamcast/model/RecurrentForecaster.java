package org.streamcast.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A trained recurrent model behind the {@link Forecaster} seam that the stream processor and {@link KeyStepper} drive:
 * immutable and shared by all stream threads, with per-thread scratch memory, so a step allocates nothing.
 *
 * <p>The key's target scale lives in its {@link KeyState} ({@link KeyState#scaleMean()}, {@link KeyState#scaleSpread()}).
 * {@link #prepare} sets it from the training scalers when the model knows the key. Otherwise (an unseen key, or a
 * key that was reset) the scale is unset and the cold-start rule of {@link ForecastSession} applies: the model's
 * global scaling for the first {@value ForecastSession#COLD_START_OBSERVATIONS} observed steps, then a scale fitted
 * on the latest of them (here the hidden state carries on under the new scale rather than being replayed, as the
 * seam does not know the step length).
 *
 * <p>A model with extra value fields (covariates) reads each step's row from the key's {@link KeyState#covariates()}
 * (pushed by {@link KeyStepper}), scaled with the model's pooled covariate scalers for every key (training scales
 * them so too), and a re-warm replays each step of the history with its row.
 *
 * <p>Per key and horizon the artifact says whether the learned output or its baseline serves
 * ({@link ModelArtifact#learnedHorizons}, {@link OutputSources}). The keyed steps ({@link #step(String, KeyState, long,
 * double[])}, the ones {@link KeyStepper} takes) write the baseline, computed from the head inputs of the same step,
 * at a key's masked horizons; the hidden state advances either way, so a key can switch source without a re-warm.
 * The unkeyed steps serve the pooled choice.
 */
public final class RecurrentForecaster implements Forecaster {
  /** The largest output (in scaler widths from the key's center) that is decoded as a forecast. */
  static final float MAX_SCALED = 1e6f;

  private final ModelArtifact model;
  private final long version;
  private final RecurrentNetwork net;
  private final FeatureEncoder encoder;
  private final int warmup;
  private final OutputSources sources;
  private final List<String> baselineNames;
  private final ThreadLocal<Scratch> scratch;

  /**
   * @param model   the trained model
   * @param version the version under which it serves (a key's hidden state belongs to one version)
   * @param warmup  observed steps a key needs before its forecasts are published (at least 1)
   */
  public RecurrentForecaster(ModelArtifact model, long version, int warmup) {
    this.model = Objects.requireNonNull(model, "model");
    this.version = version;
    this.net = model.network();
    this.encoder = new FeatureEncoder(model.features());
    this.warmup = Math.max(1, warmup);
    this.sources = model.sources();
    this.baselineNames = sources.hasBaseline() ? sources.baselineNames() : null;
    this.scratch = ThreadLocal.withInitial(Scratch::new);
  }

  /**
   * How a pipeline serves an artifact: as version = its creation time in epoch seconds (unique per training run and
   * increasing), with a warm-up of the history its features need (the longest seasonal lag).
   */
  public static RecurrentForecaster serving(ModelArtifact model) {
    return new RecurrentForecaster(model, model.provenance().createdAt().getEpochSecond(),
        model.features().historyLength());
  }

  /** The served artifact. */
  public ModelArtifact artifact() {
    return model;
  }

  @Override
  public String name() {
    return net.type().name().toLowerCase(Locale.ROOT);
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public int horizon() {
    return net.horizon();
  }

  @Override
  public int warmup() {
    return warmup;
  }

  @Override
  public int stateSize() {
    return net.stateSize();
  }

  /** History a key must keep for this model's seasonal lags and target transform. */
  public int historyLength() {
    return model.features().historyLength();
  }

  @Override
  public void prepare(String key, KeyState state) {
    KeyScaling known = model.keyScalers().get(key);
    if (known != null) {
      state.scale(known.target().center(), known.target().scale());
    }
  }

  /** Per horizon, the source serving {@code key} ({@value OutputSources#LEARNED} or the baseline's name). */
  @Override
  public List<String> sources(String key) {
    return sources.sources(key);
  }

  /** The artifact's baseline names, when it knows its baselines (artifacts before per-key sources do not). */
  @Override
  public List<String> baselines() {
    return baselineNames;
  }

  @Override
  public List<String> baselines(String key) {
    return baselineNames == null ? null : sources.baselineNames(key);
  }

  @Override
  public KeyBaseline ownBaseline(String key) {
    return sources.own(key);
  }

  /**
   * Advances {@code key}'s own baseline ({@link KeyBaseline}) with the value just pushed onto its history, or starts
   * it from the history once that holds enough values (a new key, or after a model swap or a reset), and writes its
   * forecasts at the horizons it serves.
   */
  @Override
  public void stepOwnBaseline(String key, KeyState state, double[] baseline) {
    KeyBaseline own = sources.own(key);
    if (own == null) {
      return;
    }
    double[] st = state.ownBaseline();
    History h = state.history();
    if (own.fits(st)) {
      own.update(st, h.get(0));
    } else if (h.size() >= own.warmup()) {
      st = own.start(h.valuesOldestFirst(), h.size());
      state.ownBaseline(st);
    } else {
      return;
    }
    double[] all = scratch.get().ownForecasts(baseline.length);
    own.forecasts(st, all);
    for (int k = 1; k <= baseline.length; k++) {
      if (own.serves(k)) {
        baseline[k - 1] = all[k - 1];
      }
    }
  }

  /** Per horizon, whether {@code key} is served the learned output ({@link ModelArtifact#learnedHorizons}). */
  @Override
  public boolean[] learnedHorizons(String key) {
    return sources.learned(key);
  }

  /** The pooled choice (keys the artifact does not list). */
  @Override
  public boolean step(KeyState state, long stepStart, double[] out) {
    return step(null, state, stepStart, out);
  }

  @Override
  public boolean step(String key, KeyState state, long stepStart, double[] out) {
    coldStart(state);
    Scratch s = scratch.get();
    KeyScaling scaling = scaling(state, s);
    advance(state.hidden(), state.history(), state.covariates(), 0, stepStart, scaling, s, out);
    serveBaseline(key, state.history(), s.input, scaling, out);
    return true;
  }

  /**
   * Steps the key and writes both sources' forecasts, whatever the key is served: the learned output into
   * {@code learned} and the baseline into {@code baseline} (equal to {@code learned} where no baseline is known). For
   * comparing the two live; the state advances exactly as in {@link #step}.
   */
  @Override
  public boolean stepBoth(KeyState state, long stepStart, double[] learned, double[] baseline) {
    coldStart(state);
    Scratch s = scratch.get();
    KeyScaling scaling = scaling(state, s);
    advance(state.hidden(), state.history(), state.covariates(), 0, stepStart, scaling, s, learned);
    System.arraycopy(learned, 0, baseline, 0, baseline.length);
    baseline(s.noneLearned, state.history(), s.input, scaling, baseline);
    return true;
  }

  /** The pooled choice (keys the artifact does not list). */
  @Override
  public void stepAll(KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    stepAll(null, states, stepStarts, outs, wrote, n);
  }

  /** The keys' networks steps taken together ({@link RecurrentNetwork#stepAll}); the same results as {@link #step}. */
  @Override
  public void stepAll(String[] keys, KeyState[] states, long[] stepStarts, double[][] outs, boolean[] wrote, int n) {
    Scratch s = stepNetworks(states, stepStarts, n);
    for (int b = 0; b < n; b++) {
      decode(states[b].history(), s.outs[b], s.scalings[b], outs[b]);
      serveBaseline(keys == null ? null : keys[b], states[b].history(), s.inputs[b], s.scalings[b], outs[b]);
      wrote[b] = true;
      s.hiddens[b] = null;
      s.scalings[b] = null;
    }
  }

  /** {@link #stepBoth} for keys {@code 0 .. n−1} (distinct), their networks stepped together as in {@link #stepAll}. */
  @Override
  public void stepAllBoth(KeyState[] states, long[] stepStarts, double[][] learned, double[][] baselines,
      boolean[] wrote, int n) {
    Scratch s = stepNetworks(states, stepStarts, n);
    for (int b = 0; b < n; b++) {
      decode(states[b].history(), s.outs[b], s.scalings[b], learned[b]);
      System.arraycopy(learned[b], 0, baselines[b], 0, baselines[b].length);
      baseline(s.noneLearned, states[b].history(), s.inputs[b], s.scalings[b], baselines[b]);
      wrote[b] = true;
      s.hiddens[b] = null;
      s.scalings[b] = null;
    }
  }

  /** The networks' step of keys {@code 0 .. n−1} together: their outputs are then in the scratch's {@code outs}. */
  private Scratch stepNetworks(KeyState[] states, long[] stepStarts, int n) {
    Scratch s = scratch.get();
    s.fit(n);
    for (int b = 0; b < n; b++) {
      KeyState state = states[b];
      coldStart(state);
      s.scalings[b] = scaling(state, s);
      s.hiddens[b] = state.hidden();
      state.covariates().row(0, s.extras);
      encoder.encode(state.history(), Math.floorDiv(stepStarts[b], 1000L), s.extras, s.scalings[b], s.inputs[b]);
    }
    net.stepAll(s.hiddens, s.inputs, s.outs, n, s.ws);
    return s;
  }

  /** The cold-start rule: a key without a scale gets one from its first observations once it has them. */
  private void coldStart(KeyState state) {
    if (Double.isNaN(state.scaleMean())
        && state.observedSteps() >= ForecastSession.COLD_START_OBSERVATIONS
        && !state.history().imputed(0)) {
      Scaler own = coldStartScale(state.history());
      state.scale(own.center(), own.scale());
    }
  }

  /** The pooled choice (keys the artifact does not list). */
  @Override
  public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
    return rewarm(null, state, lastStepStart, stepMs, out);
  }

  @Override
  public boolean rewarm(String key, KeyState state, long lastStepStart, long stepMs, double[] out) {
    History h = state.history();
    float[] hidden = new float[net.stateSize()];
    History replay = new History(h.capacity());
    double[] values = h.valuesOldestFirst();
    boolean[] imputed = h.imputedOldestFirst();
    Scratch s = scratch.get();
    KeyScaling scaling = scaling(state, s);
    for (int i = 0; i < values.length; i++) {
      replay.push(values[i], imputed[i]);
      long lag = values.length - 1L - i;
      advance(hidden, replay, state.covariates(), (int) lag, lastStepStart - lag * stepMs, scaling, s, out);
    }
    if (values.length > 0) {
      serveBaseline(key, replay, s.input, scaling, out);
    }
    state.hidden(hidden, version);
    state.ownBaseline(new double[0]); // it starts again from the history at the next step, under this model
    return values.length > 0;
  }

  /** One network step on the newest value of {@code history}, with the covariate row {@code lag} steps back. */
  private void advance(float[] hidden, History history, Covariates covariates, int lag, long stepStartMs,
      KeyScaling scaling, Scratch s, double[] out) {
    covariates.row(lag, s.extras);
    encoder.encode(history, Math.floorDiv(stepStartMs, 1000L), s.extras, scaling, s.input);
    net.step(hidden, s.input, s.out, s.ws);
    decode(history, s.out, scaling, out);
  }

  /**
   * The network's outputs (scaled target space) as forecasts of the key's values. An output more than {@link
   * #MAX_SCALED} scaler widths out is a broken network (finite but absurd weights), not a forecast: it is decoded as
   * NaN, so the key's step treats it as a non-finite output (its model part reset, the forecast withheld) instead of
   * publishing it and letting errors near the float range overflow the key's error windows.
   */
  private void decode(History history, float[] scaled, KeyScaling scaling, double[] out) {
    double y = history.get(0);
    for (int h = 0; h < scaled.length; h++) {
      out[h] = Math.abs(scaled[h]) > MAX_SCALED ? Double.NaN : encoder.forecast(y, scaled[h], scaling.target());
    }
  }

  /** Overwrites the horizons where {@code key} is served its baseline. */
  private void serveBaseline(String key, History history, float[] input, KeyScaling scaling, double[] out) {
    if (!sources.allLearned(key)) {
      baseline(sources.mask(key), history, input, scaling, out);
    }
  }

  /**
   * Writes the baseline forecast at each horizon {@code h} with {@code !learned[h]} and a known baseline: the sum of
   * its head inputs (target space; the head started with weight 1 on them), decoded like the network's output.
   */
  private void baseline(boolean[] learned, History history, float[] input, KeyScaling scaling, double[] out) {
    int nx = net.recurrentInputs();
    double y = history.get(0);
    for (int h = 0; h < out.length; h++) {
      int[] in = sources.baselineInputs().get(h);
      if (learned[h] || OutputSources.LEARNED.equals(sources.baselineNames().get(h))) {
        continue;
      }
      double v = 0;
      for (int i : in) {
        v += input[nx + i];
      }
      out[h] = encoder.forecast(y, (float) v, scaling.target());
    }
  }

  private KeyScaling scaling(KeyState state, Scratch s) {
    if (Double.isNaN(state.scaleMean())) {
      return model.globalScaling();
    }
    Scaler last = s.scaling == null ? null : s.scaling.target();
    if (last == null || last.center() != state.scaleMean() || last.scale() != state.scaleSpread()) {
      s.scaling = new KeyScaling(new Scaler(state.scaleMean(), state.scaleSpread()),
          model.globalScaling().extras());
    }
    return s.scaling;
  }

  private Scaler coldStartScale(History h) {
    int n = Math.min(h.size(), ForecastSession.COLD_START_OBSERVATIONS);
    double[] recent = new double[n];
    for (int i = 0; i < n; i++) {
      recent[i] = h.get(n - 1 - i);
    }
    double[] ts = encoder.targetSpaceSeries(recent, 0, n);
    return Scaler.fit(ts, 0, ts.length, encoder.centeredTarget());
  }

  /** Per-thread buffers. */
  private final class Scratch {
    final Workspace ws;
    final float[] input;
    final float[] out;
    final double[] extras = new double[model.features().extraFields().size()];
    final boolean[] noneLearned = new boolean[net.horizon()];
    KeyScaling scaling;
    /** For {@link #stepAll}: each key's input, output, state and scaling; grown to the largest batch seen. */
    float[][] inputs = new float[0][];
    float[][] outs = new float[0][];
    float[][] hiddens = new float[0][];
    KeyScaling[] scalings = new KeyScaling[0];
    /** For {@link #stepOwnBaseline}: the own baseline's forecasts at every horizon. */
    private double[] own = new double[0];

    Scratch() {
      ws = net.newWorkspace();
      input = new float[net.inputSize()];
      out = new float[net.horizon()];
    }

    double[] ownForecasts(int horizon) {
      if (own.length != horizon) {
        own = new double[horizon];
      }
      return own;
    }

    void fit(int n) {
      if (inputs.length < n) {
        inputs = new float[n][net.inputSize()];
        outs = new float[n][net.horizon()];
        hiddens = new float[n][];
        scalings = new KeyScaling[n];
      }
    }
  }
}
