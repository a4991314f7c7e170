package org.streamcast.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.streamcast.config.Durations;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.resample.StepGrid;
import org.streamcast.resample.WindowAggregate;

/**
 * Tumbling-window resampling per key with emit-on-close semantics and explicit late handling.
 *
 * <p>Event times come from the events themselves (the records keep the timestamps they were produced with, and a
 * rejection goes to the dead-letter topic with its record's). Stream time is the largest event time this task has
 * accepted (persisted, so it survives restarts); it closes the windows. An event whose window ended at or before
 * {@code streamTime - grace} is late, and dead-lettered with reason {@code late}, when its key already has that window
 * or a later one: otherwise it is the key's first word on a step that another key's clock closed (a producer whose
 * clock runs ahead moved the partition's), and it becomes a window of its own, emitted at once. So one key's clock
 * costs the others of its partition at most the windows open when it jumped, and the events that arrive in a
 * window after the first. How far one record can move stream time is bounded too: an event more than
 * {@code window.maxFuture} past the wall clock is dead-lettered with {@code future-time}, and one more than
 * {@code window.maxSkew} ahead of stream time with {@code time-skew} unless it is live (within {@code maxSkew} of
 * the wall clock, so a live stream resumes after an outage of any length). An event that would make its window's
 * aggregate infinite is dead-lettered with {@code overflow} and leaves the window as it was, so the series never
 * carries Infinity. A window is emitted exactly once, as a {@link Step}, when stream time passes its end plus grace
 * (or at once, as above); the close index (window end, key) makes that a range scan instead of a
 * scan over all keys.
 *
 * <p>A key's entry in the windows store is replaced at its next event, not deleted when its last open window closes:
 * emitted windows (those that ended by the last emission, {@code emittedUpTo}) stay in it until then and are ignored
 * everywhere. That halves the windows changelog for a key with one event per step. A key that sends nothing for
 * {@code state.keyIdleTimeout} has its entry deleted (a tombstone in the changelog), as the forecast side deletes
 * its state ({@link KeyLedger}): as emission time advances, a sweep walks a bounded slice of the store at a time
 * ({@link SliceWalk}); a key that comes back starts a new entry.
 *
 * <p>The close index is held in memory and rebuilt from the windows store whenever the processor is initialised
 * (after the store was restored from its changelog, or a task moved here), so it is exactly the open windows. It
 * used to be a changelogged store: that cost two changelog records per event (the entry, then its tombstone) and,
 * since its keys are never reused, left every closed window's tombstone in the compacted changelog for
 * {@code delete.retention.ms}, all of which a restore had to read (BENCHMARKS.md, "End to end").
 */
final class ResampleProcessor implements Processor<String, Routed, String, Routed> {
  private static final String STREAM_TIME = "stream-time";

  private final PipelineSpec.Window window;
  private final List<String> fields;
  private final String timeField;
  private final PipelineSpec.Aggregation[] aggregations;
  private final long stepMs;
  private final StepGrid grid;
  private final long graceMs;
  private final long maxSkewMs;
  private final long maxFutureMs;
  private final PipelineObserver observer;
  private final String windowsStoreName;
  private final String clockStoreName;
  private final TreeSet<Bytes> closeIndex = new TreeSet<>();
  private final long idleMs;
  private final long sweepEveryMs;
  private final SliceWalk<OpenWindows> walk = new SliceWalk<>();
  private long lastSweep = Long.MIN_VALUE;

  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, OpenWindows> windows;
  private KeyValueStore<String, Long> clock;
  private long streamTime = Long.MIN_VALUE;
  private long emittedUpTo = Long.MIN_VALUE;

