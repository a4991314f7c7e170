package org.streamcast.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Anomaly;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.topology.TopologySerdes;

/**
 * The demo's compact live view: follows a pipeline's series, forecasts and dead-letter topics (read_committed) and
 * prints, every few seconds, one line per key: steps seen, the latest actual, the forecast made for it one step
 * earlier, and the latest forecasts at h=1 and h=H with the model that made them and the source that served each
 * horizon ({@code learned 1-6, naive 7-12}: the learned output, or the baseline live protection fell back to); with
 * the pipeline's anomalies topic, the key's anomalies and the latest ({@code 3, last spike 06-20 10:30}).
 */
final class LiveView implements AutoCloseable {
  private static final int MAX_KEYS = 8;

  private final PipelineSpec spec;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Row> rows = new TreeMap<>();
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong forecasts = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong anomalies = new AtomicLong();

  private static final class Row {
    long steps;
    Step lastStep;
    Forecast latest;
    Forecast previous;
    long anomalies;
    Anomaly lastAnomaly;
  }

  LiveView(PipelineSpec spec, Map<String, Object> clientProperties) {
    this.spec = spec;
    Map<String, Object> props = new java.util.HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "streamcast-demo-view-" + spec.name());
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<String> topics = new java.util.ArrayList<>(List.of(spec.output().series(), spec.output().forecasts(),
        spec.output().deadLetters()));
    if (spec.output().anomalies() != null) {
      topics.add(spec.output().anomalies());
    }
    consumer.subscribe(topics);
    thread = new Thread(this::poll, "streamcast-demo-view");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    var stepSerde = StepSerde.json().deserializer();
    var forecastSerde = TopologySerdes.forecastJson().deserializer();
    var anomalySerde = TopologySerdes.anomalyJson().deserializer();
    while (running.get()) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        synchronized (rows) {
          if (r.topic().equals(spec.output().series())) {
            Step s = stepSerde.deserialize(r.topic(), r.value());
            Row row = rows.computeIfAbsent(s.key(), k -> new Row());
            row.steps++;
            row.lastStep = s;
            steps.incrementAndGet();
          } else if (r.topic().equals(spec.output().forecasts())) {
            Forecast f = forecastSerde.deserialize(r.topic(), r.value());
            Row row = rows.computeIfAbsent(f.key(), k -> new Row());
            row.previous = row.latest;
            row.latest = f;
            forecasts.incrementAndGet();
          } else if (r.topic().equals(spec.output().anomalies())) {
            Anomaly a = anomalySerde.deserialize(r.topic(), r.value());
            Row row = rows.computeIfAbsent(a.key(), k -> new Row());
            row.anomalies++;
            row.lastAnomaly = a;
            anomalies.incrementAndGet();
          } else {
            deadLetters.incrementAndGet();
          }
        }
      }
    }
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
  }

  /** Steps, forecasts and dead letters seen so far. */
  long[] counts() {
    return new long[] {steps.get(), forecasts.get(), deadLetters.get()};
  }

  /** Prints the current view. */
  void print(PrintWriter out, long produced, long total) {
    synchronized (rows) {
      out.printf(Locale.ROOT, "-- %s: %,d/%,d events produced, %,d steps, %,d forecasts, %,d anomalies, %,d dead "
          + "letters%n", spec.name(), produced, total, steps.get(), forecasts.get(), anomalies.get(),
          deadLetters.get());
      out.printf(Locale.ROOT, "   %-24s %7s %-20s %12s %12s %12s %12s  %-36s %s%n", "key", "steps", "last step",
          "actual", "forecast@-1", "next h=1", "next h=" + spec.model().horizon(), "model: source per horizon",
          "anomalies");
      int shown = 0;
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        if (shown++ == MAX_KEYS) {
          out.printf("   ... and %d more keys%n", rows.size() - MAX_KEYS);
          break;
        }
        Row row = e.getValue();
        String madeBefore = "";
        if (row.previous != null && row.lastStep != null
            && row.previous.points().get(0).time().equals(row.lastStep.start())) {
          madeBefore = fmt(row.previous.points().get(0).value());
        }
        List<Forecast.Point> pts = row.latest == null ? List.of() : row.latest.points();
        out.printf(Locale.ROOT, "   %-24s %7d %-20s %12s %12s %12s %12s  %-36s %s%n", shorten(e.getKey()), row.steps,
            row.lastStep == null ? "" : row.lastStep.start().toString().replace(":00Z", "Z"),
            row.lastStep == null ? "" : fmt(row.lastStep.value()), madeBefore,
            pts.isEmpty() ? "warming up" : fmt(pts.get(0).value()),
            pts.isEmpty() ? "" : fmt(pts.get(pts.size() - 1).value()),
            row.latest == null ? "" : label(row.latest), anomalies(row.anomalies, row.lastAnomaly));
      }
      out.flush();
    }
  }

  /** {@code gru v17: learned 1-6, naive 7-12}. */
  static String label(Forecast f) {
    return f.model() + " v" + f.modelVersion() + ": " + f.servedBy();
  }

  /** {@code 3, last spike 06-20 10:30}: a key's anomalies so far and the latest one's kind and step (UTC). */
  static String anomalies(long count, Anomaly last) {
    if (count == 0 || last == null) {
      return count == 0 ? "" : String.valueOf(count);
    }
    String at = last.ts().toString();
    return count + ", last " + last.kind() + " " + at.substring(5, 10) + " " + at.substring(11, 16);
  }

  private static String shorten(String key) {
    return key.length() <= 24 ? key : key.substring(0, 21) + "...";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%,.0f" : "%.2f", v);
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
