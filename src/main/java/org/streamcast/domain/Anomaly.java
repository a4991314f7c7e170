package org.streamcast.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An actual that fell outside the interval forecast for it: one record on {@code <pipeline>.anomalies}.
 *
 * @param key          series key
 * @param ts           start of the step whose actual it is
 * @param actual       the step's actual (as observed, never clipped)
 * @param forecast     the forecast made for this step, {@code h} steps before
 * @param lower        the interval's lower bound at {@code level}
 * @param upper        the interval's upper bound at {@code level}
 * @param level        the interval level checked ({@code anomalies.level})
 * @param h            how many steps ahead the forecast was made (1 unless the steps just before were imputed)
 * @param score        |actual − forecast| / half-width: above 1 for every anomaly
 * @param model        the model serving the key at this step ({@code gru}, ..., or {@code baseline})
 * @param modelVersion its version
 */
public record Anomaly(String key, Instant ts, double actual, double forecast, double lower, double upper,
    double level, int h, double score, String model, long modelVersion) {
  public Anomaly {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(model, "model");
  }
}
