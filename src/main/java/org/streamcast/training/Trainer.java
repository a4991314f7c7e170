package org.streamcast.training;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.model.CellType;
import org.streamcast.model.FeatureEncoder;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.KeyScaling;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.OutputSources;
import org.streamcast.model.Provenance;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Scaler;

/**
 * Trains one global model on all keys' series with DL4J and exports it for serving.
 *
 * <ul>
 *   <li>Scalers per key from its series (the caller passes only training data), plus a pooled global scaling.
 *   <li>Windows of {@code context} steps (capped by the data), a quarter window apart. With {@code training.tbptt}
 *       {@code auto}: full back-propagation through time up to {@value #FULL_BPTT_MAX} steps; longer LSTM/RNN
 *       windows use truncated BPTT in segments of {@value #TBPTT_LENGTH}; the GRU trains on windows of at most
 *       {@value #GRU_MAX_WINDOW} steps with full BPTT. With a length {@code n > 0} every cell trains full windows in
 *       segments of {@code n} (DL4J's truncated BPTT for LSTM/RNN, {@link GruSegments} for the GRU); with 0, full
 *       BPTT over full windows.
 *   <li>The output head is split in two. Its linear part is fitted first, in closed form ({@link LinearHead}): per
 *       horizon the baseline that fits the training steps best ({@link HeadStart}: naive, seasonal naive, or
 *       seasonal naive plus the current change over the lag) plus a ridge regression of that baseline's error on the
 *       head inputs of the horizon. The recurrent part then learns only the residual of the linear part, from the
 *       hidden state (the DL4J network has no head inputs; its output weights start at 0), in units of the linear
 *       part's error per horizon. No weight that makes the start is trained, so training cannot destroy it: the
 *       earlier design trained the start's own head weights, and Adam's first steps (every weight moves by about
 *       the learning rate) swung the forecast away from the baseline and raised the loss in the first epoch.
 *   <li>Adam, gradient clipping (L2 norm per layer, or per value), optional dropout and L2; windows shuffled per
 *       epoch by the seed.
 *   <li>Early stopping on the validation slice at the end of each key's series: an epoch improves when it lowers
 *       the validation loss by at least {@link #MIN_IMPROVEMENT} (relative) below the best so far, starting from the
 *       linear part alone (epoch 0); after {@code patience} epochs without improvement training stops, and the best
 *       epoch's weights are kept. Without validation windows the recurrent part is not trained.
 *   <li>Per horizon, a recurrent correction whose validation error does not fall significantly below the linear
 *       part's (a one-sided Diebold–Mariano test at 5%, {@link ForecastComparison}) is dropped.
 *   <li>Per key and horizon, the learned output serves only where it beats the baseline on that key's own validation
 *       slice, by the same test ({@link KeyProtection}); elsewhere, and for every key without validation evidence,
 *       the baseline serves. The choice is recorded in the artifact ({@link OutputSources}).
 * </ul>
 * The same seed and data give identical weights.
 */
public final class Trainer {

  /** Longest window trained with full BPTT (LSTM and RNN). */
  public static final int FULL_BPTT_MAX = 128;
  /** Truncated BPTT segment length for longer LSTM/RNN windows. */
  public static final int TBPTT_LENGTH = 64;
  /** Longest GRU training window. */
  public static final int GRU_MAX_WINDOW = 128;

  /** Training windows start every {@code window / WINDOWS_PER_SPAN} steps (overlapping windows). */
  public static final int WINDOWS_PER_SPAN = 4;

  /** Fewest validation windows under a budget (when a quarter of an epoch's windows is fewer). */
  static final int MIN_BUDGET_VALIDATION = 256;

  /** Relative drop of the validation loss that counts as an improvement for early stopping. */
  public static final double MIN_IMPROVEMENT = 1e-4;

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * Trains a model.
   *
   * @param model       the spec's model section
   * @param training    the spec's training section
   * @param series      training data, one entry per key (regular steps)
   * @param extraFields names of the extra value fields carried by {@code series} (in order; may be empty)
   * @param dataSource  provenance: where the data came from
   * @param progress    receives per-epoch progress
   * @throws SpecException if no key is long enough for one training window
   */
  public TrainedModel train(PipelineSpec.Model model, PipelineSpec.Training training, List<KeySeries> series,
      List<String> extraFields, String dataSource, ProgressListener progress) {
    return train(model, training, series, extraFields, dataSource, progress, null);
  }

