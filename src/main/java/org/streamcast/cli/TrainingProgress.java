package org.streamcast.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.training.EpochStats;
import org.streamcast.training.ProgressListener;

/**
 * Training progress for people: a progress bar over epochs with the training and validation loss when a terminal is
 * attached, otherwise one INFO line per epoch. Close it when training ends.
 */
final class TrainingProgress implements ProgressListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);

  private final String task;
  private final boolean terminal;
  private final PrintStream err;
  private ProgressBar bar;
  private java.time.Duration budget;

  TrainingProgress(String task, boolean terminal, PrintStream err) {
    this.task = task;
    this.terminal = terminal;
    this.err = err;
  }

  @Override
  public void started(int maxEpochs, int trainWindows, int validationWindows) {
    if (terminal) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(maxEpochs).setUnit(" epochs", 1)
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(err))
          .build();
    } else {
      LOG.info("{}: up to {} epochs over {} training windows, {} validation windows", task, maxEpochs, trainWindows,
          validationWindows);
    }
  }

  @Override
  public void started(int maxEpochs, int trainWindows, int validationWindows, int keys, int windowsAvailable,
      java.time.Duration timeBudget) {
    this.budget = timeBudget;
    if (!terminal && timeBudget != null) {
      LOG.info("{}: {} keys, {} training windows sampled of {}, time budget {}", task, keys, trainWindows,
          windowsAvailable, timeBudget);
    }
    started(maxEpochs, trainWindows, validationWindows);
  }

  @Override
  public void epochFinished(EpochStats s) {
    String left = budget == null ? "" : String.format(Locale.ROOT, "  %d s left",
        Math.max(0, budget.minus(s.elapsed()).toSeconds()));
    String losses = String.format(Locale.ROOT, "train %.4f  validation %.4f%s%s", s.trainLoss(), s.validationLoss(),
        s.improved() ? " *" : "", left);
    if (bar != null) {
      bar.stepTo(s.epoch());
      bar.setExtraMessage(losses);
    } else {
      LOG.info("{}: epoch {}/{}: {} ({} s)", task, s.epoch(), s.maxEpochs(), losses, s.elapsed().toSeconds());
    }
  }

  @Override
  public void finished(int epochsRun, int bestEpoch, boolean stoppedEarly) {
    close();
    if (!terminal) {
      LOG.info("{}: {} after {} epochs; keeping {}", task, stoppedEarly ? "stopped early" : "done", epochsRun,
          bestEpoch == 0 ? "the linear head without recurrent correction (no epoch beat it on validation)"
              : "epoch " + bestEpoch);
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
