package org.streamcast.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows the progress of long work: a progress bar (me.tongfei) on standard error when a terminal is attached,
 * otherwise an INFO log line at every tenth of the work. Close it when the work ends.
 */
final class ProgressReporter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final String task;
  private ProgressBar bar;
  private long nextLogAt;
  private long total;

  /**
   * @param task        what is being done, e.g. {@code backtest}
   * @param interactive whether to draw a bar (a terminal is attached) rather than log
   */
  ProgressReporter(String task, boolean interactive) {
    this.task = task;
    this.bar = interactive ? new ProgressBarBuilder().setTaskName(task).setInitialMax(-1).build() : null;
  }

  /** A reporter that draws a bar when the JVM has a console. */
  static ProgressReporter forConsole(String task) {
    return new ProgressReporter(task, System.console() != null);
  }

  /** Reports that {@code done} of {@code total} units are finished, the last one being {@code message}. */
  void update(long done, long total, String message) {
    if (bar != null) {
      if (this.total != total) {
        bar.maxHint(total);
        this.total = total;
      }
      bar.stepTo(done);
      bar.setExtraMessage(message);
      return;
    }
    this.total = total;
    if (done >= nextLogAt || done == total) {
      LOG.info("{}: {}/{} ({}%) {}", task, done, total, total == 0 ? 100 : done * 100 / total, message);
      nextLogAt = done + Math.max(1, total / 10);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
