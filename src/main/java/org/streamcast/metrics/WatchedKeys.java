package org.streamcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;

/**
 * The spec's watched keys (at most {@code PipelineSpec.MAX_WATCH}, the only meters tagged with a series key): gauges
 * {@code streamcast.watch.actual} (the latest step's value), {@code streamcast.watch.forecast} (the one-step-ahead
 * forecast made for that step) and {@code streamcast.watch.lower}/{@code upper} (its interval, tagged {@code level}),
 * tagged {@code pipeline, key}; NaN until the key has them. Also keeps each key's last {@value #RECENT} steps and
 * latest forecast for the built-in page. Only the keys this instance processes get values.
 */
public final class WatchedKeys implements MeterBinder {
  /** Steps kept per watched key for the page. */
  public static final int RECENT = 240;

  private final String pipeline;
  private final double[] levels;
  private final Map<String, Key> keys = new LinkedHashMap<>();

  /** One step of a watched key as kept for the page; {@code anomaly}: its actual was an anomaly. */
  public record Point(long start, double actual, double forecast, double[] lower, double[] upper, boolean anomaly) {
    /** A step that was no anomaly. */
    public Point(long start, double actual, double forecast, double[] lower, double[] upper) {
      this(start, actual, forecast, lower, upper, false);
    }
  }

  /** A watched key's recent steps (oldest first) and latest forecast (null while it warms up or is elsewhere). */
  public record View(String key, List<Point> points, Forecast latest) {}

  private static final class Key {
    final ArrayDeque<Point> recent = new ArrayDeque<>(RECENT);
    Point last;
    Forecast latest;

    synchronized double actual() {
      return last == null ? Double.NaN : last.actual();
    }

    synchronized double forecast() {
      return last == null ? Double.NaN : last.forecast();
    }

    synchronized double lower(int l) {
      return last == null ? Double.NaN : last.lower()[l];
    }

    synchronized double upper(int l) {
      return last == null ? Double.NaN : last.upper()[l];
    }

    synchronized void add(Point p, Forecast f) {
      if (recent.size() == RECENT) {
        recent.removeFirst();
      }
      recent.addLast(p);
      last = p;
      if (f != null) {
        latest = f;
      }
    }

    /** Marks the kept step that starts at {@code start} as an anomaly (a spike is found one step after it). */
    synchronized void mark(long start) {
      Point[] points = recent.toArray(Point[]::new);
      for (int i = points.length - 1; i >= 0; i--) {
        Point p = points[i];
        if (p.start() == start) {
          points[i] = new Point(p.start(), p.actual(), p.forecast(), p.lower(), p.upper(), true);
          recent.clear();
          recent.addAll(Arrays.asList(points));
          return;
        }
      }
    }

    synchronized View view(String key) {
      return new View(key, List.copyOf(recent), latest);
    }
  }

  /**
   * @param pipeline the pipeline
   * @param watch    the spec's watch list
   * @param levels   the spec's interval levels
   */
  public WatchedKeys(String pipeline, List<String> watch, List<Double> levels) {
    this.pipeline = pipeline;
    this.levels = levels.stream().mapToDouble(Double::doubleValue).toArray();
    watch.forEach(k -> keys.put(k, new Key()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Map.Entry<String, Key> e : keys.entrySet()) {
      Key k = e.getValue();
      Gauge.builder("streamcast.watch.actual", k, Key::actual).description("Latest actual of a watched key")
          .tag("pipeline", pipeline).tag("key", e.getKey()).strongReference(true).register(registry);
      Gauge.builder("streamcast.watch.forecast", k, Key::forecast)
          .description("One-step-ahead forecast made for a watched key's latest step")
          .tag("pipeline", pipeline).tag("key", e.getKey()).strongReference(true).register(registry);
      for (int l = 0; l < levels.length; l++) {
        int idx = l;
        String level = Forecast.Interval.levelText(levels[l]);
        Gauge.builder("streamcast.watch.lower", k, key -> key.lower(idx))
            .description("Lower bound of the interval around a watched key's one-step-ahead forecast")
            .tag("pipeline", pipeline).tag("key", e.getKey()).tag("level", level).strongReference(true)
            .register(registry);
        Gauge.builder("streamcast.watch.upper", k, key -> key.upper(idx))
            .description("Upper bound of the interval around a watched key's one-step-ahead forecast")
            .tag("pipeline", pipeline).tag("key", e.getKey()).tag("level", level).strongReference(true)
            .register(registry);
      }
    }
  }

  /** Records a step of a watched key (other keys are ignored). */
  void watched(PipelineObserver.Watched step) {
    Key k = keys.get(step.key());
    if (k != null) {
      k.add(new Point(step.start(), step.actual(), step.forecast(), step.lower(), step.upper(),
          step.anomalyStart() == step.start()), step.latest());
      if (step.anomalyStart() != PipelineObserver.Watched.NONE && step.anomalyStart() != step.start()) {
        k.mark(step.anomalyStart());
      }
    }
  }

  /** The interval levels. */
  public double[] levels() {
    return levels.clone();
  }

  /** Every watched key, in the spec's order. */
  public List<View> views() {
    List<View> out = new ArrayList<>(keys.size());
    keys.forEach((key, k) -> out.add(k.view(key)));
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return "WatchedKeys[" + pipeline + ", " + keys.keySet() + ", levels " + Arrays.toString(levels) + "]";
  }
}
