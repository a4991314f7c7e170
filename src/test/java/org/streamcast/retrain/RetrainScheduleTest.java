package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.streamcast.testing.Await;

class RetrainScheduleTest {

  @Test
  void shouldKeepRunningWhenARunThrowsAnErrorOrAnException() {
    AtomicInteger runs = new AtomicInteger();
    List<Judgement> judged = new CopyOnWriteArrayList<>();
    RetrainSchedule s = RetrainSchedule.start("p", () -> {
      int n = runs.incrementAndGet();
      if (n == 1) {
        throw new OutOfMemoryError("simulated: training ran out of heap");
      }
      if (n == 2) {
        throw new IllegalStateException("simulated: Kafka went away");
      }
      if (n == 3) {
        Thread.currentThread().interrupt(); // a stray interrupt is not a stop
        throw new IllegalStateException("simulated: interrupted read");
      }
      return Judgement.nothing(Judgement.Decision.SKIPPED, "run " + n, Duration.ZERO);
    }, Duration.ZERO, Duration.ofMillis(10), judged::add);
    try {
      Await.await(() -> judged.size() >= 2, Duration.ofSeconds(30), "two runs after the failures");
    } finally {
      s.close();
    }
    assertEquals("run 4", judged.get(0).reason());
    assertEquals("run 5", judged.get(1).reason());
  }
}
