package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainedModelTest {

  static final EpochStats START = new EpochStats(0, 2, 1.0, 0.9, true, Duration.ZERO);
  static final EpochStats FIRST = new EpochStats(1, 2, 0.8, 0.7, true, Duration.ofSeconds(1));
  static final EpochStats SECOND = new EpochStats(2, 2, 0.7, 0.75, false, Duration.ofSeconds(2));

  static TrainedModel kept(int bestEpoch) {
    return new TrainedModel(null, null, null, 8, START, List.of(FIRST, SECOND), bestEpoch, null);
  }

  @Test
  void shouldReportTheStartWhenNoEpochBeatIt() {
    assertSame(START, kept(0).kept());
  }

  @Test
  void shouldReportTheBestEpochWhenOneBeatTheStart() {
    assertSame(FIRST, kept(1).kept());
    assertSame(SECOND, kept(2).kept());
  }
}
