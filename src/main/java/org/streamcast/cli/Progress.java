package org.streamcast.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;

/**
 * Progress of long work: a progress bar when a person watches a terminal, otherwise a log line at most every
 * {@link #LOG_EVERY} (and one at the end), so CI logs and files stay readable.
 */
abstract class Progress implements AutoCloseable {
  /** How often the plain-log variant reports. */
  static final Duration LOG_EVERY = Duration.ofSeconds(10);

  /**
   * Starts showing progress.
   *
   * @param task     what is being done, e.g. {@code produce electricity.events}
   * @param unit     what is counted, e.g. {@code rec}
   * @param total    how many there will be
   * @param terminal whether to draw a bar (on {@code err}) rather than log
   * @param err      where the bar goes
   * @param log      where the log lines go
   */
  static Progress start(String task, String unit, long total, boolean terminal, PrintStream err, Logger log) {
    return terminal ? new Bar(task, unit, total, err) : new LogLines(task, unit, total, log, System::nanoTime);
  }

  /** Reports that {@code done} of the total are done. */
  abstract void stepTo(long done);

  @Override
  public abstract void close();

  private static final class Bar extends Progress {
    private final ProgressBar bar;

    Bar(String task, String unit, long total, PrintStream err) {
      bar = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(total)
          .setUnit(" " + unit, 1)
          .showSpeed()
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setConsumer(new ConsoleProgressBarConsumer(err))
          .build();
    }

    @Override
    void stepTo(long done) {
      bar.stepTo(done);
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** Periodic log lines; the clock is a parameter so the interval logic is testable. */
  static final class LogLines extends Progress {
    private final String task;
    private final String unit;
    private final long total;
    private final Logger log;
    private final LongSupplier clock;
    private final long start;
    private long lastLog;
    private long done;

    LogLines(String task, String unit, long total, Logger log, LongSupplier clock) {
      this.task = task;
      this.unit = unit;
      this.total = total;
      this.log = log;
      this.clock = clock;
      this.start = clock.getAsLong();
      this.lastLog = start;
    }

    @Override
    void stepTo(long done) {
      this.done = done;
      long now = clock.getAsLong();
      if (now - lastLog >= LOG_EVERY.toNanos()) {
        lastLog = now;
        report(now);
      }
    }

    private void report(long now) {
      double seconds = (now - start) / 1e9;
      long percent = total > 0 ? done * 100 / total : 100;
      log.info("{}: {}/{} {} ({}%), {} {}/s", task, done, total, unit, percent,
          seconds > 0 ? Math.round(done / seconds) : 0, unit);
    }

    @Override
    public void close() {
      report(clock.getAsLong());
    }
  }
}
