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
   */
  record Aggregate(long start, int count, double sum, double mean, double min, double max, double last,
      long lastTime) {
    static Aggregate first(long start, double v, long time) {
      return new Aggregate(start, 1, v, v, v, v, v, time);
    }

    Aggregate add(double v, long time) {
      boolean newer = time >= lastTime;
      int n = count + 1;
      // Weighted so that neither term can overflow: |mean| and |v| are finite, the weights at most 1.
      double running = mean * ((double) count / n) + v / n;
      return new Aggregate(start, n, sum + v, running, Math.min(min, v), Math.max(max, v),
          newer ? v : last, newer ? time : lastTime);
    }

    double value(PipelineSpec.Aggregation aggregation) {
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

  /** The {@code aggregation} of the window starting at {@code start} (NaN if there is none). */
  double valueAt(long start, PipelineSpec.Aggregation aggregation) {
    for (Aggregate a : windows) {
      if (a.start() == start) {
        return a.value(aggregation);
      }
    }
    return Double.NaN;
  }

  /** Adds an event to the window starting at {@code start}, opening it if needed; returns whether it is new. */
  OpenWindows add(long start, double value, long time, boolean[] opened) {
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
   * Serde: version byte (2), count, then per window start, count, sum, mean, min, max, last, lastTime. Version 1
   * (without the mean) is still read: its mean is sum / count. Reading never fails on bad bytes: a truncated entry, a
   * count the bytes cannot hold, trailing bytes or an unknown (or newer) version give an empty marker with the reason
   * ({@link #corruption}), never an allocation beyond the entry's size.
   */
  static final class BinarySerde {
    static final byte VERSION = 2;
    private static final int WINDOW_BYTES = 8 + 4 + 8 * 5 + 8;
    private static final int V1_WINDOW_BYTES = 8 + 4 + 8 * 4 + 8;

    private BinarySerde() {}

    static Serde<OpenWindows> serde() {
      Serializer<OpenWindows> ser = (topic, w) -> {
        if (w == null) {
          return null;
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + w.windows().size() * WINDOW_BYTES);
        b.put(VERSION).putInt(w.windows().size());
        for (Aggregate a : w.windows()) {
          b.putLong(a.start()).putInt(a.count()).putDouble(a.sum()).putDouble(a.mean()).putDouble(a.min())
              .putDouble(a.max()).putDouble(a.last()).putLong(a.lastTime());
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
      int each = version == 1 ? V1_WINDOW_BYTES : WINDOW_BYTES;
      if (n < 0 || (long) n * each != b.remaining()) {
        return corrupt("open-windows entry claims " + n + " windows in " + b.remaining() + " bytes");
      }
      List<Aggregate> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long start = b.getLong();
        int count = b.getInt();
        double sum = b.getDouble();
        double mean = version == 1 ? sum / count : b.getDouble();
        list.add(new Aggregate(start, count, sum, mean, b.getDouble(), b.getDouble(), b.getDouble(), b.getLong()));
      }
      return new OpenWindows(list);
    }

    private static OpenWindows corrupt(String why) {
      return new OpenWindows(List.of(), why);
    }
  }
}