  /**
   * @param fields the value fields in the order of an event's values: the target, then the covariates (each
   *               aggregated with its own {@link PipelineSpec.Window#aggregation(String)})
   * @param timeField the events' time field ({@code input.timeField}), named in dead-letter details
   * @param idleTimeout {@code state.keyIdleTimeout}: a key's entry is deleted after this much emission time without
   *               an event; zero: never
   */
  ResampleProcessor(PipelineSpec.Window window, List<String> fields, String timeField, PipelineObserver observer,
      String windowsStoreName, String clockStoreName, Duration idleTimeout) {
    this.window = window;
    this.fields = List.copyOf(fields);
    this.timeField = timeField;
    this.aggregations = new PipelineSpec.Aggregation[fields.size()];
    for (int f = 0; f < aggregations.length; f++) {
      aggregations[f] = window.aggregation(fields.get(f));
    }
    this.stepMs = window.step().toMillis();
    this.grid = new StepGrid.Fixed(stepMs);
    this.graceMs = window.grace().toMillis();
    this.maxSkewMs = window.maxSkew().toMillis();
    this.maxFutureMs = window.maxFuture().toMillis();
    this.observer = observer;
    this.windowsStoreName = windowsStoreName;
    this.clockStoreName = clockStoreName;
    this.idleMs = idleTimeout.toMillis();
    this.sweepEveryMs = SliceWalk.every(stepMs, idleMs);
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.windows = context.getStateStore(windowsStoreName);
    this.clock = context.getStateStore(clockStoreName);
    Long t = clock.get(STREAM_TIME);
    streamTime = t == null ? Long.MIN_VALUE : t;
    // Every record ends with emitClosed in the transaction that stored its stream time, so every window that ended
    // by then was emitted.
    emittedUpTo = streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime - graceMs;
    closeIndex.clear();
    try (KeyValueIterator<String, OpenWindows> it = windows.all()) {
      while (it.hasNext()) {
        KeyValue<String, OpenWindows> kv = it.next();
        for (WindowAggregate a : kv.value.windows()) {
          if (a.start() + stepMs > emittedUpTo) {
            closeIndex.add(indexKey(a.start() + stepMs, kv.key));
          }
        }
      }
    }
  }

  @Override
  public void process(Record<String, Routed> record) {
    Routed.Accepted event = (Routed.Accepted) record.value();
    long ts = event.measurement().time().toEpochMilli();
    long now = context.currentSystemTimeMs();
    if (ts > saturatedAdd(now, maxFutureMs)) {
      reject(record, event, DeadLetterReason.FUTURE_TIME, "field \"" + timeField + "\": event time "
          + Instant.ofEpochMilli(ts)
          + " is more than window.maxFuture (" + Durations.format(window.maxFuture()) + ") past the wall clock "
          + Instant.ofEpochMilli(now));
      return;
    }
    if (streamTime != Long.MIN_VALUE && ts > saturatedAdd(streamTime, maxSkewMs) && ts < now - maxSkewMs) {
      reject(record, event, DeadLetterReason.TIME_SKEW, "field \"" + timeField + "\": event time "
          + Instant.ofEpochMilli(ts)
          + " is more than window.maxSkew (" + Durations.format(window.maxSkew()) + ") ahead of stream time "
          + Instant.ofEpochMilli(streamTime));
      return;
    }
    long start = grid.startOf(ts); // the one resampler's epoch-aligned steps (training and backtest use it too)
    long end = start + stepMs;
    if (ts > streamTime) {
      streamTime = ts;
      clock.put(STREAM_TIME, streamTime);
    }
    long closeTime = streamTime - graceMs;
    String key = record.key();
    OpenWindows open = OpenWindows.usable(windows.get(key), key, observer);
    boolean[] opened = {false};
    double[] values = event.measurement().values();
    if (end <= closeTime) {
      long newest = open == null ? Long.MIN_VALUE : open.newestStart();
      if (newest >= start) {
        reject(record, event, DeadLetterReason.LATE, "event time " + Instant.ofEpochMilli(ts) + " falls in the "
            + "window " + Instant.ofEpochMilli(start) + ".." + Instant.ofEpochMilli(end) + ", and this key has its "
            + "window from " + Instant.ofEpochMilli(newest) + " already; the window closed (grace "
            + window.grace() + ") before stream time " + Instant.ofEpochMilli(streamTime));
        return;
      }
      // Another key moved the partition's clock past this window (a producer whose clock runs ahead, or this key's
      // events come late): this key's own first event there is in order for it. Its window is emitted at once and
      // stays in its entry as the newest emitted one, so its later events of it are late and its steps stay in order.
      OpenWindows own = OpenWindows.EMPTY.add(start, values, ts, opened);
      if (refusedOverflow(record, event, own.at(start), start)) {
        return;
      }
      windows.put(key, own);
      observer.accepted();
      observer.windowClosed();
      context.forward(new Record<String, Routed>(key, new Routed.Closed(step(key, own.at(start)), true), start));
      return;
    }
    OpenWindows added = (open == null ? OpenWindows.EMPTY : open.endingAfter(emittedUpTo, stepMs))
        .add(start, values, ts, opened);
    if (!refusedOverflow(record, event, added.at(start), start)) {
      windows.put(key, added);
      observer.accepted();
      if (opened[0]) {
        closeIndex.add(indexKey(end, key));
      }
    }
    emitClosed(closeTime);
    sweepIdle();
  }

