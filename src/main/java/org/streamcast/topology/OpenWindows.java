package org.streamcast.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.PipelineObserver;

/**
 * A key's windows that are still open (not yet past end + grace), oldest first. Usually one; more when grace is
 * longer than a step. After the last of them closed and until the key's next event, the stored value may still hold
 * emitted windows; {@link #endingAfter} drops them. Persisted in the resample store with a compact versioned binary
 * format.
 *
 * @param windows    open windows sorted by start
 * @param corruption null, or why a stored entry could not be decoded: such a marker holds no windows (the key's open
 *                   windows start over), see {@link BinarySerde}
 */
record OpenWindows(List<Aggregate> windows, String corruption) {
  OpenWindows {
    windows = List.copyOf(windows);
  }

  OpenWindows(List<Aggregate> windows) {
    this(windows, null);
  }

  static final OpenWindows EMPTY = new OpenWindows(List.of());
  private static final Logger LOG = LoggerFactory.getLogger(OpenWindows.class);

  /**
   * The running aggregate of one window.
   *
   * @param start    window start (epoch ms)
   * @param count    events so far
   * @param sum      sum of values (infinite once it overflowed: then only a {@code sum} window is refused)
   * @param mean     running mean of values, which stays finite while the values are (the sum may not)
   * @param min      minimum value
   * @param max      maximum value
   * @param last     value of the latest event (by event time; ties go to the later arrival)
   * @param lastTime event time of {@code last}
   * @param extra    the same running aggregates of each other value field (every event carries them all), in the
   *                 spec's order: {@value #PER_FIELD} doubles per field (sum, mean, min, max, last)
   */
  record Aggregate(long start, int count, double sum, double mean, double min, double max, double last,
      long lastTime, double[] extra) {
    static final int PER_FIELD = 5;
    private static final double[] NONE = new double[0];

    Aggregate {
      extra = extra.length == 0 ? NONE : extra;
    }

    Aggregate(long start, int count, double sum, double mean, double min, double max, double last, long lastTime) {
      this(start, count, sum, mean, min, max, last, lastTime, NONE);
    }

    /** A window's first event: {@code values} holds the target, then the other fields. */
    static Aggregate first(long start, double[] values, long time) {
      double v = values[0];
      double[] extra = new double[PER_FIELD * (values.length - 1)];
      for (int f = 1; f < values.length; f++) {
        java.util.Arrays.fill(extra, PER_FIELD * (f - 1), PER_FIELD * f, values[f]);
      }
      return new Aggregate(start, 1, v, v, v, v, v, time, extra);
    }

    Aggregate add(double[] values, long time) {
      boolean newer = time >= lastTime;
      int n = count + 1;
      double v = values[0];
      double[] e = extra.length == 0 ? NONE : new double[extra.length];
      for (int f = 0; f < e.length / PER_FIELD; f++) {
        double x = values[1 + f];
        int i = PER_FIELD * f;
        e[i] = extra[i] + x;
        e[i + 1] = extra[i + 1] * ((double) count / n) + x / n;
        e[i + 2] = Math.min(extra[i + 2], x);
        e[i + 3] = Math.max(extra[i + 3], x);
        e[i + 4] = newer ? x : extra[i + 4];
      }
      // Weighted so that neither term can overflow: |mean| and |v| are finite, the weights at most 1.
      double running = mean * ((double) count / n) + v / n;
      return new Aggregate(start, n, sum + v, running, Math.min(min, v), Math.max(max, v),
          newer ? v : last, newer ? time : lastTime, e);
    }

    double value(PipelineSpec.Aggregation aggregation) {
      return value(aggregation, sum, mean, min, max, last);
    }

    /** Other value fields ({@link #extra}, in order; fewer than {@code fields} stored: NaN). */
    int fields() {
      return extra.length / PER_FIELD;
    }

    /** The {@code aggregation} of other value field {@code f} (0-based, after the target). */
    double extraValue(int f, PipelineSpec.Aggregation aggregation) {
      int i = PER_FIELD * f;
      return value(aggregation, extra[i], extra[i + 1], extra[i + 2], extra[i + 3], extra[i + 4]);
    }

    private double value(PipelineSpec.Aggregation aggregation, double sum, double mean, double min, double max,
        double last) {
      return switch (aggregation) {
        // sum / count while the sum is finite: the exact mean of the values, as a batch resampler computes it
        case MEAN -> Double.isFinite(sum) ? sum / count : mean;
        case LAST -> last;
        case SUM -> sum;
        case MIN -> min;
        case MAX -> max;
        case COUNT -> count;
      };
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Aggregate a && start == a.start && count == a.count && lastTime == a.lastTime
          && java.util.Arrays.equals(new double[] {sum, mean, min, max, last},
              new double[] {a.sum, a.mean, a.min, a.max, a.last})
          && java.util.Arrays.equals(extra, a.extra);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(start, count, sum, mean, min, max, last, lastTime,
          java.util.Arrays.hashCode(extra));
    }
  }

  /**
   * {@code stored} (a key's entry in the windows store), or null when it is absent or a {@link #corruption} marker:
   * a marker is counted and logged with the key, whose open windows then start over (the next put replaces it).
   */
  static OpenWindows usable(OpenWindows stored, String key, PipelineObserver observer) {
    if (stored == null || stored.corruption() == null) {
      return stored;
    }
    observer.stateEntryReset();
    LOG.warn("the open windows of key '{}' cannot be decoded, they start over: {}", key, stored.corruption());
    return null;
  }

