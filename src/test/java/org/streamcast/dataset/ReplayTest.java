package org.streamcast.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.dataset.Replay.Event;
import org.streamcast.dataset.Replay.Pacing;
import org.streamcast.domain.Observation;

class ReplayTest {

  private static Observation obs(String key, String time, double value) {
    return new Observation(key, Instant.parse(time), value);
  }

  private static List<Event<Observation>> events(Replay<Observation> replay) {
    List<Event<Observation>> out = new ArrayList<>();
    replay.forEach(out::add);
    return out;
  }

  @Test
  void shouldMergeKeysInEventTimeOrderWhenFileIsSortedByKey() {
    List<Observation> file = List.of(
        obs("b", "2000-01-01T00:00:00Z", 1), obs("b", "2000-01-01T00:30:00Z", 2), obs("b", "2000-01-01T01:00:00Z", 3),
        obs("a", "2000-01-01T00:15:00Z", 4), obs("a", "2000-01-01T00:30:00Z", 5));
    assertEquals(List.of(file.get(0), file.get(3), file.get(4), file.get(1), file.get(2)),
        Replay.inEventTimeOrder(file));
  }

  @Test
  void shouldBreakTiesByKeyThenFileOrderWhenTimesAreEqual() {
    List<Observation> file = List.of(
        obs("z", "2000-01-01T00:00:00Z", 1), obs("m", "2000-01-01T00:00:00Z", 2), obs("a", "2000-01-01T00:00:00Z", 3),
        obs("m", "2000-01-01T00:00:00Z", 4), obs("a", "1999-12-31T23:00:00Z", 5), obs("m", "2000-01-01T00:00:00Z", 6));
    List<Double> values = Replay.inEventTimeOrder(file).stream().map(Observation::value).toList();
    assertEquals(List.of(5.0, 3.0, 2.0, 4.0, 6.0, 1.0), values);
  }

  @Test
  void shouldInterleaveAllFourIndicesDayByDayWhenReplayingEuStockMarkets() {
    Replay<Observation> replay = Replay.of(Datasets.open("eustockmarkets"), Pacing.asFastAsPossible());
    List<Observation> firstDay = replay.observations().subList(0, 4);
    assertEquals(List.of("CAC", "DAX", "FTSE", "SMI"), firstDay.stream().map(Observation::key).toList());
    firstDay.forEach(o -> assertEquals(Instant.parse("1991-07-01T00:00:00Z"), o.time()));
    for (int i = 1; i < replay.size(); i++) {
      Observation before = replay.observations().get(i - 1);
      Observation o = replay.observations().get(i);
      int order = o.time().compareTo(before.time());
      assertEquals(true, order > 0 || (order == 0 && o.key().compareTo(before.key()) > 0), "ordered at " + i);
    }
    assertEquals(new Replay.Summary(7440, 4, Instant.parse("1991-07-01T00:00:00Z"),
        Instant.parse("1998-08-14T00:00:00Z")), replay.summary());
  }

  @Test
  void shouldDivideEventTimeGapsBySpeedupWhenPacedBySpeedup() {
    Replay<Observation> replay = Replay.of(List.of(
        obs("a", "2000-01-01T00:00:00Z", 1), obs("a", "2000-01-01T00:30:00Z", 2),
        obs("b", "2000-01-01T00:30:00Z", 3), obs("a", "2000-01-01T02:00:00Z", 4)), Pacing.speedup(1800));
    List<Event<Observation>> events = events(replay);
    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(4)),
        events.stream().map(Event::offset).toList());
    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(3)),
        events.stream().map(Event::delay).toList());
    assertEquals(List.of(0, 1, 2, 3), events.stream().map(Event::index).toList());
    assertEquals(Duration.ofSeconds(4), replay.plannedDuration());
  }

  @Test
  void shouldSpaceEventsEvenlyWhenPacedByRate() {
    Replay<Observation> replay = Replay.of(List.of(
        obs("a", "2000-01-01T00:00:00Z", 1), obs("a", "2000-01-01T05:00:00Z", 2),
        obs("b", "2000-01-01T05:00:00Z", 3), obs("a", "2000-01-02T00:00:00Z", 4)), Pacing.rate(400));
    assertEquals(List.of(Duration.ZERO, Duration.ofMillis(5).dividedBy(2), Duration.ofMillis(5),
            Duration.ofMillis(15).dividedBy(2)),
        events(replay).stream().map(Event::offset).toList(), "2.5 ms apart whatever the event times");
  }

  @Test
  void shouldMakeEveryEventDueAtOnceWhenAsFastAsPossible() {
    Replay<Observation> replay = Replay.of(Datasets.open("taylor"), Pacing.asFastAsPossible());
    assertEquals(4032, replay.size());
    events(replay).forEach(e -> assertEquals(Duration.ZERO, e.offset()));
    assertEquals(Duration.ZERO, replay.plannedDuration());
  }

  @Test
  void shouldPlanHoursOfDataIntoSecondsWhenSpeedupIsLarge() {
    Replay<Observation> replay = Replay.of(Datasets.open("taylor"), Pacing.speedup(3600));
    Duration span = Duration.between(Instant.parse("2000-06-05T00:00:00Z"), Instant.parse("2000-08-27T23:30:00Z"));
    assertEquals(span.dividedBy(3600), replay.plannedDuration());
    assertEquals(Duration.ofMillis(500), events(replay).get(1).delay());
  }

  @Test
  void shouldRejectNonPositiveFactorWhenPacingBuilt() {
    assertThrows(IllegalArgumentException.class, () -> Pacing.speedup(0));
    assertThrows(IllegalArgumentException.class, () -> Pacing.rate(-5));
    assertThrows(IllegalArgumentException.class, () -> Pacing.rate(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> Pacing.speedup(Double.NaN));
  }

  @Test
  void shouldDescribePacingWhenPrinted() {
    assertEquals("as fast as possible", Pacing.asFastAsPossible().describe());
    assertEquals("1800x event time", Pacing.speedup(1800).describe());
    assertEquals("2.5 events/s", Pacing.rate(2.5).describe());
  }

  @Test
  void shouldSummariseNothingWhenEmpty() {
    Replay<Observation> replay = Replay.of(List.<Observation>of(), Pacing.rate(10));
    assertEquals(new Replay.Summary(0, 0, null, null), replay.summary());
    assertEquals(Duration.ZERO, replay.plannedDuration());
    assertEquals(List.of(), events(replay));
  }
}
