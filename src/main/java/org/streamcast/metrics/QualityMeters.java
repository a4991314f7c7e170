package org.streamcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.streamcast.domain.Forecast;
import org.streamcast.quality.PipelineScores;

/**
 * A pipeline's live forecast quality from its {@link PipelineScores}: per scored horizon, gauges
 * {@code streamcast.forecast.mae}, {@code streamcast.forecast.rmse} and {@code streamcast.forecast.skill} (against
 * naive, 1 − MAE/MAE_naive) over the last {@value PipelineScores#WINDOW} scored forecasts, tagged
 * {@code pipeline, horizon}; per interval level, {@code streamcast.interval.coverage} tagged {@code pipeline, level};
 * per level and horizon group ({@link PipelineScores#groups}: h = 1, the near and the far half of the horizon, so at
 * most three), {@code streamcast.interval.group.coverage} tagged {@code pipeline, level, horizons}. NaN until there
 * is something to measure.
 */
public final class QualityMeters implements MeterBinder {
  private final String pipeline;
  private final PipelineScores scores;

  public QualityMeters(String pipeline, PipelineScores scores) {
    this.pipeline = pipeline;
    this.scores = scores;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (int j = 0; j < scores.horizons().count(); j++) {
      int idx = j;
      String h = Integer.toString(scores.horizons().get(j));
      Gauge.builder("streamcast.forecast.mae", scores, s -> s.mae(idx))
          .description("Rolling mean absolute error of the live forecasts, by horizon")
          .tag("pipeline", pipeline).tag("horizon", h).strongReference(true).register(registry);
      Gauge.builder("streamcast.forecast.rmse", scores, s -> s.rmse(idx))
          .description("Rolling root mean squared error of the live forecasts, by horizon")
          .tag("pipeline", pipeline).tag("horizon", h).strongReference(true).register(registry);
      Gauge.builder("streamcast.forecast.skill", scores, s -> s.skill(idx))
          .description("Rolling skill of the live forecasts against naive (1 - MAE/MAE_naive), by horizon")
          .tag("pipeline", pipeline).tag("horizon", h).strongReference(true).register(registry);
    }
    double[] levels = scores.levels();
    for (int l = 0; l < levels.length; l++) {
      int idx = l;
      Gauge.builder("streamcast.interval.coverage", scores, s -> s.coverage(idx))
          .description("Share of recent actuals inside their forecast's prediction interval, by nominal level")
          .tag("pipeline", pipeline).tag("level", Forecast.Interval.levelText(levels[l])).strongReference(true)
          .register(registry);
      for (PipelineScores.Group g : scores.groups()) {
        Gauge.builder("streamcast.interval.group.coverage", scores, s -> s.coverage(idx, g.fromJ(), g.toJ()))
            .description("Share of recent actuals inside their forecast's prediction interval, by nominal level and "
                + "horizon group")
            .tag("pipeline", pipeline).tag("level", Forecast.Interval.levelText(levels[l]))
            .tag("horizons", g.label()).strongReference(true).register(registry);
      }
    }
  }
}
