package org.streamcast.retrain;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param championMase   the champion's, on the same holdout (empty array when there was no champion)
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
    double trainLoss,
    double validationLoss,
    Duration took) {

  /** The outcomes; their lower-case names are the {@code outcome} tag of {@code streamcast.training.runs}. */
  public enum Decision {
    /** The challenger beat the champion by the margin (or there was none): published. */
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
  }

  /** A run that trained nothing. */
  static Judgement nothing(Decision decision, String reason, Duration took) {
    return new Judgement(decision, reason, Optional.empty(), new double[0], new double[0], Double.NaN, Double.NaN,
        took);
  }

  /** Mean of the finite values of {@code perHorizon} (NaN when none). */
  static double mean(double[] perHorizon) {
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
      String holdout, double[] candidateMase, double[] championMase) {
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
    for (int h : List.of(1, candidateMase.length / 4, candidateMase.length / 2, candidateMase.length)) {
      if (h >= 1) {
        out.put("candidate.mase.h" + h, Double.toString(candidateMase[h - 1]));
        if (championMase.length >= h) {
          out.put("champion.mase.h" + h, Double.toString(championMase[h - 1]));
        }
      }
    }
    return out;
  }
}
