package org.streamcast.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Observation;
import org.streamcast.domain.GapPolicy;
import org.streamcast.domain.Gaps;

/** Bundled datasets and spec sections for training tests. */
final class TestData {

  private TestData() {}

  static List<KeySeries> dataset(String name) {
    List<Observation> rows = new ArrayList<>();
    try (InputStream in = TestData.class.getResourceAsStream("/datasets/" + name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int b = line.lastIndexOf(',');
        int a = line.lastIndexOf(',', b - 1);
        rows.add(new Observation(line.substring(0, a), Instant.parse(line.substring(a + 1, b)),
            Double.parseDouble(line.substring(b + 1))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return KeySeries.fromObservations(rows);
  }

  static PipelineSpec.Model model(PipelineSpec.ModelType type, int hidden, int context, int horizon,
      PipelineSpec.TargetTransform target, List<PipelineSpec.CalendarFeature> calendar, List<Integer> lags) {
    return new PipelineSpec.Model(type, 1, hidden, context, horizon, target, calendar, lags, false,
        new Gaps(GapPolicy.IMPUTE, 3));
  }

  static PipelineSpec.Training training(int epochs, int patience, double lr, long seed) {
    return new PipelineSpec.Training(Duration.ofDays(30), null, epochs, patience, lr, 1.0, 0, 0, 16, 0.2, seed,
        0.02);
  }
}
