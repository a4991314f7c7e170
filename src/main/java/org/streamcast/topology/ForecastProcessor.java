package org.streamcast.topology;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelHolder;
import org.streamcast.quality.ScoreSink;
import org.streamcast.serving.QualityStep;
import org.streamcast.serving.ServingState;
import org.streamcast.serving.ServingStep;

/**
 * Batches the closed steps, reads and writes each key's state, counts, and forwards: the step itself (model step, live
 * scores, intervals, the forecast) is the Kafka-free {@link ServingStep}, which the backtest drives too. The keys whose
 * windows one input record closed are stepped together ({@link ServingStep#stepModels}), which costs a recurrent
 * model less per key than stepping them one by one and gives the same results. The key's state lives in a
 * persistent, changelogged store, so it is partitioned, restored after a crash and moved on rebalance with the key.
 *
 * <p>Failures stay with their key: when a batch's model step fails, its keys are stepped again one by one from their
 * stored states, and a key whose own step (or scoring) fails has its step dead-lettered ({@link Routed.Rejected},
 * reason {@code processing-error}) as an event in the input's format, while its stored state stays as it was. A
 * model output that is not finite resets the key and withholds the forecast ({@link KeyStepper#WITHHELD}). A stored
 * state that cannot be decoded ({@link ServingState#corrupt}) is deleted and the key starts over. An anomaly the
 * serving step found is counted and, unless the key's rate limit suppressed it, forwarded ({@link Routed.Flagged})
 * after the step's forecast.
 */
final class ForecastProcessor implements FixedKeyProcessor<String, Routed, Routed> {
  /** Most keys stepped together. */
  static final int MAX_BATCH = 64;
  private static final Logger LOG = LoggerFactory.getLogger(ForecastProcessor.class);
  /** Corrupt state entries and failed steps logged one by one per task; the counters count all of them. */
  private static final int LOGGED = 10;

  private final String pipeline;
  private final PipelineSpec.Input input;
  private final ModelHolder models;
  private final ServingStep serving;
  private final long stepMs;
  private final int historyCapacity;
  private final String storeName;
  private final int decodedCapacity;
  private final KeyLedger ledger;
  private final PipelineObserver observer;
  private final Set<String> watch;
  private final Watching watching;
  private FixedKeyProcessorContext<String, Routed> context;
  private DecodedStates store;
  private final List<FixedKeyRecord<String, Routed>> batch = new ArrayList<>(MAX_BATCH);
  private final Set<String> batchKeys = new HashSet<>();
  private final String[] keys = new String[MAX_BATCH];
  private final ServingState[] states = new ServingState[MAX_BATCH];
  private final boolean[] known = new boolean[MAX_BATCH];
  private final boolean[] wasWarm = new boolean[MAX_BATCH];
  private final long[] starts = new long[MAX_BATCH];
  private final long[] previous = new long[MAX_BATCH];
  private final double[] values = new double[MAX_BATCH];
  private final double[][] covariates = new double[MAX_BATCH][];
  private final int[] outcomes = new int[MAX_BATCH];
  private final RuntimeException[] failures = new RuntimeException[MAX_BATCH];
  private double[][] outs = new double[MAX_BATCH][0];
  private int corruptLogged;
  private int failuresLogged;

  ForecastProcessor(String pipeline, PipelineSpec.Input input, ModelHolder models, ServingStep serving,
      int historyCapacity, String storeName, int decodedCapacity, PipelineObserver observer, Set<String> watch,
      KeyLedger ledger) {
    this.pipeline = pipeline;
    this.input = input;
    this.models = models;
    this.serving = serving;
    this.stepMs = serving.stepMs();
    this.historyCapacity = historyCapacity;
    this.storeName = storeName;
    this.decodedCapacity = decodedCapacity;
    this.ledger = ledger;
    this.observer = observer;
    this.watch = watch;
    this.watching = new Watching(serving.levels().length);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Routed> context) {
    this.context = context;
    // decoded copies from before a (re)initialization may be newer than the restored store
    this.store = new DecodedStates(context.getStateStore(storeName), decodedCapacity);
    // the key counts and the expiry index are kept as the store changes (KeyLedger), never counted by a scan
    ledger.init(context, store, context.getStateStore(PipelineTopology.KEY_COUNTS_STORE),
        context.getStateStore(PipelineTopology.KEY_SEEN_STORE));
  }

  /**
   * Holds the step until the last of the steps its input record closed ({@link Routed.Closed#last()}), then steps
   * all those keys together. A batch also ends at {@value #MAX_BATCH} keys, and before a key's second step (its
   * first must be applied first). So every record is handled before the input record that closed it is done.
   */
  @Override
  public void process(FixedKeyRecord<String, Routed> record) {
    Routed.Closed closed = (Routed.Closed) record.value();
    if (!batchKeys.add(record.key())) {
      flush();
      batchKeys.add(record.key());
    }
    batch.add(record);
    if (closed.last() || batch.size() == MAX_BATCH) {
      flush();
    }
  }

