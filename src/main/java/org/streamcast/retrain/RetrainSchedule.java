package org.streamcast.retrain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RetrainJob} again and again on one background thread: the first run after {@code firstDelay}, then
 * each {@code every} after the previous one finished (runs never overlap). A failed run is logged and counted; the
 * next one tries again.
 */
public final class RetrainSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainSchedule.class);

  private final ScheduledExecutorService executor;

  private RetrainSchedule(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts running {@code job} on a schedule. */
  public static RetrainSchedule start(RetrainJob job, Duration firstDelay, Duration every) {
    return start(job, firstDelay, every, j -> { });
  }

  /** Starts running {@code job} on a schedule, handing each judgement to {@code onJudgement}. */
  public static RetrainSchedule start(RetrainJob job, Duration firstDelay, Duration every,
      Consumer<Judgement> onJudgement) {
    return start(job.spec().name(), job::run, firstDelay, every, onJudgement);
  }

  /** Runs {@code run} (the runs of pipeline {@code name}) on a schedule. */
  static RetrainSchedule start(String name, Supplier<Judgement> run, Duration firstDelay, Duration every,
      Consumer<Judgement> onJudgement) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "streamcast-retrainer-" + name);
      t.setDaemon(true);
      return t;
    });
    ex.scheduleWithFixedDelay(() -> runOnce(name, run, onJudgement, every, ex), firstDelay.toMillis(),
        every.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("retrain {}: every {} (first run in {})", name, every, firstDelay);
    return new RetrainSchedule(ex);
  }

  /**
   * One run. Whatever it throws stays here, an {@link Error} included (a scheduled task that throws is never run
   * again): only a real stop, the schedule being closed, ends the schedule.
   */
  private static void runOnce(String name, Supplier<Judgement> run, Consumer<Judgement> onJudgement, Duration every,
      ScheduledExecutorService ex) {
    try {
      onJudgement.accept(run.get());
    } catch (Throwable e) {
      if (ex.isShutdown()) {
        LOG.debug("retrain {}: stopped during a run ({})", name, e.toString());
        return;
      }
      Thread.interrupted(); // a stray interrupt that is not a stop must not end the next run at once
      LOG.error("retrain {}: failed ({}); next try in {}", name, e.toString(), every);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
