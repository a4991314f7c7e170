package org.streamcast.retrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
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
import org.streamcast.training.backtest.Backtest;
import org.streamcast.training.backtest.BacktestListener;
import org.streamcast.training.backtest.BacktestPlan;
import org.streamcast.training.backtest.BacktestResult;
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

  /** Trains a challenger on {@code history} and judges it against {@code champion} and the baseline. */
  public Judgement judge(SeriesHistory history, Champion champion) {
    long began = System.nanoTime();
    Duration step = spec.window().step();
    int horizon = spec.model().horizon();
    int season = spec.model().seasonalLags().stream().mapToInt(Integer::intValue).min().orElse(1);
    BacktestPlan plan = new BacktestPlan(TRAIN_SHARE, IntStream.rangeClosed(1, horizon).boxed().toList(), season);
    Map<String, Series> usable = new LinkedHashMap<>();
    int longest = 0;
    for (String key : history.steps().keySet()) {
      double[] grid = history.grid(key, step);
      longest = Math.max(longest, grid.length);
      int train = plan.trainLength(grid.length);
      if (grid.length - train >= horizon && train >= horizon + 2) {
        usable.put(key, new Series(key, history.steps().get(key).get(0).start(), new Cadence.Fixed(step), grid));
      }
    }
    if (usable.isEmpty()) {
      int needed = horizon + 2;
      while (needed - plan.trainLength(needed) < horizon || plan.trainLength(needed) < horizon + 2) {
        needed++;
      }
      return Judgement.nothing(Judgement.Decision.SKIPPED, String.format(Locale.ROOT,
          "not enough history in %s: %d key(s), the longest %d steps; judging needs a key with at least %d steps "
              + "(a holdout of %.0f%% holding the horizon of %d)", history.source(), history.steps().size(), longest,
          needed, 100 * (1 - TRAIN_SHARE), horizon), elapsed(began));
    }

    long stepMs = step.toMillis();
    int capacity = spec.model().historyCapacity();
    AtomicReference<TrainedModel> trained = new AtomicReference<>();
    List<ForecastMethod> methods = new ArrayList<>();
    methods.add(new ForecasterMethod(CANDIDATE, (parts, h) -> {
      TrainedModel t = new Trainer().train(spec.model(), spec.training(), RecurrentMethods.keySeries(parts), List.of(),
          history.source(), training);
      trained.set(t);
      return RecurrentForecaster.serving(t.artifact());
    }, spec.model().gaps(), stepMs, capacity));
    Forecaster baseline = SeasonalNaiveForecaster.baseline(spec.model().seasonalLags(), spec.model().horizon());
    methods.add(new ForecasterMethod(BASELINE, (parts, h) -> baseline, spec.model().gaps(), stepMs, capacity));
    champion.model().ifPresent(m ->
        methods.add(new ForecasterMethod(CHAMPION, (parts, h) -> m, spec.model().gaps(), stepMs, capacity)));
    BacktestResult result = Backtest.run(usable, plan, methods, scoring);

    double[] challenger = mase(result, CANDIDATE, horizon);
    double[] base = mase(result, BASELINE, horizon);
    double[] incumbent = champion.model().isPresent() ? mase(result, CHAMPION, horizon) : new double[0];
    double margin = spec.training().promoteMargin();
    String baselineName = baseline.name() + " v" + baseline.version();
    TrainedModel t = trained.get();
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
    Judgement.Decision decision = verdict.decision();
    String reason = verdict.reason();
    String holdout = holdout(usable, plan, step);
    String championField = champion.name() == null ? "none (baseline " + baselineName + " scored)"
        : champion.unservable() != null ? champion.name() + " (unservable: " + champion.unservable() + ")"
        : champion.name();
    ModelArtifact judged = new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(),
        a.provenance().withEvaluation(Judgement.provenance(decision, reason, championField, margin, holdout,
            challenger, incumbent, base)), a.sources());
    EpochStats kept = t.kept();
    return new Judgement(decision, reason, Optional.of(judged), challenger, incumbent, base, kept.trainLoss(),
        kept.validationLoss(), elapsed(began));
  }

  private static double[] mase(BacktestResult result, String method, int horizon) {
    double[] out = new double[horizon];
    for (int h = 1; h <= horizon; h++) {
      out[h - 1] = result.summary(method, h).mase();
    }
    return out;
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