  /**
   * Steps the held keys' models together, then scores, stores and publishes each key as a single step would. When the
   * batch's step fails, each key is stepped on its own from its stored state, so only a key whose own step fails
   * loses its step (to the dead-letter topic).
   */
  private void flush() {
    int n = batch.size();
    if (n == 0) {
      return;
    }
    try {
      Forecaster model = models.current();
      if (outs[0].length != model.horizon()) {
        outs = new double[MAX_BATCH][model.horizon()];
      }
      long latest = Long.MIN_VALUE;
      for (int b = 0; b < n; b++) {
        String key = batch.get(b).key();
        Step step = ((Routed.Closed) batch.get(b).value()).step();
        keys[b] = key;
        states[b] = load(key, b);
        starts[b] = step.start().toEpochMilli();
        values[b] = step.value();
        covariates[b] = step.covariates();
        latest = Math.max(latest, starts[b]);
      }
      long started = System.nanoTime();
      try {
        serving.stepModels(model, keys, states, starts, values, covariates, outs, outcomes, n);
      } catch (RuntimeException e) {
        stepAlone(model, n);
      }
      long share = (System.nanoTime() - started) / n;
      for (int b = 0; b < n; b++) {
        if (failures[b] != null) {
          deadLetter(batch.get(b), failures[b]);
        } else {
          finish(batch.get(b), states[b], known[b], previous[b], wasWarm[b], outcomes[b], outs[b], share, model);
        }
      }
      // idle keys expire as the steps' event time advances (a bounded slice of the index at a time)
      ledger.advance(latest);
    } finally {
      // On an error (the processing exception handler then decides about the input record) no held step is
      // kept for a later batch.
      Arrays.fill(states, 0, n, null);
      Arrays.fill(covariates, 0, n, null);
      Arrays.fill(failures, 0, n, null);
      batch.clear();
      batchKeys.clear();
    }
  }

  /**
   * The stored state of {@code key} (batch slot {@code b}), or a new one. A stored entry that cannot be decoded is
   * deleted (its changelog gets a tombstone) and counted; the key then starts over as a new key.
   */
  private ServingState load(String key, int b) {
    ServingState state = store.take(key);
    if (state != null && state.corruption() != null) {
      observer.stateEntryReset();
      if (corruptLogged++ < LOGGED) {
        LOG.warn("pipeline {} task {}: the state of key '{}' cannot be decoded, the key starts over: {}", pipeline,
            context.taskId(), key, state.corruption());
      }
      store.delete(key);
      ledger.corrupt(key);
      state = null;
    }
    known[b] = state != null;
    previous[b] = state != null ? state.model().lastStep() : KeyState.NO_STEP;
    wasWarm[b] = state != null && state.isWarm();
    return state != null ? state : new ServingState(historyCapacity);
  }

  /**
   * Steps keys {@code 0 .. n−1} one by one from their stored states (the failed batch step may have changed the
   * states it was given); a key whose step fails gets its failure in {@code failures}.
   */
  private void stepAlone(Forecaster model, int n) {
    for (int b = 0; b < n; b++) {
      ServingState state = known[b] ? store.stored(keys[b]) : new ServingState(historyCapacity);
      states[b] = state;
      try {
        outcomes[b] = serving.stepModel(model, keys[b], state, starts[b], values[b], covariates[b], outs[b]);
      } catch (RuntimeException e) {
        failures[b] = e;
      }
    }
  }

  /**
   * Sends the step of {@code record}'s key to the dead-letter topic, rendered as an event in the input's format (key,
   * time and target fields), with the coordinates of the input record being processed; the key's stored state stays
   * as it was.
   */
  private void deadLetter(FixedKeyRecord<String, Routed> record, RuntimeException failure) {
    Step step = ((Routed.Closed) record.value()).step();
    String detail = DeadLetterHandlers.oneLine("the step of key '" + record.key() + "' at " + step.start()
        + " failed: " + failure);
    if (failuresLogged++ < LOGGED) {
      LOG.warn("pipeline {} task {}: {}; the step is dead-lettered", pipeline, context.taskId(), detail, failure);
    } else {
      LOG.warn("pipeline {} task {}: {}; the step is dead-lettered", pipeline, context.taskId(), detail);
    }
    RecordMetadata at = context.recordMetadata().orElse(null);
    SourceRecord source = new SourceRecord(record.key().getBytes(StandardCharsets.UTF_8), event(step),
        at == null ? input.topic() : at.topic(), at == null ? -1 : at.partition(), at == null ? -1 : at.offset());
    context.forward(record.withValue(new Routed.Rejected(DeadLetterReason.PROCESSING_ERROR, detail, source)));
  }

