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
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.topology.PipelineTopology;
import org.streamcast.training.EpochStats;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;
import org.streamcast.training.backtest.Backtest;
import org.streamcast.training.backtest.BacktestListener;
import org.streamcast.training.backtest.BacktestPlan;
import org.streamcast.training.backtest.BacktestResult;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.ForecasterMethod;
import org.streamcast.training.backtest.RecurrentMethods;
import org.streamcast.training.backtest.Series;

/**
 * Champion against challenger, with the protocol of the backtest (ANCHORS.md): every key's history is split at
 * {@value #TRAIN_SHARE} of its length; the challenger is trained on the first part only (its early stopping uses the
 * end of that part); then challenger and champion step their hidden states through the whole history without
 * refitting and are scored on the holdout (the most recent part, which the challenger never trained on) by MASE for
 * every horizon 1..H, averaged over keys without weights. MASE's season is the spec's shortest seasonal lag (1
 * without lags).
 *
 * <p>The challenger is promoted when its MASE averaged over the horizons is at least the spec's
 * {@code promoteMargin} lower than the champion's, {@code mean(challenger) <= (1 - margin) * mean(champion)}, or when
 * no trained model is in service (the baseline is then scored for the record, not as a bar). Keys whose holdout is
 * shorter than the horizon are left out of training and scoring; with none left the run is skipped.
 */
public final class Retrainer {
  /** Share of each key's history the challenger trains on; the rest is the holdout. */
  public static final double TRAIN_SHARE = BacktestPlan.DEFAULT_SPLIT;
  static final String CANDIDATE = "challenger";
  static final String CHAMPION = "champion";

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
    int capacity = KeyState.historyCapacity(spec.model());
    AtomicReference<TrainedModel> trained = new AtomicReference<>();
    List<org.streamcast.training.backtest.ForecastMethod> methods = new ArrayList<>();
    methods.add(new ForecasterMethod(CANDIDATE, (parts, h) -> {
      TrainedModel t = new Trainer().train(spec.model(), spec.training(), RecurrentMethods.keySeries(parts), List.of(),
          history.source(), training);
      trained.set(t);
      return RecurrentForecaster.serving(t.artifact());
    }, spec.model().gaps(), stepMs, capacity));
    Forecaster bar = champion.orElse(PipelineTopology.baseline(spec));
    methods.add(new ForecasterMethod(CHAMPION, (parts, h) -> bar, spec.model().gaps(), stepMs, capacity));
    BacktestResult result = Backtest.run(usable, plan, methods, scoring);

    double[] challenger = mase(result, CANDIDATE, horizon);
    double[] incumbent = mase(result, CHAMPION, horizon);
    double margin = spec.training().promoteMargin();
    double mc = Judgement.mean(challenger);
    double mi = Judgement.mean(incumbent);
    String barName = bar.name() + " v" + bar.version();
    Judgement.Decision decision;
    String reason;
    if (champion.isEmpty()) {
      decision = Judgement.Decision.PROMOTED;
      reason = String.format(Locale.ROOT, "no trained model in service: challenger MASE %.4f (baseline %s %.4f)",
          mc, barName, mi);
    } else if (Double.isFinite(mc) && (!Double.isFinite(mi) || mc <= (1 - margin) * mi)) {
      decision = Judgement.Decision.PROMOTED;
      reason = String.format(Locale.ROOT, "challenger MASE %.4f beats champion %s %.4f by %.1f%% (margin %.1f%%)",
          mc, barName, mi, 100 * (1 - mc / mi), 100 * margin);
    } else {
      decision = Judgement.Decision.REJECTED;
      reason = String.format(Locale.ROOT, "challenger MASE %.4f does not beat champion %s %.4f by the margin of "
          + "%.1f%% (needs <= %.4f)", mc, barName, mi, 100 * margin, (1 - margin) * mi);
    }
    TrainedModel t = trained.get();
    ModelArtifact a = t.artifact();
    String holdout = holdout(usable, plan, step);
    ModelArtifact judged = new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(),
        a.provenance().withEvaluation(Judgement.provenance(decision, reason, champion.isPresent() ? barName
            : "none (baseline " + barName + " scored for reference)", margin, holdout, challenger, incumbent)),
        a.sources());
    EpochStats kept = t.kept();
    return new Judgement(decision, reason, Optional.of(judged), challenger, incumbent, kept.trainLoss(),
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
