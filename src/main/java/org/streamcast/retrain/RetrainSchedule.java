package org.streamcast.retrain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RetrainJob} again and again on one background thread: the first run after {@code firstDelay}, then
 * each {@code every} after the previous one finished (runs never overlap). A failed run is logged and counted; the
 * next one tries again. Closing the schedule interrupts a run in progress; that run ends without a word (stopping is
 * not a failure).
 */
public final class RetrainSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainSchedule.class);

  private final ScheduledExecutorService executor;
  private final AtomicBoolean closing;

  private RetrainSchedule(ScheduledExecutorService executor, AtomicBoolean closing) {
    this.executor = executor;
    this.closing = closing;
  }

  /** Starts running {@code job} on a schedule. */
  public static RetrainSchedule start(RetrainJob job, Duration firstDelay, Duration every) {
    return start(job, firstDelay, every, j -> { });
  }

  /** Starts running {@code job} on a schedule, handing each judgement to {@code onJudgement}. */
  public static RetrainSchedule start(RetrainJob job, Duration firstDelay, Duration every,
      Consumer<Judgement> onJudgement) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "streamcast-retrainer-" + job.spec().name());
      t.setDaemon(true);
      return t;
    });
    AtomicBoolean closing = new AtomicBoolean();
    ex.scheduleWithFixedDelay(() -> {
      try {
        Judgement j = job.run();
        if (!closing.get()) {
          onJudgement.accept(j);
        }
      } catch (RuntimeException e) {
        if (closing.get()) {
          LOG.debug("retrain {}: stopped during a run ({})", job.spec().name(), e.toString());
        } else {
          LOG.error("retrain {}: failed ({}); next try in {}", job.spec().name(), e.getMessage(), every);
        }
      }
    }, firstDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("retrain {}: every {} (first run in {})", job.spec().name(), every, firstDelay);
    return new RetrainSchedule(ex, closing);
  }

  @Override
  public void close() {
    closing.set(true);
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
