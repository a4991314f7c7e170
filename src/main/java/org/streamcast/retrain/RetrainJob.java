package org.streamcast.retrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.Topics;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.SealedArtifact;
import org.streamcast.registry.ModelFollower;
import org.streamcast.registry.ModelKeys;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.registry.ModelTopic;
import org.streamcast.registry.ServableModels;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.backtest.BacktestListener;

/**
 * One retraining run of one pipeline against a Kafka cluster: the model in service is read from
 * {@value ModelTopic#NAME}, the history from the pipeline's series topic over the spec's {@code training.history}
 * span, the {@link Retrainer} judges a challenger, and a promoted challenger is published as one record. Nothing is
 * written before the judgement, so a run killed at any point leaves the model topic as it was.
 */
public final class RetrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Where a run reports progress. */
  public record Listeners(SeriesTopicReader.Progress reading, ProgressListener training, BacktestListener scoring) {
    /** No progress reports. */
    public static final Listeners NONE =
        new Listeners(SeriesTopicReader.Progress.NONE, ProgressListener.NONE, BacktestListener.NONE);
  }

  private final PipelineSpec spec;
  private final Map<String, Object> client;
  private final Listeners listeners;
  private final TrainingMeters meters;
  private final Path outDir;
  private final ModelKeys keys;

  /**
   * @param spec     the pipeline
   * @param client   Kafka client properties
   * @param listeners progress of reading, training and scoring
   * @param meters   where outcomes are counted
   * @param outDir   where each challenger artifact is also written (promoted or not), or {@code null}
   */
  public RetrainJob(PipelineSpec spec, Map<String, Object> client, Listeners listeners, TrainingMeters meters,
      Path outDir) {
    this(spec, client, listeners, meters, outDir, ModelKeys.NONE);
  }

  /**
   * As above, with keys: the champion is read as the pipelines would (only signed models when a public key is set),
   * and a promoted challenger is signed with the signing key, if any.
   */
  public RetrainJob(PipelineSpec spec, Map<String, Object> client, Listeners listeners, TrainingMeters meters,
      Path outDir, ModelKeys keys) {
    this.keys = keys;
    this.spec = spec;
    this.client = Map.copyOf(client);
    this.listeners = listeners;
    this.meters = meters;
    this.outDir = outDir;
  }

  /** The pipeline. */
  public PipelineSpec spec() {
    return spec;
  }

  /**
   * Runs once: read, train, judge, publish if promoted.
   *
   * @throws org.streamcast.kafka.KafkaUnreachableException when Kafka cannot be read or written (counted as failed)
   */
  public Judgement run() {
    long began = System.nanoTime();
    try {
      Retrainer.Champion champion = champion();
      long reading = System.nanoTime();
      SeriesHistory history = SeriesTopicReader.read(client, spec.output().series(), spec.training().history(),
          spec.window().step(), TIMEOUT, listeners.reading(), SeriesTopicReader.Holding.of(spec.training()),
          spec.input().covariates(),
          java.time.Instant.now().plus(spec.window().maxFuture()).plus(spec.window().step()).toEpochMilli());
      LOG.info("retrain {}: {} steps of {} key(s) held of {} in {} ({} .. {}, {} MiB, read in {} s); champion {}",
          spec.name(), history.size(), history.keys().size(), history.fleetKeys(), spec.output().series(),
          history.from().orElse(null), history.to().orElse(null), history.bytes() >> 20,
          (System.nanoTime() - reading) / 1_000_000_000, champion.name() == null ? "none" : champion.name());
      Judgement j = new Retrainer(spec, listeners.training(), listeners.scoring()).judge(history, champion);
      keep(j);
      if (j.decision() == Judgement.Decision.PROMOTED) {
        ModelArtifact a = j.candidate().orElseThrow();
        try (ModelPublisher publisher = new ModelPublisher(client, keys)) {
          ModelPublisher.Published at = publisher.publish(spec.name(), a);
          LOG.info("retrain {}: promoted v{} ({}), published to {}", spec.name(), at.version(), j.reason(),
              at.coordinates());
        }
      } else if (j.decision() == Judgement.Decision.REJECTED) {
        LOG.info("retrain {}: rejected the challenger ({}); the champion stays", spec.name(), j.reason());
      } else {
        LOG.info("retrain {}: skipped ({})", spec.name(), j.reason());
      }
      meters.record(j.decision().tag(), j.took().toNanos() / 1e9, j.trainLoss(), j.validationLoss());
      return j;
    } catch (RuntimeException e) {
      meters.record(Judgement.Decision.FAILED.tag(), (System.nanoTime() - began) / 1e9, Double.NaN, Double.NaN);
      throw e;
    }
  }

  private Retrainer.Champion champion() {
    Topics.ensure(client, List.of(ModelTopic.spec()), TIMEOUT);
    try (ModelFollower follower = new ModelFollower(client, Set.of(spec.name()), keys.publicKey(),
        ModelFollower.Rejections.NONE)) {
      SealedArtifact current = follower.catchUp(TIMEOUT).get(spec.name());
      if (current == null) {
        return Retrainer.Champion.NONE;
      }
      String name = current.artifact().network().type().name().toLowerCase(java.util.Locale.ROOT) + " v"
          + current.version();
      Optional<String> mismatch = ServableModels.mismatch(spec, current.artifact());
      if (mismatch.isPresent()) {
        LOG.warn("retrain {}: the published model {} cannot serve the pipeline ({}); the challenger must beat the "
            + "baseline", spec.name(), name, mismatch.get());
        return Retrainer.Champion.unservable(name, mismatch.get());
      }
      return Retrainer.Champion.serving(ServableModels.serve(spec, current.artifact(), current.version()));
    }
  }

  private void keep(Judgement j) {
    if (outDir == null || j.candidate().isEmpty()) {
      return;
    }
    ModelArtifact a = j.candidate().get();
    Path file = outDir.resolve(spec.name() + "-v" + a.provenance().createdAt().getEpochSecond() + "-"
        + j.decision().tag() + ".model");
    try {
      Files.createDirectories(outDir);
      a.write(file);
    } catch (IOException e) {
      LOG.warn("retrain {}: could not write {}: {}", spec.name(), file, e.toString());
    }
  }
}