  /** These windows without those that ended at or before {@code time} (emitted ones). */
  OpenWindows endingAfter(long time, long stepMs) {
    boolean any = false;
    for (Aggregate a : windows) {
      any |= a.start() + stepMs <= time;
    }
    if (!any) {
      return this;
    }
    List<Aggregate> out = new ArrayList<>(windows.size());
    for (Aggregate a : windows) {
      if (a.start() + stepMs > time) {
        out.add(a);
      }
    }
    return new OpenWindows(out);
  }

  /** The window starting at {@code start}, or null. */
  Aggregate at(long start) {
    for (Aggregate a : windows) {
      if (a.start() == start) {
        return a;
      }
    }
    return null;
  }

  /** The {@code aggregation} of the window starting at {@code start} (NaN if there is none). */
  double valueAt(long start, PipelineSpec.Aggregation aggregation) {
    for (Aggregate a : windows) {
      if (a.start() == start) {
        return a.value(aggregation);
      }
    }
    return Double.NaN;
  }

  /** Adds a target-only event; see {@link #add(long, double[], long, boolean[])}. */
  OpenWindows add(long start, double value, long time, boolean[] opened) {
    return add(start, new double[] {value}, time, opened);
  }

  /**
   * Adds an event ({@code values}: the target, then the other value fields) to the window starting at
   * {@code start}, opening it if needed; returns whether it is new.
   */
  OpenWindows add(long start, double[] value, long time, boolean[] opened) {
    List<Aggregate> out = new ArrayList<>(windows.size() + 1);
    boolean done = false;
    for (Aggregate a : windows) {
      if (!done && a.start() == start) {
        out.add(a.add(value, time));
        done = true;
      } else if (!done && a.start() > start) {
        out.add(Aggregate.first(start, value, time));
        out.add(a);
        done = true;
        opened[0] = true;
      } else {
        out.add(a);
      }
    }
    if (!done) {
      out.add(Aggregate.first(start, value, time));
      opened[0] = true;
    }
    return new OpenWindows(out);
  }

  /**
   * Serde: version byte (3), count, then per window start, count, sum, mean, min, max, last, lastTime, then a byte
   * {@code k} and the {@code 5k} running aggregates of the other value fields ({@link Aggregate#extra}). Version 2
   * (the target alone) and version 1 (also without the mean: it is sum / count) are still read. Reading never fails
   * on bad bytes: a truncated entry, a count the bytes cannot hold, trailing bytes or an unknown (or newer) version
   * give an empty marker with the reason ({@link #corruption}), never an allocation beyond the entry's size.
   */
  static final class BinarySerde {
    static final byte VERSION = 3;
    private static final int WINDOW_BYTES = 8 + 4 + 8 * 5 + 8;
    private static final int V1_WINDOW_BYTES = 8 + 4 + 8 * 4 + 8;

    private BinarySerde() {}

    static Serde<OpenWindows> serde() {
      Serializer<OpenWindows> ser = (topic, w) -> {
        if (w == null) {
          return null;
        }
        int size = 1 + 4;
        for (Aggregate a : w.windows()) {
          size += WINDOW_BYTES + 1 + 8 * a.extra().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putInt(w.windows().size());
        for (Aggregate a : w.windows()) {
          b.putLong(a.start()).putInt(a.count()).putDouble(a.sum()).putDouble(a.mean()).putDouble(a.min())
              .putDouble(a.max()).putDouble(a.last()).putLong(a.lastTime());
          b.put((byte) a.fields());
          for (double x : a.extra()) {
            b.putDouble(x);
          }
        }
        return b.array();
      };
      Deserializer<OpenWindows> de = (topic, bytes) -> bytes == null ? null : read(bytes);
      return Serdes.serdeFrom(ser, de);
    }

    static OpenWindows read(byte[] bytes) {
      if (bytes.length < 5) {
        return corrupt("open-windows entry of " + bytes.length + " bytes is truncated");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte version = b.get();
      if (version > VERSION) {
        return corrupt("open-windows entry was written by a newer streamcast in format version " + version
            + "; this version reads formats 1 to " + VERSION);
      }
      if (version < 1) {
        return corrupt("open-windows entry has unknown format version " + version);
      }
      int n = b.getInt();
      int each = version == 1 ? V1_WINDOW_BYTES : version == 2 ? WINDOW_BYTES : WINDOW_BYTES + 1;
      if (n < 0 || (long) n * each > b.remaining() || (version < 3 && (long) n * each != b.remaining())) {
        return corrupt("open-windows entry claims " + n + " windows in " + b.remaining() + " bytes");
      }
      List<Aggregate> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (b.remaining() < each) {
          return corrupt("open-windows entry is truncated in window " + i + " of " + n);
        }
        long start = b.getLong();
        int count = b.getInt();
        double sum = b.getDouble();
        double mean = version == 1 ? sum / count : b.getDouble();
        double min = b.getDouble();
        double max = b.getDouble();
        double last = b.getDouble();
        long lastTime = b.getLong();
        double[] extra = new double[0];
        if (version >= 3) {
          int k = b.get() & 0xff;
          if (8L * Aggregate.PER_FIELD * k > b.remaining()) {
            return corrupt("open-windows entry claims " + k + " fields in " + b.remaining() + " bytes");
          }
          extra = new double[Aggregate.PER_FIELD * k];
          for (int x = 0; x < extra.length; x++) {
            extra[x] = b.getDouble();
          }
        }
        list.add(new Aggregate(start, count, sum, mean, min, max, last, lastTime, extra));
      }
      if (b.hasRemaining()) {
        return corrupt("open-windows entry has " + b.remaining() + " trailing bytes");
      }
      return new OpenWindows(list);
    }

    private static OpenWindows corrupt(String why) {
      return new OpenWindows(List.of(), why);
    }
  }
}
