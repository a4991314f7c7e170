package org.streamcast.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.registry.ModelFollower;

/**
 * Keeps a {@link ModelFollower} running: catches up and follows with the first one, and when its thread dies (an
 * {@link Error}: it survives exceptions on its own) starts a new one where the dead one stopped, past the record it
 * died on, after a backoff that doubles from {@link #FIRST_BACKOFF} to {@link #MAX_BACKOFF} while followers keep
 * dying, and starts again from the first after one has lived {@link #MAX_BACKOFF}. {@link #isFollowing} is false from
 * the death to the restart (the process is not ready then).
 */
final class FollowerSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerSupervisor.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private static final Duration CHECK = Duration.ofMillis(200);

  private final Supplier<ModelFollower> followers;
  private final ModelFollower.Listener listener;
  private final ScheduledExecutorService watch;
  private volatile ModelFollower current;
  private volatile int restarts;
  private long startedNanos;
  private long diedNanos = -1;
  private Duration backoff = FIRST_BACKOFF;

  FollowerSupervisor(Supplier<ModelFollower> followers, ModelFollower.Listener listener) {
    this.followers = followers;
    this.listener = listener;
    this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "streamcast-model-follower-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /** Catches up (offering each pipeline its model before it starts) and starts following. */
  void start(Duration timeout) {
    current = followers.get();
    current.catchUp(timeout, listener);
    current.follow(listener);
    startedNanos = System.nanoTime();
    watch.scheduleWithFixedDelay(this::check, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      ModelFollower f = current;
      if (!f.hasDied()) {
        return;
      }
      long now = System.nanoTime();
      if (diedNanos < 0) {
        diedNanos = now;
        if (now - startedNanos > MAX_BACKOFF.toNanos()) {
          backoff = FIRST_BACKOFF;
        }
        LOG.warn("the model follower died; restarting it in {} s", backoff.toSeconds());
      }
      if (now - diedNanos < backoff.toNanos()) {
        return;
      }
      ModelFollower next = followers.get();
      next.resume(f.positions(), listener);
      f.close();
      current = next;
      restarts++;
      startedNanos = now;
      diedNanos = -1;
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      LOG.info("the model follower was restarted at {} (restart {})", f.positions(), restarts);
    } catch (RuntimeException e) {
      LOG.error("restarting the model follower failed: {}; trying again", e.toString());
    }
  }

  /** Whether a follower thread runs now. */
  boolean isFollowing() {
    ModelFollower f = current;
    return f != null && f.isFollowing();
  }

  /** How many times a dead follower was replaced. */
  int restarts() {
    return restarts;
  }

  @Override
  public void close() {
    watch.shutdownNow();
    try {
      watch.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ModelFollower f = current;
    if (f != null) {
      f.close();
    }
  }
}
