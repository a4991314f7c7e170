package org.streamcast.topology;

import java.time.Duration;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.PipelineSpec.Aggregation;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

/** Specs built directly for topology tests. */
final class TestSpecs {
  private TestSpecs() {}

  static PipelineSpec spec(String keyField, Duration step, Aggregation aggregation, Duration grace) {
    return spec(keyField, step, aggregation, grace, List.of(), 3, new Gaps(GapPolicy.IMPUTE, 3));
  }

  /** {@code spec} with the input limits {@code maxKeyBytes}, {@code maxRecordBytes}, {@code maxAbsValue}. */
  static PipelineSpec withLimits(PipelineSpec spec, int maxKeyBytes, int maxRecordBytes, double maxAbsValue) {
    PipelineSpec.Input i = spec.input();
    return new PipelineSpec(spec.name(), new PipelineSpec.Input(i.topic(), i.keyField(), i.timeField(), i.timeFormat(),
        i.valueFields(), i.target(), maxKeyBytes, maxRecordBytes, maxAbsValue), spec.window(), spec.model(),
        spec.training(), spec.output(), spec.intervals(), spec.watch());
  }

  static PipelineSpec spec(String keyField, Duration step, Aggregation aggregation, Duration grace,
      List<Integer> lags, int horizon, Gaps gaps) {
    return new PipelineSpec(
        "test",
        new PipelineSpec.Input("test.events", keyField, "ts", PipelineSpec.TimeFormat.AUTO, List.of("value"), "value"),
        new PipelineSpec.Window(step, aggregation, grace),
        new PipelineSpec.Model(PipelineSpec.ModelType.GRU, 1, 8, 16, horizon, PipelineSpec.TargetTransform.LEVEL,
            List.of(), lags, false, gaps),
        new PipelineSpec.Training(Duration.ofDays(30), null, 5, 2, 0.01, 1.0, 0, 0, 32, 0.1, 42, 0.02),
        new PipelineSpec.Output("test.forecasts", "test.series", "test.dlq"),
        List.of(0.8, 0.95),
        List.of());
  }
}
