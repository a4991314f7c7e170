package org.streamcast.training.backtest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.streamcast.config.PipelineSpec;

/**
 * What a method factory in the {@link MethodRegistry} may use to build a {@link ForecastMethod} for one backtest.
 *
 * @param cadence       the data's grid
 * @param seasonalLags  model seasonal lags in steps, ascending (from the spec, or {@link SeasonDefaults})
 * @param scoringSeason the MASE season (the method must not tune on it; it is here for reports)
 * @param spec          the pipeline spec when one was given ({@code --topology}); its model and training sections
 *                      then configure a learned method
 * @param bands         the prediction intervals a served model issues (levels and tracking rate)
 */
public record MethodContext(Cadence cadence, List<Integer> seasonalLags, int scoringSeason, Optional<PipelineSpec> spec,
    Bands bands) {

  /** A context with the spec's interval levels (else the defaults) at the default rate. */
  public MethodContext(Cadence cadence, List<Integer> seasonalLags, int scoringSeason, Optional<PipelineSpec> spec) {
    this(cadence, seasonalLags, scoringSeason, spec, spec.map(s -> new Bands(s.intervals(), Bands.DEFAULT.rate()))
        .orElse(Bands.DEFAULT));
  }

  public MethodContext {
    Objects.requireNonNull(cadence, "cadence");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(bands, "bands");
    seasonalLags = List.copyOf(seasonalLags);
    for (int lag : seasonalLags) {
      if (lag < 1) {
        throw new IllegalArgumentException("seasonal lags must be positive: " + seasonalLags);
      }
    }
  }

  /** The defaults for a cadence without a spec: {@link SeasonDefaults} lags and scoring season. */
  public static MethodContext defaults(Cadence cadence) {
    return new MethodContext(cadence, SeasonDefaults.seasonalLags(cadence), SeasonDefaults.scoringSeason(cadence),
        Optional.empty());
  }

  /** Seasons of data a seasonal lag needs in the longest training part to be kept by {@link #defaults(Cadence, int)}. */
  public static final int MIN_SEASONS = 3;

  /**
   * The defaults for a cadence without a spec, keeping only the seasonal lags that the longest training part
   * ({@code longestTrain} steps) holds at least {@link #MIN_SEASONS} times: a lag longer than the data gives neither
   * the model nor the seasonal naive baseline anything to learn from (a hundred minutely readings against a one-week
   * lag of 10,080 steps), and a model cannot even warm up on it. The scoring season falls back to 1 the same way: a
   * MASE scaled by a season longer than the training part is undefined.
   */
  public static MethodContext defaults(Cadence cadence, int longestTrain) {
    List<Integer> lags = SeasonDefaults.seasonalLags(cadence).stream()
        .filter(m -> (long) m * MIN_SEASONS <= longestTrain).toList();
    int season = SeasonDefaults.scoringSeason(cadence);
    return new MethodContext(cadence, lags, (long) season * MIN_SEASONS <= longestTrain ? season : 1,
        Optional.empty());
  }

  /**
   * The context a pipeline spec defines: its window step as the grid, its model's seasonal lags, and the scoring
   * season the step implies.
   */
  public static MethodContext fromSpec(PipelineSpec spec) {
    Cadence cadence = new Cadence.Fixed(spec.window().step());
    return new MethodContext(cadence, spec.model().seasonalLags().stream().sorted().toList(),
        SeasonDefaults.scoringSeason(cadence), Optional.of(spec));
  }

  /**
   * The season of the seasonal naive baseline: the longest model seasonal lag (for half-hourly data one week, 336,
   * the strongest single predictor of half-hourly load, see docs/protocol.md), else the scoring season; 0 when neither exceeds 1 (then the
   * seasonal naive would equal the naive forecast).
   */
  public int seasonalNaiveSeason() {
    if (!seasonalLags.isEmpty()) {
      return seasonalLags.get(seasonalLags.size() - 1);
    }
    return scoringSeason > 1 ? scoringSeason : 0;
  }
}
