package org.streamcast.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An anomalous actual: one record on {@code <pipeline>.anomalies}. Most fall outside the interval forecast for them
 * ({@link #BAND}); a stuck sensor's run of identical actuals ({@link #FLATLINE}), a level shift whose errors stay on
 * one side ({@link #SHIFT}) and a reading that jumps and comes straight back ({@link #SPIKE}, flagged at the next step,
 * for the step it happened) are flagged inside it.
 *
 * @param key          series key
 * @param ts           start of the step whose actual it is
 * @param actual       the step's actual (as observed, never clipped)
 * @param forecast     the forecast made for this step, {@code h} steps before
 * @param lower        the interval's lower bound at {@code level}
 * @param upper        the interval's upper bound at {@code level}
 * @param level        the interval level checked ({@code anomalies.level})
 * @param h            how many steps ahead the forecast was made (1 unless the steps just before were imputed)
 * @param score        |actual − forecast| / half-width: above 1 for a {@link #BAND} anomaly
 * @param model        the model serving the key at this step ({@code gru}, ..., or {@code baseline})
 * @param modelVersion its version
 * @param kind         what made it an anomaly: {@link #BAND}, {@link #FLATLINE}, {@link #SHIFT} or {@link #SPIKE}
 */
public record Anomaly(String key, Instant ts, double actual, double forecast, double lower, double upper,
    double level, int h, double score, String model, long modelVersion, String kind) {
  /** The actual fell outside its band. */
  public static final String BAND = "band";
  /** A run of identical actuals that the key's history makes unlikely. */
  public static final String FLATLINE = "flatline";
  /** The key's one-step errors stayed on one side until their CUSUM passed its threshold. */
  public static final String SHIFT = "shift";
  /** The actual jumped away from the one before and came straight back at the next step. */
  public static final String SPIKE = "spike";
  /** Every kind, in the order the schema lists them. */
  public static final List<String> KINDS = List.of(BAND, FLATLINE, SHIFT, SPIKE);

  public Anomaly {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(model, "model");
  }
}
