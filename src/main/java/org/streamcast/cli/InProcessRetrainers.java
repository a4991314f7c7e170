package org.streamcast.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.app.StreamcastApp;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.registry.ModelKeys;
import org.streamcast.retrain.RetrainJob;
import org.streamcast.retrain.RetrainSchedule;
import org.streamcast.retrain.SeriesTopicReader;
import org.streamcast.training.backtest.BacktestListener;

/**
 * {@code run --with-retrainer}: a retrainer per pipeline with a schedule, in the serving process. A class of its own,
 * so that {@link RunCommand} names no retrain or training type and the serving jar (which carries neither) can load
 * it.
 */
final class InProcessRetrainers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessRetrainers.class);

  private final List<RetrainSchedule> schedules;

  private InProcessRetrainers(List<RetrainSchedule> schedules) {
    this.schedules = schedules;
  }

  /** Starts a retrainer per pipeline with a schedule, counting into the app's registry and logging its progress. */
  static InProcessRetrainers start(StreamcastApp app, List<StreamcastApp.Pipeline> pipelines, ModelKeys keys) {
    List<RetrainSchedule> out = new ArrayList<>();
    for (StreamcastApp.Pipeline p : pipelines) {
      Duration every = p.spec().training().schedule();
      if (every == null) {
        LOG.info("retrain {}: training.schedule is never; not retraining in this process", p.spec().name());
        continue;
      }
      TrainingMeters meters = new TrainingMeters(p.spec().name());
      meters.bindTo(app.registry());
      RetrainJob job = new RetrainJob(p.spec(), p.settings().clientProperties(), new RetrainJob.Listeners(
          SeriesTopicReader.Progress.NONE, new TrainingProgress("train " + p.spec().name(), false, System.err),
          BacktestListener.NONE), meters, null, keys);
      out.add(RetrainSchedule.start(job, every, every));
    }
    return new InProcessRetrainers(out);
  }

  @Override
  public void close() {
    schedules.forEach(RetrainSchedule::close);
  }
}
