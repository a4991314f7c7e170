package org.streamcast.retrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.model.ArtifactException;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.training.EpochStats;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;
import org.streamcast.training.backtest.BacktestListener;
import org.streamcast.training.backtest.BacktestPlan;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.ForecastMethod;
import org.streamcast.training.backtest.ForecasterMethod;
import org.streamcast.training.backtest.RecurrentMethods;
import org.streamcast.training.backtest.Series;

/**
 * Champion against challenger, with the protocol of the backtest (docs/protocol.md): every key's history is split at
 * {@value #TRAIN_SHARE} of its length; the challenger is trained on the first part only (its early stopping uses the
 * end of that part); then challenger and champion step their hidden states through the whole history without
 * refitting and are scored on the holdout (the most recent part, which the challenger never trained on) by MASE for
 * every horizon 1..H, averaged over keys without weights. MASE's season is the spec's shortest seasonal lag (1
 * without lags).
 *
 * <p>The pipeline's baseline is always scored too. The challenger is promoted only when its MASE is finite at every
 * horizon, its mean over the horizons beats the baseline's, and, when a trained champion is in service and can serve
 * the pipeline, it is at least the spec's {@code promoteMargin} lower than the champion's,
 * {@code mean(challenger) <= (1 - margin) * mean(champion)}; and only when its artifact passes the verification every
 * follower applies. A published model that cannot serve the pipeline is not "none": it is recorded as unservable and
 * the challenger must still beat the baseline. Keys whose holdout is shorter than the horizon are left out of
 * training and scoring; with none left the run is skipped.
 *
 * <p>A large fleet is judged on samples ({@link PipelineSpec.Budget}): the challenger trains on a stratified seeded
 * sample of at most {@code training.maxKeys} keys (fewer when the heap would not hold their encoded windows, and half
 * as many again if training runs out of memory), and the judgement scores its own sample of
 * {@code training.judgeKeys} keys; the reason states the sample size and the confidence of the decision. Keys outside
 * the training sample get no scalers in the artifact: serving keeps the scale it has for them.
 *
 * <p>The promoted model is the one judged: it is not refit on the holdout, so what is published is exactly what beat
 * the bar. The newest data still reaches it: every key re-warms its hidden state over its stored history on the swap,
 * and the next run trains on the span that was the holdout.
 */
public final class Retrainer {
  /** Share of each key's history the challenger trains on; the rest is the holdout. */
  public static final double TRAIN_SHARE = BacktestPlan.DEFAULT_SPLIT;
  static final String CANDIDATE = "challenger";
  static final String CHAMPION = "champion";
  static final String BASELINE = "baseline";
  /** Mixed into the seed for the judgement's sample, so that it is drawn apart from the training sample. */
  private static final long JUDGE_SALT = 0x6a75646765L;
  private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

  private final PipelineSpec spec;
  private final ProgressListener training;
  private final BacktestListener scoring;

  /**
   * @param spec     the pipeline (model, training settings, window step, gap policy)
   * @param training progress of the challenger's training
   * @param scoring  progress of the scoring
   */
  public Retrainer(PipelineSpec spec, ProgressListener training, BacktestListener scoring) {
    this.spec = spec;
    this.training = training;
    this.scoring = scoring;
  }

  /**
   * Trains a challenger on {@code history} and judges it against {@code champion}.
   *
   * @param champion the trained model in service, or empty when the pipeline serves its baseline
   */
  public Judgement judge(SeriesHistory history, Optional<Forecaster> champion) {
    return judge(history, champion.map(Champion::serving).orElse(Champion.NONE));
  }

  /**
   * What the pipeline serves, as the retrainer judges against it.
   *
   * @param model      the trained model in service, when it can serve the pipeline
   * @param name       its name and version ({@code null} when no trained model is in service)
   * @param unservable why the trained model in service cannot serve the pipeline ({@code null} when it can)
   */
  public record Champion(Optional<Forecaster> model, String name, String unservable) {
    /** No trained model in service: the pipeline serves its baseline. */
    public static final Champion NONE = new Champion(Optional.empty(), null, null);

    /** A trained model in service. */
    public static Champion serving(Forecaster model) {
      return new Champion(Optional.of(model), model.name() + " v" + model.version(), null);
    }

    /** A published model that cannot serve the pipeline: not "none", it is scored as unservable. */
    public static Champion unservable(String name, String reason) {
      return new Champion(Optional.empty(), name, reason);
    }
  }

