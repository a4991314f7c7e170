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
import org.streamcast.resample.WindowAggregate;

/**
 * A key's windows that are still open (not yet past end + grace), oldest first. Usually one; more when grace is
 * longer than a step. After the last of them closed and until the key's next event, the stored value may still hold
 * emitted windows; {@link #endingAfter} drops them. A window's arithmetic is the one resampler's
 * ({@link WindowAggregate}); this keeps a key's open ones. Persisted in the resample store with a compact versioned
 * binary format.
 *
 * @param windows    open windows sorted by start
 * @param corruption null, or why a stored entry could not be decoded: such a marker holds no windows (the key's open
 *                   windows start over), see {@link BinarySerde}
 */
record OpenWindows(List<WindowAggregate> windows, String corruption) {
  OpenWindows {
    windows = List.copyOf(windows);
  }

  OpenWindows(List<WindowAggregate> windows) {
    this(windows, null);
  }

  static final OpenWindows EMPTY = new OpenWindows(List.of());
  private static final Logger LOG = LoggerFactory.getLogger(OpenWindows.class);

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
    for (WindowAggregate a : windows) {
      any |= a.start() + stepMs <= time;
    }
    if (!any) {
      return this;
    }
    List<WindowAggregate> out = new ArrayList<>(windows.size());
    for (WindowAggregate a : windows) {
      if (a.start() + stepMs > time) {
        out.add(a);
      }
    }
    return new OpenWindows(out);
  }

  /** The latest start of these windows ({@link Long#MIN_VALUE} for none). */
  long newestStart() {
    long newest = Long.MIN_VALUE;
    for (WindowAggregate a : windows) {
      newest = Math.max(newest, a.start());
    }
    return newest;
  }

  /** The window starting at {@code start}, or null. */
  WindowAggregate at(long start) {
    for (WindowAggregate a : windows) {
      if (a.start() == start) {
        return a;
      }
    }
    return null;
  }

  /** The {@code aggregation} of the window starting at {@code start} (NaN if there is none). */
  double valueAt(long start, PipelineSpec.Aggregation aggregation) {
    for (WindowAggregate a : windows) {
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
    List<WindowAggregate> out = new ArrayList<>(windows.size() + 1);
    boolean done = false;
    for (WindowAggregate a : windows) {
      if (!done && a.start() == start) {
        out.add(a.add(value, time));
        done = true;
      } else if (!done && a.start() > start) {
        out.add(WindowAggregate.first(start, value, time));
        out.add(a);
        done = true;
        opened[0] = true;
      } else {
        out.add(a);
      }
    }
    if (!done) {
      out.add(WindowAggregate.first(start, value, time));
      opened[0] = true;
    }
    return new OpenWindows(out);
  }

  /**
   * Serde: version byte (4), count, then per window start, count, sum, mean, min, max, last, lastTime, then a byte
   * {@code k} and the {@code 6k} running aggregates of the other value fields ({@link WindowAggregate#extra}).
   * Version 3 (5 per field, before an event could lack a covariate: every event carried each field), version 2 (the
   * target alone) and version 1 (also without the mean: it is sum / count) are still read. Reading
   * never fails on bad bytes: a truncated entry, a count the bytes cannot hold, trailing bytes or an unknown (or
   * newer) version give an empty marker with the reason ({@link #corruption}), never an allocation beyond the entry's
   * size.
   */
  static final class BinarySerde {
    static final byte VERSION = 4;
    private static final int WINDOW_BYTES = 8 + 4 + 8 * 5 + 8;
    private static final int V1_WINDOW_BYTES = 8 + 4 + 8 * 4 + 8;

    private BinarySerde() {}

    static Serde<OpenWindows> serde() {
      Serializer<OpenWindows> ser = (topic, w) -> {
        if (w == null) {
          return null;
        }
        int size = 1 + 4;
        for (WindowAggregate a : w.windows()) {
          size += WINDOW_BYTES + 1 + 8 * a.extra().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putInt(w.windows().size());
        for (WindowAggregate a : w.windows()) {
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
      List<WindowAggregate> list = new ArrayList<>(n);
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
          int stored = version == 3 ? WindowAggregate.PER_FIELD - 1 : WindowAggregate.PER_FIELD;
          if (8L * stored * k > b.remaining()) {
            return corrupt("open-windows entry claims " + k + " fields in " + b.remaining() + " bytes");
          }
          extra = new double[WindowAggregate.PER_FIELD * k];
          for (int f = 0; f < k; f++) {
            for (int x = 0; x < stored; x++) {
              extra[f * WindowAggregate.PER_FIELD + x] = b.getDouble();
            }
            if (version == 3) {
              extra[f * WindowAggregate.PER_FIELD + stored] = count; // every event carried the field
            }
          }
        }
        list.add(new WindowAggregate(start, count, sum, mean, min, max, last, lastTime, extra));
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
