package org.streamcast.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.quality.PipelineScores;

/**
 * The meters of one pipeline's topology, one binder per component: {@link IngestMeters} (records in, dead letters,
 * late events, windows), {@link ForecastMeters} (forecasts, keys, inference latency, lag, imputation, re-warms),
 * {@link QualityMeters} (rolling error, skill and interval coverage) and {@link WatchedKeys} (the spec's watched
 * keys). It is the topology's {@link PipelineObserver} and hands each event to its component. Tags are bounded:
 * pipeline, reason, horizon, level, and the series key only for the watch list.
 */
public final class PipelineMeters implements PipelineObserver, MeterBinder {
  private final IngestMeters ingest;
  private final ForecastMeters forecasts;
  private final QualityMeters quality;
  private final WatchedKeys watched;

  /** The meters of {@code spec}'s pipeline, whose live scores are {@code scores}. */
  public PipelineMeters(PipelineSpec spec, PipelineScores scores) {
    this.ingest = new IngestMeters(spec.name());
    this.forecasts = new ForecastMeters(spec.name());
    this.quality = new QualityMeters(spec.name(), scores);
    this.watched = new WatchedKeys(spec.name(), spec.watch(), spec.intervals());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ingest.bindTo(registry);
    forecasts.bindTo(registry);
    quality.bindTo(registry);
    watched.bindTo(registry);
  }

  /** The watched keys' gauges and recent steps. */
  public WatchedKeys watchedKeys() {
    return watched;
  }

  @Override
  public void accepted() {
    ingest.accepted();
  }

  @Override
  public void deadLettered(DeadLetterReason reason) {
    ingest.deadLettered(reason);
  }

  @Override
  public void windowClosed() {
    ingest.windowClosed();
  }

  @Override
  public void keys(long tracked, long warming) {
    forecasts.keys(tracked, warming);
  }

  @Override
  public void stepped(long nanos, boolean forecast) {
    forecasts.stepped(nanos);
  }

  @Override
  public void published(long lagMillis) {
    forecasts.published(lagMillis);
  }

  @Override
  public void imputed(int steps) {
    forecasts.imputed(steps);
  }

  @Override
  public void reset() {
    forecasts.reset();
  }

  @Override
  public void expired(int keys) {
    forecasts.expired(keys);
  }

  @Override
  public void withheld() {
    forecasts.withheld();
  }

  @Override
  public void stateEntryReset() {
    forecasts.stateEntryReset();
  }

  @Override
  public void rewarmed() {
    forecasts.rewarmed();
  }

  @Override
  public void fellBack(int horizons) {
    forecasts.fellBack(horizons);
  }

  @Override
  public void anomaly(String kind, boolean published) {
    forecasts.anomaly(kind, published);
  }

  @Override
  public void watched(Watched step) {
    watched.watched(step);
  }
}
