package org.streamcast.dataset;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds a replay to its schedule: {@link #awaitDue} waits until an event's offset from the start has passed on the
 * clock. Events already due go at once, so a slow consumer catches up rather than drifting.
 */
public final class Pacer {
  /** Waits for a number of nanoseconds. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private long start;
  private boolean started;

  /**
   * @param nanoClock a monotonic clock in nanoseconds
   * @param sleeper   how to wait
   */
  public Pacer(LongSupplier nanoClock, Sleeper sleeper) {
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  /** On the system's monotonic clock, sleeping the thread. */
  public static Pacer system() {
    return new Pacer(System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  /** Starts the schedule now; {@link #awaitDue} starts it at its first call otherwise. */
  public void start() {
    start = nanoClock.getAsLong();
    started = true;
  }

  /**
   * Waits until the event is due.
   *
   * @return nanoseconds waited (0 when it was already due)
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  public long awaitDue(Replay.Event<?> event) throws InterruptedException {
    return awaitDue(event.offset());
  }

  /**
   * Waits until {@code offset} from the start has passed.
   *
   * @return nanoseconds waited (0 when it was already due)
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  public long awaitDue(Duration offset) throws InterruptedException {
    if (!started) {
      start();
    }
    long wait = start + offset.toNanos() - nanoClock.getAsLong();
    if (wait <= 0) {
      return 0;
    }
    sleeper.sleep(wait);
    return wait;
  }
}
