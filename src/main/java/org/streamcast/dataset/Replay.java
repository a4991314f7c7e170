package org.streamcast.dataset;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Timestamped;

/**
 * A series file replayed as events: all keys merged in event-time order, each event with the wall-clock time at which
 * it is due. The order is stable: events with the same time go by key, then by their order in the file. The sending
 * itself (to Kafka, with a {@link Pacer}) is the caller's.
 */
public final class Replay<T extends Timestamped> implements Iterable<Replay.Event<T>> {
  private final List<T> ordered;
  private final Pacing pacing;

  private Replay(List<T> ordered, Pacing pacing) {
    this.ordered = ordered;
    this.pacing = pacing;
  }

  /** A replay of events (rows of a series file: {@link Observation}s, or {@link Measurement}s of a wide one). */
  public static <T extends Timestamped> Replay<T> of(Collection<T> events, Pacing pacing) {
    return new Replay<>(inEventTimeOrder(events), Objects.requireNonNull(pacing, "pacing"));
  }

  /** A replay of everything a reader (or any iterator) has left; it has to be read to the end to be ordered. */
  public static <T extends Timestamped> Replay<T> of(Iterator<T> events, Pacing pacing) {
    List<T> all = new ArrayList<>();
    events.forEachRemaining(all::add);
    return of(all, pacing);
  }

  /** Events in event-time order, ties by key, then by their order in {@code events} (a stable sort). */
  public static <T extends Timestamped> List<T> inEventTimeOrder(Collection<T> events) {
    List<T> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Timestamped::time).thenComparing(Timestamped::key));
    return List.copyOf(sorted);
  }

  /** The events in replay order. */
  public List<T> observations() {
    return ordered;
  }

  public int size() {
    return ordered.size();
  }

  public Pacing pacing() {
    return pacing;
  }

  /** Counts, keys and time range of the replay. */
  public Summary summary() {
    Set<String> keys = new HashSet<>();
    ordered.forEach(o -> keys.add(o.key()));
    return new Summary(ordered.size(), keys.size(), ordered.isEmpty() ? null : ordered.get(0).time(),
        ordered.isEmpty() ? null : ordered.get(ordered.size() - 1).time());
  }

  /** When the last event is due, from the start: the planned wall-clock length of the replay. */
  public Duration plannedDuration() {
    return ordered.isEmpty() ? Duration.ZERO : offset(ordered.size() - 1);
  }

  /**
   * This replay's schedule held by {@code pacer}: {@code awaitDue(i)} waits until event {@code i} is due (what a
   * sender such as {@code kafka.EventProducer} calls before each event).
   */
  public Schedule schedule(Pacer pacer) {
    return index -> pacer.awaitDue(offset(index));
  }

  /** Waits until an event of a replay is due. */
  @FunctionalInterface
  public interface Schedule {
    /**
     * Waits until event {@code index} (from 0) is due.
     *
     * @return nanoseconds waited
     * @throws InterruptedException when interrupted while waiting
     */
    long awaitDue(int index) throws InterruptedException;
  }

  private Duration offset(int index) {
    return pacing.offset(index, Duration.between(ordered.get(0).time(), ordered.get(index).time()));
  }

  @Override
  public Iterator<Event<T>> iterator() {
    return new Iterator<>() {
      private int index;
      private Duration previous = Duration.ZERO;

      @Override
      public boolean hasNext() {
        return index < ordered.size();
      }

      @Override
      public Event<T> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Duration offset = offset(index);
        Event<T> e = new Event<>(index, offset, offset.minus(previous), ordered.get(index));
        previous = offset;
        index++;
        return e;
      }
    };
  }

  /**
   * One event of a replay.
   *
   * @param index       position in the replay, from 0
   * @param offset      when it is due, from the start of the replay
   * @param delay       how long after the event before it (zero for the first)
   * @param observation the event
   * @param <T>         what the replay holds
   */
  public record Event<T>(int index, Duration offset, Duration delay, T observation) {}

  /**
   * What a replay holds.
   *
   * @param records observations
   * @param keys    distinct keys
   * @param first   earliest event time ({@code null} when empty)
   * @param last    latest event time ({@code null} when empty)
   */
  public record Summary(int records, int keys, Instant first, Instant last) {}

  /**
   * How fast events are due.
   *
   * @param mode   as fast as possible, event-time gaps divided by {@code factor}, or {@code factor} events a second
   * @param factor the speedup or the rate; 0 for {@link Mode#AS_FAST_AS_POSSIBLE}
   */
  public record Pacing(Mode mode, double factor) {
    /** Pacing modes. */
    public enum Mode { AS_FAST_AS_POSSIBLE, SPEEDUP, RATE }

    public Pacing {
      Objects.requireNonNull(mode, "mode");
      if (mode != Mode.AS_FAST_AS_POSSIBLE && !(factor > 0 && Double.isFinite(factor))) {
        throw new IllegalArgumentException(mode + " needs a positive finite factor, not " + factor);
      }
    }

    /** Every event is due at once: send as fast as the broker takes them. */
    public static Pacing asFastAsPossible() {
      return new Pacing(Mode.AS_FAST_AS_POSSIBLE, 0);
    }

    /** Event-time gaps divided by {@code speedup}: 1800 replays an hour of events in two seconds. */
    public static Pacing speedup(double speedup) {
      return new Pacing(Mode.SPEEDUP, speedup);
    }

    /** {@code perSecond} events a second, whatever their event times. */
    public static Pacing rate(double perSecond) {
      return new Pacing(Mode.RATE, perSecond);
    }

    /**
     * When event {@code index} is due, from the start, given its event time minus the first event's.
     */
    public Duration offset(int index, Duration sinceFirst) {
      return switch (mode) {
        case AS_FAST_AS_POSSIBLE -> Duration.ZERO;
        case SPEEDUP -> Duration.ofNanos(Math.round((sinceFirst.getSeconds() * 1e9 + sinceFirst.getNano()) / factor));
        case RATE -> Duration.ofNanos(Math.round(index * 1e9 / factor));
      };
    }

    /** For humans: {@code as fast as possible}, {@code 1800x event time}, {@code 500 events/s}. */
    public String describe() {
      String f = factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor);
      return switch (mode) {
        case AS_FAST_AS_POSSIBLE -> "as fast as possible";
        case SPEEDUP -> f + "x event time";
        case RATE -> f + " events/s";
      };
    }
  }
}