  /**
   * Trains a challenger on {@code history} and judges it against {@code champion} and the baseline: on a stratified
   * seeded sample of at most {@code training.maxKeys} usable keys (fewer when the heap would not hold their encoded
   * windows), judged on its own sample of {@code training.judgeKeys} keys.
   */
  public Judgement judge(SeriesHistory history, Champion champion) {
    long began = System.nanoTime();
    Duration step = spec.window().step();
    if (!history.step().equals(step)) {
      throw new IllegalArgumentException("history on a grid of " + history.step() + ", the pipeline steps " + step);
    }
    int horizon = spec.model().horizon();
    int season = spec.model().seasonalLags().stream().mapToInt(Integer::intValue).min().orElse(1);
    BacktestPlan plan = new BacktestPlan(TRAIN_SHARE, IntStream.rangeClosed(1, horizon).boxed().toList(), season);
    Map<String, double[]> usable = new LinkedHashMap<>();
    int longest = 0;
    for (String key : history.keys()) {
      double[] grid = history.grid(key);
      longest = Math.max(longest, grid.length);
      int train = plan.trainLength(grid.length);
      if (grid.length - train >= horizon && train >= horizon + 2) {
        usable.put(key, KeySample.stats(grid));
      }
    }
    if (usable.isEmpty()) {
      int needed = horizon + 2;
      while (needed - plan.trainLength(needed) < horizon || plan.trainLength(needed) < horizon + 2) {
        needed++;
      }
      return Judgement.nothing(Judgement.Decision.SKIPPED, String.format(Locale.ROOT,
          "not enough history in %s: %d key(s), the longest %d steps; judging needs a key with at least %d steps "
              + "(a holdout of %.0f%% holding the horizon of %d)", history.source(), history.keys().size(), longest,
          needed, 100 * (1 - TRAIN_SHARE), horizon), elapsed(began));
    }
    PipelineSpec.Budget budget = spec.training().budget();
    long seed = spec.training().seed();
    int trainable = Math.min(budget.maxKeys(), heapKeys(longest));
    List<String> trainKeys = KeySample.stratified(usable, trainable, seed);
    List<String> judgeKeys = KeySample.stratified(usable, budget.judgeKeys(), KeySample.mix(seed + JUDGE_SALT));
    LOG.info("retrain {}: training on {} of {} usable keys ({} in the topic; at most {}, stratified by scale and "
        + "volatility, seed {}), judging on {} keys", spec.name(), trainKeys.size(), usable.size(),
        history.fleetKeys(), trainable, seed, judgeKeys.size());

    long stepMs = step.toMillis();
    int capacity = spec.model().historyCapacity();
    TrainedModel t = null;
    while (t == null) {
      try {
        t = train(history, trainKeys, plan, budget);
      } catch (OutOfMemoryError e) {
        if (trainKeys.size() == 1) {
          throw e;
        }
        // the heap holds less than the estimate: a smaller sample rather than a failed run
        trainKeys = KeySample.stratified(usable, trainKeys.size() / 2, seed);
        LOG.warn("retrain {}: out of memory while training; training on a sample of {} keys", spec.name(),
            trainKeys.size());
      }
    }
    Forecaster candidate = RecurrentForecaster.serving(t.artifact());
    List<ForecastMethod> methods = new ArrayList<>();
    methods.add(new ForecasterMethod(CANDIDATE, (parts, h) -> candidate, spec.model().gaps(), stepMs, capacity));
    Forecaster baseline = SeasonalNaiveForecaster.baseline(spec.model().seasonalLags(), spec.model().horizon());
    methods.add(new ForecasterMethod(BASELINE, (parts, h) -> baseline, spec.model().gaps(), stepMs, capacity));
    champion.model().ifPresent(m ->
        methods.add(new ForecasterMethod(CHAMPION, (parts, h) -> m, spec.model().gaps(), stepMs, capacity)));
    Map<String, Series> judged = new LinkedHashMap<>();
    for (String key : judgeKeys) {
      judged.put(key, series(history, key, step));
    }
    SampleScores scores = SampleScores.run(judged, plan, methods, scoring);

    double[] challenger = scores.summary(CANDIDATE);
    double[] base = scores.summary(BASELINE);
    double[] incumbent = champion.model().isPresent() ? scores.summary(CHAMPION) : new double[0];
    double margin = spec.training().promoteMargin();
    String baselineName = baseline.name() + " v" + baseline.version();
    ModelArtifact a = t.artifact();
    Judgement.Verdict verdict = Judgement.decide(challenger, base, baselineName, champion.name(),
        champion.model().isPresent() ? incumbent : null, champion.unservable(), margin);
    if (verdict.decision() == Judgement.Decision.PROMOTED) {
      try { // the same verification every follower applies: a promoted model is one the pipelines will take
        ArtifactFormat.read(a.toBytes());
      } catch (ArtifactException e) {
        verdict = new Judgement.Verdict(Judgement.Decision.REJECTED, "challenger fails verification ("
            + e.reason().wire() + "): " + e.getMessage());
      }
    }
    boolean againstChampion = champion.model().isPresent() && Double.isFinite(Judgement.mean(incumbent));
    double sure = againstChampion ? scores.confidence(CANDIDATE, CHAMPION, 1 - margin)
        : scores.confidence(CANDIDATE, BASELINE, 1);
    Judgement.Decision decision = verdict.decision();
    double confidence = decision == Judgement.Decision.PROMOTED ? sure : 1 - sure;
    String reason = verdict.reason() + String.format(Locale.ROOT, "; judged on %d of %d keys, confidence %.1f%% "
        + "(paired over keys, against the %s)", scores.keys(), history.fleetKeys(), 100 * confidence,
        againstChampion ? "champion with the margin" : "baseline");
    String holdout = holdout(judged, plan, step);
    String championField = champion.name() == null ? "none (baseline " + baselineName + " scored)"
        : champion.unservable() != null ? champion.name() + " (unservable: " + champion.unservable() + ")"
        : champion.name();
    Map<String, String> evaluation = new LinkedHashMap<>(Judgement.provenance(decision, reason, championField,
        margin, holdout, challenger, incumbent, base));
    evaluation.put("judge.keys", Integer.toString(scores.keys()));
    evaluation.put("judge.confidence", Double.toString(confidence));
    evaluation.put("train.keys", Integer.toString(trainKeys.size()));
    evaluation.put("fleet.keys", Long.toString(history.fleetKeys()));
    ModelArtifact judgedArtifact = new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(),
        a.provenance().withEvaluation(evaluation), a.sources());
    EpochStats kept = t.kept();
    return new Judgement(decision, reason, Optional.of(judgedArtifact), challenger, incumbent, base, kept.trainLoss(),
        kept.validationLoss(), elapsed(began));
  }

  /**
   * Keys whose encoded training data (inputs, labels and the linear head's residuals: about
   * {@code 4 × (2 × (horizon + 4) + 24)} bytes a step) fit in a third of the heap: more would run out of memory.
   */
  private int heapKeys(int longest) {
    long perStep = 4L * (2L * (spec.model().horizon() + 4) + 24);
    long perKey = Math.max(1, perStep * longest);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 3 / perKey));
  }

  private TrainedModel train(SeriesHistory history, List<String> keys, BacktestPlan plan, PipelineSpec.Budget b) {
    Map<String, Series> trainParts = new LinkedHashMap<>();
    for (String key : keys) {
      Series s = series(history, key, spec.window().step());
      trainParts.put(key, s.head(plan.trainLength(s.length())));
    }
    return new Trainer().train(spec.model(), spec.training(), RecurrentMethods.keySeries(trainParts),
        covariates(history), history.source(), training, b);
  }

  /** The spec's covariates when the history carries them, else none (a history read without them). */
  private List<String> covariates(SeriesHistory history) {
    return history.covariateCount() == spec.input().covariates().size() ? spec.input().covariates() : List.of();
  }

  private Series series(SeriesHistory history, String key, Duration step) {
    List<String> names = covariates(history);
    return new Series(key, history.start(key), new Cadence.Fixed(step), history.grid(key), names,
        names.isEmpty() ? new double[0][] : history.covariates(key));
  }

  private static String holdout(Map<String, Series> usable, BacktestPlan plan, Duration step) {
    Instant from = null;
    Instant to = null;
    for (Series s : usable.values()) {
      Instant a = s.start().plus(step.multipliedBy(plan.trainLength(s.length())));
      Instant b = s.start().plus(step.multipliedBy(s.length() - 1L));
      from = from == null || a.isBefore(from) ? a : from;
      to = to == null || b.isAfter(to) ? b : to;
    }
    return from + ".." + to;
  }

  private static Duration elapsed(long began) {
    return Duration.ofNanos(System.nanoTime() - began);
  }
}
