package org.streamcast.retrain;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.streamcast.model.ModelArtifact;

/**
 * What one retraining run decided.
 *
 * @param decision       promoted, rejected or skipped
 * @param reason         one line with the numbers behind the decision
 * @param candidate      the challenger, with the judgement in its provenance (empty when skipped before training)
 * @param candidateMase  the challenger's MASE per horizon (index h − 1) on the holdout, unweighted mean over keys
 * @param championMase   the champion's, on the same holdout (empty array when no trained model could be scored: none
 *                       in service, or one that cannot serve the pipeline)
 * @param baselineMase   the pipeline's baseline's, on the same holdout (the bar every challenger must beat)
 * @param trainLoss      the kept epoch's training loss (NaN when skipped)
 * @param validationLoss the kept epoch's validation loss (NaN when skipped)
 * @param took           wall time of the run
 */
public record Judgement(
    Decision decision,
    String reason,
    Optional<ModelArtifact> candidate,
    double[] candidateMase,
    double[] championMase,
    double[] baselineMase,
    double trainLoss,
    double validationLoss,
    Duration took) {

  /** The outcomes; their lower-case names are the {@code outcome} tag of {@code streamcast.training.runs}. */
  public enum Decision {
    /** The challenger beat the baseline and the champion by the margin (if one serves): published. */
    PROMOTED,
    /** The challenger did not beat the champion by the margin: the champion stays. */
    REJECTED,
    /** Not enough history to train and judge: nothing trained. */
    SKIPPED,
    /** Training or reading failed: nothing published. */
    FAILED;

    /** The tag value. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Judgement {
    candidateMase = candidateMase.clone();
    championMase = championMase.clone();
    baselineMase = baselineMase.clone();
  }

  /** The decision and its one-line reason. */
  record Verdict(Decision decision, String reason) {}

  /**
   * Judges a challenger by its scores: it is promoted only when its MASE is finite at every horizon and its mean beats
   * the baseline's mean (strictly), and, when a trained champion could be scored with finite scores, beats the
   * champion's mean by {@code margin}: {@code mean(challenger) <= (1 - margin) * mean(champion)}.
   *
   * @param champion     the champion's name and version, or {@code null} when no trained model is in service
   * @param championMase its scores, or {@code null} when there is none or it cannot serve the pipeline
   * @param unservable   why the champion cannot serve the pipeline, or {@code null}
   */
  static Verdict decide(double[] challenger, double[] baseline, String baselineName, String champion,
      double[] championMase, String unservable, double margin) {
    double mc = mean(challenger);
    double mb = mean(baseline);
    for (int h = 1; h <= challenger.length; h++) {
      if (!Double.isFinite(challenger[h - 1])) {
        return new Verdict(Decision.REJECTED, String.format(Locale.ROOT,
            "challenger MASE is %s at h=%d: a model without finite scores is never promoted", challenger[h - 1], h));
      }
    }
    if (challenger.length == 0 || !(mc < mb)) {
      return new Verdict(Decision.REJECTED, String.format(Locale.ROOT,
          "challenger MASE %.4f does not beat the baseline %s %.4f", mc, baselineName, mb));
    }
    String overBaseline = String.format(Locale.ROOT, "challenger MASE %.4f beats the baseline %s %.4f", mc,
        baselineName, mb);
    if (champion == null) {
      return new Verdict(Decision.PROMOTED, "no trained model in service; " + overBaseline);
    }
    if (unservable != null) {
      return new Verdict(Decision.PROMOTED, "the champion " + champion + " cannot serve the pipeline ("
          + unservable + "); " + overBaseline);
    }
    double mi = mean(championMase);
    if (!Double.isFinite(mi)) {
      return new Verdict(Decision.PROMOTED, "the champion " + champion + " has no finite score; " + overBaseline);
    }
    if (mc <= (1 - margin) * mi) {
      return new Verdict(Decision.PROMOTED, String.format(Locale.ROOT, "challenger MASE %.4f beats champion %s %.4f "
          + "by %.1f%% (margin %.1f%%) and the baseline %s %.4f", mc, champion, mi, 100 * (1 - mc / mi),
          100 * margin, baselineName, mb));
    }
    return new Verdict(Decision.REJECTED, String.format(Locale.ROOT, "challenger MASE %.4f does not beat champion "
        + "%s %.4f by the margin of %.1f%% (needs <= %.4f)", mc, champion, mi, 100 * margin, (1 - margin) * mi));
  }

  /** A run that trained nothing. */
  static Judgement nothing(Decision decision, String reason, Duration took) {
    return new Judgement(decision, reason, Optional.empty(), new double[0], new double[0], new double[0], Double.NaN,
        Double.NaN, took);
  }

  /** Mean of the finite values of {@code perHorizon} (NaN when none). */
  public static double mean(double[] perHorizon) {
    double sum = 0;
    int n = 0;
    for (double v : perHorizon) {
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The provenance entries recording this judgement (champion and challenger MASE at a few horizons, decision). */
  static Map<String, String> provenance(Decision decision, String reason, String champion, double margin,
      String holdout, double[] candidateMase, double[] championMase, double[] baselineMase) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("decision", decision.tag());
    out.put("reason", reason);
    out.put("champion", champion);
    out.put("margin", Double.toString(margin));
    out.put("holdout", holdout);
    out.put("candidate.mase.mean", Double.toString(mean(candidateMase)));
    if (championMase.length > 0) {
      out.put("champion.mase.mean", Double.toString(mean(championMase)));
    }
    if (baselineMase.length > 0) {
      out.put("baseline.mase.mean", Double.toString(mean(baselineMase)));
    }
    for (int h : List.of(1, candidateMase.length / 4, candidateMase.length / 2, candidateMase.length)) {
      if (h >= 1) {
        out.put("candidate.mase.h" + h, Double.toString(candidateMase[h - 1]));
        if (championMase.length >= h) {
          out.put("champion.mase.h" + h, Double.toString(championMase[h - 1]));
        }
        if (baselineMase.length >= h) {
          out.put("baseline.mase.h" + h, Double.toString(baselineMase[h - 1]));
        }
      }
    }
    return out;
  }
}
