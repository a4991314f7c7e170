package org.streamcast.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.dataset.Replay.Pacing;
import org.streamcast.domain.Observation;

class PacerTest {

  /** A clock that only moves when the pacer sleeps, or when the test says work took time. */
  private static final class FakeClock {
    long now = 1_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    Pacer pacer() {
      return new Pacer(() -> now, nanos -> {
        sleeps.add(nanos);
        now += nanos;
      });
    }
  }

  private static Replay<Observation> replay() {
    return Replay.of(List.of(
        new Observation("a", Instant.parse("2000-01-01T00:00:00Z"), 1),
        new Observation("a", Instant.parse("2000-01-01T00:00:10Z"), 2),
        new Observation("a", Instant.parse("2000-01-01T00:00:30Z"), 3),
        new Observation("a", Instant.parse("2000-01-01T00:00:40Z"), 4)), Pacing.speedup(10));
  }

  @Test
  void shouldSleepUntilEachEventIsDueWhenOnSchedule() throws InterruptedException {
    FakeClock clock = new FakeClock();
    Pacer pacer = clock.pacer();
    for (Replay.Event<Observation> e : replay()) {
      pacer.awaitDue(e);
    }
    assertEquals(List.of(1_000_000_000L, 2_000_000_000L, 1_000_000_000L), clock.sleeps);
    assertEquals(1_000_000L + Duration.ofSeconds(4).toNanos(), clock.now);
  }

  @Test
  void shouldCatchUpWithoutSleepingWhenBehindSchedule() throws InterruptedException {
    FakeClock clock = new FakeClock();
    Pacer pacer = clock.pacer();
    pacer.start();
    List<Long> waits = new ArrayList<>();
    long[] work = {3_500_000_000L, 0, 0, 0};
    for (Replay.Event<Observation> e : replay()) {
      waits.add(pacer.awaitDue(e));
      clock.now += work[e.index()];
    }
    assertEquals(List.of(0L, 0L, 0L, 500_000_000L), waits,
        "the first send took 3.5 s: the events due at 1 s and 3 s go at once, the one due at 4 s waits 0.5 s");
  }
}
