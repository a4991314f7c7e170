package org.streamcast.training;

import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.resample.KeySteps;
import org.streamcast.resample.Resampler;
import org.streamcast.resample.StepGrid;

/**
 * Turns {@code key,timestamp,value...} rows into the training steps per key that the pipeline's windowing gives: the
 * one resampler ({@link Resampler}) on the spec's epoch-aligned step, each field with the spec's aggregation, gap
 * steps per the spec's gap policy ({@code skip}: none). A gap step repeats the previous value and is flagged imputed
 * ({@link KeySeries#withGaps}): serving imputes with the model's own forecast, which training does not have yet (see
 * README, "Gaps in training"); a covariate without a value holds its last one, as the serving step holds it.
 */
public final class SeriesSteps {

  private SeriesSteps() {}

  /** Target-only rows ({@code key,timestamp,value}) of {@code pipeline}'s target. */
  public static List<KeySeries> of(String source, List<Observation> rows, PipelineSpec pipeline) {
    List<Measurement> wide = new ArrayList<>(rows.size());
    for (Observation o : rows) {
      wide.add(new Measurement(o.key(), o.time(), new double[] {o.value()}));
    }
    return of(source, wide, pipeline.window(), List.of(pipeline.input().target()), pipeline.model().gaps().policy());
  }

  /** Wide rows ({@link Measurement#values()}: the target, then {@code pipeline}'s covariates). */
  public static List<KeySeries> ofRows(String source, List<Measurement> rows, PipelineSpec pipeline) {
    return of(source, rows, pipeline.window(), pipeline.input().fieldOrder(), pipeline.model().gaps().policy());
  }

  /**
   * @param source name of the data for messages
   * @param rows   rows, in any order
   * @param window the spec's window: step and aggregations
   * @param fields the value fields of a row, target first
   * @param gaps   the spec's gap policy
   */
  public static List<KeySeries> of(String source, List<Measurement> rows, PipelineSpec.Window window,
      List<String> fields, GapPolicy gaps) {
    // the one resampler orders each key's rows by time (stably: rows of one time keep their file order), as the
    // backtest and produce read the same file
    Resampler resampler = new Resampler(new StepGrid.Fixed(window.step().toMillis()),
        Resampler.aggregations(window, fields), gaps);
    List<KeySeries> out = new ArrayList<>();
    try {
      for (KeySteps k : resampler.resample(rows)) {
        long[] seconds = new long[k.length()];
        for (int i = 0; i < seconds.length; i++) {
          seconds[i] = Math.floorDiv(k.starts()[i], 1000L);
        }
        out.add(KeySeries.withGaps(k.key(), seconds, k.values(), k.covariates()));
      }
    } catch (SpecException e) {
      throw new SpecException(source + ": " + e.getMessage());
    }
    return out;
  }
}
