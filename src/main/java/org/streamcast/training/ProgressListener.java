package org.streamcast.training;

/**
 * Receives training progress (a progress bar in a terminal, log lines otherwise; the CLI provides both).
 * Called on the training thread.
 */
public interface ProgressListener {

  /** Ignores all progress. */
  ProgressListener NONE = stats -> { };

  /** Training starts: at most {@code maxEpochs} epochs over so many windows. */
  default void started(int maxEpochs, int trainWindows, int validationWindows) {
  }

  /**
   * Training starts on {@code keys} keys, with {@code trainWindows} windows sampled of {@code windowsAvailable}, for
   * at most {@code budget} ({@code null}: no time budget).
   */
  default void started(int maxEpochs, int trainWindows, int validationWindows, int keys, int windowsAvailable,
      java.time.Duration budget) {
    started(maxEpochs, trainWindows, validationWindows);
  }

  /** One epoch finished. */
  void epochFinished(EpochStats stats);

  /** Training finished after {@code epochsRun} epochs; the kept weights are those of {@code bestEpoch}. */
  default void finished(int epochsRun, int bestEpoch, boolean stoppedEarly) {
  }
}