  /**
   * Whether the event made a field's aggregate of window {@code a} infinite (or the target's undefined), and was
   * dead-lettered for it ({@code overflow}; the window is left as it was).
   */
  private boolean refusedOverflow(Record<String, Routed> record, Routed.Accepted event, WindowAggregate a,
      long start) {
    int overflow = -1;
    for (int f = 0; f < aggregations.length && overflow < 0; f++) {
      double v = valueOf(a, f);
      // NaN is a covariate the window does not hold (see valueOf), not an overflow
      overflow = Double.isInfinite(v) || (f == 0 && Double.isNaN(v)) ? f : -1;
    }
    if (overflow < 0) {
      return false;
    }
    reject(record, event, DeadLetterReason.OVERFLOW, "field \"" + fields.get(overflow)
        + "\": " + event.measurement().values()[overflow] + " makes the "
        + aggregations[overflow].name().toLowerCase(java.util.Locale.ROOT) + " of window "
        + Instant.ofEpochMilli(start) + " " + valueOf(a, overflow));
    return true;
  }

  /**
   * One slice of the idle sweep, when emission time moved on by {@link SliceWalk#every} since the last: deletes the
   * entries whose every window ended at least {@code idleMs} before the last emission (all of them emitted, none in
   * the close index).
   */
  private void sweepIdle() {
    if (idleMs <= 0 || emittedUpTo == Long.MIN_VALUE) {
      return;
    }
    if (lastSweep == Long.MIN_VALUE) {
      lastSweep = emittedUpTo;
      return;
    }
    if (emittedUpTo - lastSweep < sweepEveryMs) {
      return;
    }
    lastSweep = emittedUpTo;
    long cutoff = emittedUpTo - idleMs;
    List<String> idle = walk.next(windows, Math.max(SliceWalk.MIN_SLICE, closeIndex.size() / 4),
        open -> open == null || open.windows().stream().allMatch(a -> a.start() + stepMs <= cutoff));
    for (String key : idle) {
      windows.delete(key);
    }
  }

  private void reject(Record<String, Routed> record, Routed.Accepted event, DeadLetterReason reason, String detail) {
    context.forward(record.withValue(new Routed.Rejected(reason, detail, event.source())));
  }

  /**
   * Emits every window whose end is at or before {@code closeTime}, in (end, key) order, the last one marked as such
   * ({@link Routed.Closed#last()}).
   */
  private void emitClosed(long closeTime) {
    if (closeTime <= emittedUpTo) {
      return;
    }
    emittedUpTo = closeTime;
    SortedSet<Bytes> dueNow = closeIndex.headSet(indexKey(closeTime + 1, ""));
    List<Bytes> due = new ArrayList<>(dueNow);
    dueNow.clear();
    List<Step> closed = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Bytes indexKey : due) {
      String key = keyOf(indexKey);
      OpenWindows open = windows.get(key);
      if (open == null || !keys.add(key)) {
        continue; // a key with several windows due has them all emitted at its first index entry
      }
      List<WindowAggregate> keep = new ArrayList<>();
      for (WindowAggregate a : open.windows()) {
        if (a.start() + stepMs <= closeTime) {
          closed.add(step(key, a));
          observer.windowClosed();
        } else {
          keep.add(a);
        }
      }
      // With no window left open, the emitted ones stay until the key's next event replaces them (or the close
      // index is rebuilt, which skips them): one changelog record per event instead of two.
      if (!keep.isEmpty()) {
        windows.put(key, new OpenWindows(keep));
      }
    }
    closed.sort(Comparator.comparing(Step::start).thenComparing(Step::key));
    for (int i = 0; i < closed.size(); i++) {
      Step step = closed.get(i);
      context.forward(new Record<String, Routed>(step.key(), new Routed.Closed(step, i == closed.size() - 1),
          step.start().toEpochMilli()));
    }
  }

  /**
   * Field {@code f}'s aggregate ({@code 0}: the target), each with its own aggregation; NaN for a covariate the
   * window does not hold (it opened before the pipeline had the field).
   */
  private double valueOf(WindowAggregate a, int f) {
    if (f == 0) {
      return a.value(aggregations[0]);
    }
    return f - 1 < a.fields() ? a.extraValue(f - 1, aggregations[f]) : Double.NaN;
  }

  private Step step(String key, WindowAggregate a) {
    double[] covariates = new double[fields.size() - 1];
    for (int f = 0; f < covariates.length; f++) {
      covariates[f] = valueOf(a, f + 1);
    }
    return new Step(key, Instant.ofEpochMilli(a.start()), valueOf(a, 0), a.count(), covariates);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /** Order-preserving key: window end (sign bit flipped, big-endian) then the series key's UTF-8 bytes. */
  static Bytes indexKey(long end, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(end ^ Long.MIN_VALUE).put(k).array());
  }

  private static String keyOf(Bytes indexKey) {
    byte[] b = indexKey.get();
    return new String(b, 8, b.length - 8, StandardCharsets.UTF_8);
  }
}
