package org.streamcast.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests: poll a condition until it holds or a deadline passes, then fail with a message saying what was
 * awaited. Use this instead of sleeping and hoping.
 *
 * <pre>{@code
 * Await.await(() -> Files.exists(marker), Duration.ofSeconds(10), "the marker file");
 * long n = Await.until(store::count, c -> c >= 100, Duration.ofSeconds(30), "100 entries in the store");
 * }</pre>
 */
public final class Await {

  /** Pause between two evaluations of the condition. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private Await() {}

  /**
   * Polls {@code condition} until it is true.
   *
   * @throws AssertionError after {@code timeout}, naming {@code description}
   */
  public static void await(BooleanSupplier condition, Duration timeout, String description) {
    until(condition::getAsBoolean, Boolean::booleanValue, timeout, description);
  }

  /**
   * Polls {@code supplier} until its value satisfies {@code done}, and returns that value.
   *
   * @throws AssertionError after {@code timeout}, naming {@code description} and the last value seen
   */
  public static <T> T until(Supplier<T> supplier, Predicate<? super T> done, Duration timeout, String description) {
    Objects.requireNonNull(description, "description");
    long deadline = System.nanoTime() + timeout.toNanos();
    T last;
    while (true) {
      last = supplier.get();
      if (done.test(last)) {
        return last;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description
            + (last instanceof Boolean ? "" : " (last value: " + last + ")"));
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted while waiting for " + description);
      }
      LockSupport.parkNanos(Math.min(left, POLL_INTERVAL.toNanos()));
    }
  }
}