  /**
   * Trains a model within {@code budget} (the retrainer's): at most {@code maxWindows} training windows per epoch, a
   * sample seeded by the training seed, validation on at most a quarter of that, and at most {@code maxDuration}: the
   * epoch under way ends early enough for its validation and the keys' protection (two validation passes, timed on
   * the start's) to end by the budget, and training stops with the best epoch so far. {@code null}: no budget.
   */
  public TrainedModel train(PipelineSpec.Model model, PipelineSpec.Training training, List<KeySeries> series,
      List<String> extraFields, String dataSource, ProgressListener progress, PipelineSpec.Budget budget) {
    long began = System.nanoTime();
    FeatureSpec features = featureSpec(model, extraFields);
    FeatureEncoder encoder = new FeatureEncoder(features);
    CellType cell = CellType.valueOf(model.type().name());
    Architecture arch = new Architecture(cell, features.recurrentInputs(), features.headInputs(), model.hiddenSize(),
        model.layers(), model.horizon());

    KeyScaling global;
    // Covariates are scaled pooled for every key (as served: a key's state keeps only its target scale), so the
    // network sees one covariate level as the same input in every key.
    Map<String, KeyScaling> scalers = new LinkedHashMap<>();
    try {
      global = KeyScalers.pooled(encoder, series);
      for (KeySeries s : series) {
        scalers.put(s.key(), new KeyScaling(fit(encoder, s, 0, s.length()).target(), global.extras()));
      }
    } catch (IllegalArgumentException e) {
      // values near the largest double: their mean or spread overflows, and nothing can be learned on that scale
      throw new SpecException("training data: values up to " + largest(series) + " are too large to scale (their "
          + "spread overflows a double); keep them within ±1e15, as input.maxAbsValue does in the stream");
    }
    List<TrainingData.Encoded> data = new ArrayList<>();
    for (KeySeries s : series) {
      data.add(TrainingData.encode(s, encoder, scalers.get(s.key()), training.validation()));
    }
    HeadStart start = HeadStart.choose(features, data);
    LinearHead linear = LinearHead.fit(features, data, start);
    List<TrainingData.Encoded> residuals = linear.residuals(data, features.recurrentInputs());
    // The recurrent part learns what the linear head leaves, from the hidden state only: no weight that makes the
    // start is trained, so training cannot destroy it (see LinearHead).
    Architecture core = new Architecture(cell, features.recurrentInputs(), 0, model.hiddenSize(), model.layers(),
        model.horizon());

    int longest = 0;
    for (TrainingData.Encoded e : data) {
      longest = Math.max(longest, e.trainEnd() - model.horizon());
    }
    // Training windows start once the longest lag is in the history (as served forecasts do: a key forecasts after
    // its warm-up), unless that leaves no room for a full context window.
    int warm = features.historyLength() - 1;
    int first = longest - warm >= Math.min(model.context(), longest) ? warm : 0;
    int steps = Math.min(model.context(), longest - first);
    boolean auto = training.tbptt() == PipelineSpec.Training.TBPTT_AUTO;
    if (cell == CellType.GRU && auto) {
      steps = Math.min(steps, GRU_MAX_WINDOW);
    }
    if (steps < 2) {
      throw new SpecException("training data: the longest key has " + (longest + model.horizon())
          + " training steps; need at least horizon + 2 = " + (model.horizon() + 2));
    }
    int tbptt = auto ? (cell != CellType.GRU && steps > FULL_BPTT_MAX ? TBPTT_LENGTH : 0)
        : training.tbptt() < steps ? training.tbptt() : 0;
    // The GRU trains a window in segments itself (GruSegments); DL4J's truncated BPTT carries no GRU state.
    boolean gruSegments = cell == CellType.GRU && tbptt > 0;
    List<String> skipped = TrainingData.tooShort(data, steps, model.horizon(), first);
    if (!skipped.isEmpty()) {
      LOG.warn("{} key(s) too short for a {}-step training window, used for validation only: {}", skipped.size(),
          steps, skipped.size() > 5 ? skipped.subList(0, 5) + " ..." : skipped);
    }
    List<TrainingData.Window> trainWindows =
        TrainingData.trainWindows(data, steps, Math.max(1, steps / WINDOWS_PER_SPAN), model.horizon(), first);
    List<TrainingData.Window> valWindows = training.validation() > 0
        ? TrainingData.validationWindows(data, steps, model.horizon()) : List.of();
    int windowsAvailable = trainWindows.size();
    if (budget != null && trainWindows.size() > budget.maxWindows()) {
      trainWindows = TrainingData.sample(trainWindows, budget.maxWindows(), training.seed());
    }
    // validation runs after every epoch: under a budget a quarter of an epoch's windows at most (keys left without
    // validation evidence serve their baseline, see KeyProtection)
    int maxValidation = budget == null ? Integer.MAX_VALUE : Math.max(MIN_BUDGET_VALIDATION, budget.maxWindows() / 4);
    if (valWindows.size() > maxValidation) {
      valWindows = TrainingData.sample(valWindows, maxValidation, training.seed() + 1);
    }
    long deadline = budget == null ? Long.MAX_VALUE : began + budget.maxDuration().toNanos();

    TrainingOptions options = TrainingOptions.of(training);
    ComputationGraph net = gruSegments ? NetworkFactory.build(core, options, tbptt, 0, true)
        : NetworkFactory.build(core, options, steps, tbptt);
    OutputColumns.zero(net, core, null);
    int epochs = valWindows.isEmpty() ? 0 : training.epochs();
    progress.started(epochs, trainWindows.size(), valWindows.size(), series.size(), windowsAvailable,
        budget == null ? null : budget.maxDuration());
    LOG.info("training {} on {} windows of {} steps (tbptt {}), {} validation windows; baseline {}; the recurrent part "
        + "learns the residual of a linear head around it", cell, trainWindows.size(), steps, tbptt,
        valWindows.size(), start.describe());
    if (valWindows.isEmpty()) {
      LOG.info("no validation windows: the recurrent part is not trained (nothing could show it helps); every key "
          + "serves its baseline");
    }

    int batchSize = Math.max(1, training.batchSize());
    double[] scale = linear.scale();
    // the untrained network's outputs are exactly 0: the start's losses come from the labels, without a pass through
    // the network (under a retraining's budget that pass took minutes that no epoch could then use)
    double startTrain = WindowLoss.of(null, residuals, trainWindows, steps, core, batchSize, scale, false).scaled();
    WindowLoss startValLoss = valWindows.isEmpty() ? WindowLoss.none(startTrain, arch.horizon())
        : WindowLoss.of(null, residuals, valWindows, steps, core, batchSize, scale, true);
    if (deadline != Long.MAX_VALUE && !valWindows.isEmpty()) {
      // the last epoch's validation and the keys' protection each take about one validation pass through the
      // network: batches stop early enough for both to end within the budget (one batch timed, scaled to the pass)
      List<TrainingData.Window> probe = valWindows.subList(0, Math.min(batchSize, valWindows.size()));
      long timing = System.nanoTime();
      WindowLoss.of(net, residuals, probe, steps, core, batchSize, scale, false);
      long pass = (System.nanoTime() - timing) * ((valWindows.size() + probe.size() - 1) / probe.size());
      deadline -= 2 * pass;
    }
    double startVal = startValLoss.scaled();
    EpochStats startStats = new EpochStats(0, epochs, startTrain,
        valWindows.isEmpty() ? Double.NaN : startVal, true, Duration.ofNanos(System.nanoTime() - began));
    LOG.info("start (the linear head): train {} validation {}", String.format(Locale.ROOT, "%.4f", startTrain),
        String.format(Locale.ROOT, "%.4f", startStats.validationLoss()));
    double bestValMse = startValLoss.target();
    Random shuffle = new Random(training.seed());
    List<EpochStats> history = new ArrayList<>();
    double best = Double.isNaN(startVal) ? Double.POSITIVE_INFINITY : startVal;
    INDArray bestParams = net.params().dup();
    int bestEpoch = 0;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    boolean outOfTime = false;
    for (int epoch = 1; epoch <= epochs && !outOfTime; epoch++) {
      List<TrainingData.Window> order = new ArrayList<>(trainWindows);
      Collections.shuffle(order, shuffle);
      double lossSum = 0;
      int batches = 0;
      for (int from = 0; from < order.size(); from += batchSize) {
        if (System.nanoTime() > deadline) {
          outOfTime = true; // this epoch ends here: validated, kept if best
          break;
        }
        List<TrainingData.Window> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
        if (chunk.size() == 1) {
          // ND4J 1.0.0-M2.1's strided_slice_bp fails on a mini-batch of one in the SameDiff GRU ("NDArray::assign:
          // lengths of arrays are mismatched"); the window twice gives the same mean loss and gradient.
          chunk = List.of(chunk.get(0), chunk.get(0));
        }
        if (gruSegments) {
          lossSum += GruSegments.fit(net, core, TrainingData.batch(residuals, chunk, steps, core, scale));
        } else {
          net.fit(TrainingData.batch(residuals, chunk, steps, core, scale));
          lossSum += net.score() / (tbptt > 0 ? Math.min(tbptt, steps) : steps);
        }
        batches++;
      }
      if (batches == 0 && outOfTime) { // the budget was spent before this epoch began: nothing to validate
        stoppedEarly = true;
        LOG.info("training time budget of {} spent before epoch {}: keeping epoch {}", budget.maxDuration(), epoch,
            bestEpoch);
        break;
      }
      double trainLoss = batches == 0 ? Double.NaN : lossSum / batches;
      WindowLoss val = WindowLoss.of(net, residuals, valWindows, steps, core, batchSize, scale, false);
      double valLoss = val.scaled();
      boolean improved = valLoss < best * (1 - MIN_IMPROVEMENT);
      if (improved) {
        best = valLoss;
        bestValMse = val.target();
        bestParams = net.params().dup();
        bestEpoch = epoch;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      EpochStats stats = new EpochStats(epoch, epochs, trainLoss, valLoss, improved,
          Duration.ofNanos(System.nanoTime() - began));
      history.add(stats);
      progress.epochFinished(stats);
      if (training.patience() > 0 && sinceBest >= training.patience() && epoch < epochs) {
        stoppedEarly = true;
        break;
      }
      outOfTime |= System.nanoTime() > deadline;
      if (outOfTime && epoch < epochs) {
        stoppedEarly = true;
        LOG.info("training time budget of {} spent after epoch {}: keeping epoch {}", budget.maxDuration(), epoch,
            bestEpoch);
      }
    }
    net.setParams(bestParams);
    List<Integer> atStart = List.of();
    if (bestEpoch > 0) {
      atStart = OutputColumns.linearUnlessBeaten(net, core, startValLoss,
          WindowLoss.of(net, residuals, valWindows, steps, core, batchSize, scale, true));
      if (!atStart.isEmpty()) {
        WindowLoss kept = WindowLoss.of(net, residuals, valWindows, steps, core, batchSize, scale, false);
        bestValMse = kept.target();
        LOG.info("horizons {} keep the linear head alone (the recurrent correction did not beat it significantly on "
            + "validation); validation mse {}", atStart, String.format(Locale.ROOT, "%.4f", bestValMse));
      }
    }
    progress.finished(history.size(), bestEpoch, stoppedEarly);
    KeyProtection.Choice choice = valWindows.isEmpty() ? KeyProtection.baselineOnly(data, arch.horizon())
        : KeyProtection.choose(net, core, start, data, residuals, valWindows, steps, batchSize, scale,
            features.recurrentInputs());
    LOG.info("keys served the learned output (it beats their baseline on their own validation slice), per horizon: {}",
        choice.summary());

    Map<String, Double> metrics = new LinkedHashMap<>();
    EpochStats kept = TrainedModel.kept(startStats, history, bestEpoch);
    metrics.put("train_loss", kept.trainLoss());
    if (!valWindows.isEmpty()) {
      metrics.put("validation_loss", kept.validationLoss());
      metrics.put("start_validation_loss", startStats.validationLoss());
      metrics.put("validation_mse", bestValMse);
    }
    metrics.put("best_epoch", (double) bestEpoch);
    metrics.put("horizons_at_start", (double) (bestEpoch == 0 ? arch.horizon() : atStart.size()));
    metrics.put("epochs_run", (double) history.size());
    KeyBaselineFit.Fitted own = KeyBaselineFit.fitAll(series, data, choice.keys(), choice.errors(),
        (i, now, future) -> encoder.label(now, future, scalers.get(series.get(i).key()).target()),
        features.seasonalLags(), model.historyCapacity());
    own.putMetrics(metrics);
    Provenance provenance = provenance(dataSource, series, model, training, steps, tbptt, metrics);
    OutputSources sources = new OutputSources(start.choice(), start.inputs(), choice.pooled(), own.learned(),
        own.own());
    ModelArtifact artifact = new ModelArtifact(servingNetwork(net, core, arch, linear), features, scalers, global,
        provenance, sources);
    return new TrainedModel(artifact, net, arch, steps, startStats, history, bestEpoch, start);
  }

  /**
   * The serving network: the recurrent part's layers, and a head whose hidden-state weights are the trained ones
   * (in target space) and whose head-input weights and biases are the linear head's.
   */
  private static RecurrentNetwork servingNetwork(ComputationGraph net, Architecture core, Architecture arch,
      LinearHead linear) {
    RecurrentNetwork trained = ParamExport.toServing(net, core, linear.scale());
    int hz = arch.horizon();
    int top = arch.hidden();
    float[] w = new float[(top + arch.headInputs()) * hz];
    System.arraycopy(trained.headWeights(), 0, w, 0, top * hz);
    System.arraycopy(linear.weights(), 0, w, top * hz, arch.headInputs() * hz);
    float[] b = trained.headBiases();
    for (int k = 0; k < hz; k++) {
      b[k] += (float) linear.intercept()[k];
    }
    return new RecurrentNetwork(arch.cell(), arch.recurrentInputs(), arch.headInputs(), hz, trained.layers(), w, b);
  }

  /** The features a spec's model section asks for. */
  public static FeatureSpec featureSpec(PipelineSpec.Model model, List<String> extraFields) {
    List<FeatureSpec.Calendar> calendar = new ArrayList<>();
    for (PipelineSpec.CalendarFeature c : model.calendar()) {
      calendar.add(FeatureSpec.Calendar.valueOf(c.name()));
    }
    return new FeatureSpec(FeatureSpec.Target.valueOf(model.target().name()), extraFields, calendar,
        model.seasonalLags(), model.imputedFlag(), model.horizon(), true);
  }

  private static double largest(List<KeySeries> series) {
    double largest = 0;
    for (KeySeries s : series) {
      for (double v : s.values()) {
        largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
      }
    }
    return largest;
  }

  private static KeyScaling fit(FeatureEncoder enc, KeySeries s, int from, int to) {
    double[] ts = enc.targetSpaceSeries(s.values(), from, to);
    List<Scaler> extras = new ArrayList<>();
    for (double[] e : s.extras()) {
      extras.add(Scaler.fit(e, from, to, true));
    }
    return new KeyScaling(Scaler.fit(ts, 0, ts.length, enc.centeredTarget()), extras);
  }

  private static Provenance provenance(String source, List<KeySeries> series, PipelineSpec.Model model,
      PipelineSpec.Training training, int steps, int tbptt, Map<String, Double> metrics) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    long points = 0;
    long step = Long.MAX_VALUE;
    for (KeySeries s : series) {
      if (s.length() > 0) {
        from = Math.min(from, s.epochSeconds()[0]);
        to = Math.max(to, s.epochSeconds()[s.length() - 1]);
      }
      for (int i = 1; i < s.length(); i++) {
        step = Math.min(step, s.epochSeconds()[i] - s.epochSeconds()[i - 1]);
      }
      points += s.length();
    }
    Map<String, String> hp = new HashMap<>();
    if (step > 0 && step != Long.MAX_VALUE) {
      // the series are regular (gaps filled), so this is the step the model learned its lags and calendar at
      hp.put(Provenance.WINDOW_STEP, java.time.Duration.ofSeconds(step).toString());
    }
    hp.put("model.type", model.type().name());
    hp.put("model.layers", String.valueOf(model.layers()));
    hp.put("model.hiddenSize", String.valueOf(model.hiddenSize()));
    hp.put("model.context", String.valueOf(model.context()));
    hp.put("model.horizon", String.valueOf(model.horizon()));
    hp.put("model.target", model.target().name());
    hp.put("model.calendar", model.calendar().toString());
    hp.put("model.seasonalLags", model.seasonalLags().toString());
    hp.put("model.imputedFlag", String.valueOf(model.imputedFlag()));
    hp.put("training.epochs", String.valueOf(training.epochs()));
    hp.put("training.patience", String.valueOf(training.patience()));
    hp.put("training.learningRate", String.valueOf(training.learningRate()));
    hp.put("training.gradientClip", String.valueOf(training.gradientClip()));
    hp.put("training.gradientClipMode", training.gradientClipMode().name().toLowerCase(Locale.ROOT));
    hp.put("training.tbptt", training.tbptt() == PipelineSpec.Training.TBPTT_AUTO ? "auto"
        : String.valueOf(training.tbptt()));
    hp.put("training.dropout", String.valueOf(training.dropout()));
    hp.put("training.l2", String.valueOf(training.l2()));
    hp.put("training.batchSize", String.valueOf(training.batchSize()));
    hp.put("training.validation", String.valueOf(training.validation()));
    hp.put("training.windowLength", String.valueOf(steps));
    hp.put("training.tbpttLength", String.valueOf(tbptt));
    return new Provenance(source, Instant.ofEpochSecond(from == Long.MAX_VALUE ? 0 : from),
        Instant.ofEpochSecond(to == Long.MIN_VALUE ? 0 : to), series.size(), points, hp, training.seed(), metrics,
        LibraryVersions.all(), Instant.now());
  }
}