  /** The step as an input event: the key (when it comes from a field), the step's start and its value. */
  private byte[] event(Step step) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (input.keyField() != null) {
      n.put(input.keyField(), step.key());
    }
    if (input.timeFormat() == PipelineSpec.TimeFormat.EPOCH_MILLIS) {
      n.put(input.timeField(), step.start().toEpochMilli());
    } else {
      n.put(input.timeField(), step.start().toString());
    }
    if (Double.isFinite(step.value())) {
      n.put(input.target(), step.value());
    } else {
      n.putNull(input.target());
    }
    double[] cov = step.covariates();
    List<String> names = input.covariates();
    for (int f = 0; f < names.size() && f < cov.length; f++) {
      if (Double.isFinite(cov[f])) {
        n.put(names.get(f), cov[f]);
      } else {
        n.putNull(names.get(f));
      }
    }
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code previous}: the key's step before this one ({@link KeyState#NO_STEP}: none, or the key was reset). */
  private void finish(FixedKeyRecord<String, Routed> record, ServingState state, boolean known, long previous,
      boolean wasWarm, int outcome, double[] out, long nanos, Forecaster model) {
    String key = record.key();
    Step step = ((Routed.Closed) record.value()).step();
    long start = step.start().toEpochMilli();
    boolean forecast = (outcome & KeyStepper.FORECAST) != 0;
    int imputed = KeyStepper.imputed(outcome);
    boolean watched = watch.contains(key);
    Forecast published;
    try {
      watching.clear();
      published = serving.finish(model, key, state, start, step.value(), outcome, out, watched ? watching : null);
    } catch (RuntimeException e) {
      deadLetter(record, e);
      return;
    }
    observer.stepped(nanos, forecast);
    if ((outcome & KeyStepper.REWARMED) != 0) {
      observer.rewarmed();
    }
    if ((outcome & KeyStepper.RESET) != 0) {
      observer.reset();
    }
    if ((outcome & KeyStepper.WITHHELD) != 0) {
      observer.withheld();
    }
    if ((outcome & KeyStepper.FELL_BACK) != 0) {
      observer.fellBack(state.model().protection().fellBack());
    }
    if (imputed > 0) {
      observer.imputed(imputed);
    }
    boolean warm = state.isWarm();
    countKeys(known, wasWarm, warm);
    store.put(key, state);
    ledger.stepped(key, known ? previous : KeyState.NO_STEP, start, warm, wasWarm);

    if (published != null) {
      context.forward(record.withValue((Routed) new Routed.Published(published)).withTimestamp(start));
      observer.published(context.currentSystemTimeMs() - (start + stepMs));
    }
    if (serving.anomalyCheck().flagged()) {
      observer.anomaly(serving.anomalyCheck().kind(), serving.anomalyCheck().published());
      Anomaly anomaly = serving.anomaly(key, start, model, state);
      if (anomaly != null) {
        context.forward(record.withValue((Routed) new Routed.Flagged(anomaly)).withTimestamp(start));
      }
    }
    if (watched) {
      QualityStep.Check check = serving.anomalyCheck();
      observer.watched(watching.step(key, start, step.value(), published,
          check.flagged() ? start - check.stepsBack() * stepMs : PipelineObserver.Watched.NONE));
    }
  }

  private void countKeys(boolean known, boolean wasWarm, boolean warm) {
    long dTracked = known ? 0 : 1;
    long dWarming = (warm ? 0 : 1) - (known && !wasWarm ? 1 : 0);
    ledger.count(dTracked, dWarming);
  }

  @Override
  public void close() {
    if (store != null) {
      store.clear();
    }
    ledger.close();
  }

  /** Captures, for a watched key, the one-step-ahead forecast scored at this step. */
  private static final class Watching implements ScoreSink {
    private double forecast;
    private final double[] lower;
    private final double[] upper;

    Watching(int levels) {
      lower = new double[levels];
      upper = new double[levels];
    }

    void clear() {
      forecast = Double.NaN;
      Arrays.fill(lower, Double.NaN);
      Arrays.fill(upper, Double.NaN);
    }

    @Override
    public void scored(int j, double value, double error, double naiveError, double[] halfWidths) {
      if (j == 0) {
        forecast = value;
        for (int l = 0; l < lower.length; l++) {
          lower[l] = value - halfWidths[l];
          upper[l] = value + halfWidths[l];
        }
      }
    }

    PipelineObserver.Watched step(String key, long start, double actual, Forecast latest, long anomalyStart) {
      return new PipelineObserver.Watched(key, start, actual, forecast, lower.clone(), upper.clone(), latest,
          anomalyStart);
    }
  }
}
