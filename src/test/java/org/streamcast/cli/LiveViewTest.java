package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.Forecast;

class LiveViewTest {
  @Test
  void shouldSayWhichHorizonsTheLearnedOutputAndWhichTheBaselineServedWhenLabellingAForecast() {
    Instant origin = Instant.parse("2000-06-05T10:00:00Z");
    List<Forecast.Point> points = new ArrayList<>();
    for (int h = 1; h <= 48; h++) {
      points.add(new Forecast.Point(h, origin, h, List.of(), h <= 6 ? "learned" : "snaive(336)"));
    }
    assertEquals("gru v17: learned 1-6, snaive(336) 7-48",
        LiveView.label(new Forecast("taylor", "electricity", origin, "gru", 17, points)));
    List<Forecast.Point> baseline = points.subList(6, 48);
    assertEquals("baseline v17: snaive(336)",
        LiveView.label(new Forecast("taylor", "electricity", origin, "baseline", 17, baseline)));
  }

  @Test
  void shouldCountAKeysAnomaliesAndNameTheLatestWhenItHadSome() {
    Anomaly spike = new Anomaly("taylor", Instant.parse("2000-06-20T10:30:00Z"), 31000, 25000, 24000, 26000, 0.99, 1,
        6, "gru", 17, Anomaly.SPIKE);
    assertEquals("3, last spike 06-20 10:30", LiveView.anomalies(3, spike));
    assertEquals("", LiveView.anomalies(0, null));
  }
}
