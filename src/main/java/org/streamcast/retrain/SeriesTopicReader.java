package org.streamcast.retrain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.KafkaUnreachableException;

/**
 * Reads the last {@code span} of a pipeline's series topic ({@code read_committed}). The span ends at the newest step
 * in the topic (record timestamps are step starts, i.e. event time, which may be years old for replayed history), and
 * its start is located in every partition with {@code offsetsForTimes}. Records that are not series steps are logged
 * with their coordinates and skipped. What is held is bounded ({@link Holding}): a fleet larger than the budget is
 * held as a seeded sample of keys.
 */
public final class SeriesTopicReader {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesTopicReader.class);
  private static final Duration POLL = Duration.ofMillis(500);
  /** How far back from a partition's end the newest timestamp is looked for (transaction markers take offsets). */
  private static final int TAIL = 200;
  /** Records that are not steps are logged with their coordinates up to this many per read, then counted. */
  private static final int MAX_SKIP_LOGS = 20;
  private static final JsonFactory JSON = new JsonFactory();

  /** Receives record counts and key counts while reading. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (read, total) -> { };

    void read(long read, long total);

    /** As {@link #read(long, long)}, with the keys seen so far and how many of them are held. */
    default void read(long read, long total, long keys, int held) {
      read(read, total);
    }
  }

  /**
   * How much history a read may hold: at most {@code maxBytes}; beyond it the keys held are a seeded sample
   * ({@link KeySample#priority}: the same keys and seed give the same sample, whatever order they are read in).
   */
  public record Holding(long maxBytes, long seed) {
    /** The spec's budget, capped at a quarter of this JVM's heap (the rest is for training). */
    public static Holding of(PipelineSpec.Training t) {
      return new Holding(Math.min(t.budget().maxHistoryBytes(), Runtime.getRuntime().maxMemory() / 4), t.seed());
    }
  }

  private SeriesTopicReader() {}

  /**
   * Reads the steps of the last {@code span} of {@code topic}, all keys within the default budget (for tests).
   *
   * @throws KafkaUnreachableException when the topic is missing or cannot be read
   */
  public static SeriesHistory read(Map<String, Object> clientProperties, String topic, Duration span, Duration step,
      Duration timeout, Progress progress) {
    return read(clientProperties, topic, span, step, timeout, progress,
        new Holding(Runtime.getRuntime().maxMemory() / 4, 0));
  }

  /**
   * Reads the steps of the last {@code span} of {@code topic} onto the grid of {@code step}, holding at most
   * {@code holding.maxBytes()}: each key costs {@code 4 × (span / step + 1)} bytes plus a little, so at most so many
   * keys are held, the sample of lowest priority; the others are counted, never held. Steps before the span are
   * left out. Running out of memory while reading halves the sample rather than failing.
   *
   * @throws KafkaUnreachableException when the topic is missing or no record arrives within {@code timeout}
   */
  public static SeriesHistory read(Map<String, Object> clientProperties, String topic, Duration span, Duration step,
      Duration timeout, Progress progress, Holding holding) {
    return read(clientProperties, topic, span, step, timeout, progress, holding, List.of());
  }

  /**
   * {@link #read(Map, String, Duration, Duration, Duration, Progress, Holding)} of a pipeline whose series records
   * carry {@code covariates} (by name; a record without one holds it missing); each covariate costs as much again as
   * the target.
   */
  public static SeriesHistory read(Map<String, Object> clientProperties, String topic, Duration span, Duration step,
      Duration timeout, Progress progress, Holding holding, List<String> covariates) {
    return read(clientProperties, topic, span, step, timeout, progress, holding, covariates, Long.MAX_VALUE);
  }

  /**
   * {@link #read(Map, String, Duration, Duration, Duration, Progress, Holding, List)} ignoring steps that start after
   * {@code latestMs}, e.g. the wall clock plus the pipeline's {@code window.maxFuture}: the pipeline never writes one
   * (it dead-letters such events), and one written by another hand must not end the span there: a single step dated
   * 9999 left every key without history, and retraining stopped for as long as the topic kept it.
   */
  public static SeriesHistory read(Map<String, Object> clientProperties, String topic, Duration span, Duration step,
      Duration timeout, Progress progress, Holding holding, List<String> covariates, long latestMs) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a reader never creates the topic it reads (a broker would create it with its defaults)
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamcast-retrainer-history");
    String bootstrap = String.valueOf(props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    int maxLength = (int) Math.min(Integer.MAX_VALUE - 16L, span.toMillis() / step.toMillis() + 1);
    long perKey = 4L * maxLength * (1 + covariates.size()) + SeriesHistory.KEY_OVERHEAD_BYTES;
    int capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, holding.maxBytes() / perKey));
    SeriesHistory.Builder history = new SeriesHistory.Builder(topic, step, maxLength, covariates.size());
    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaUnreachableException("topic " + topic + " does not exist at " + bootstrap
            + " (it is created when the pipeline first runs)", null);
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      long[] newestTimes = newestTimestamps(consumer, begin, end, latestMs, timeout);
      if (newestTimes[0] == Long.MIN_VALUE) {
        return history.build(0);
      }
      long newest = newestTimes[1];
      long oldest = newest - span.toMillis();
      // where the span starts in the log: by record time, but never later than the steps say (a record stamped with
      // a producer's clock would otherwise skip the pipeline's records of older event time)
      long oldestRecord = Math.min(newestTimes[0], newest) - span.toMillis();
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, oldestRecord));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
      long total = 0;
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp s = starts.get(p);
        long from = s == null ? end.get(p) : s.offset();
        consumer.seek(p, from);
        total += end.get(p) - from;
      }
      Sampler sampler = new Sampler(holding.seed(), capacity, history);
      long deadline = System.nanoTime() + timeout.toNanos();
      long seen = 0;
      long skipped = 0;
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnreachableException("could not read " + topic + " at " + bootstrap + " to its end: no record"
              + " for " + timeout.toSeconds() + " s", null);
        }
        var records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          deadline = System.nanoTime() + timeout.toNanos(); // a stall, not a long read, times out
        }
        for (ConsumerRecord<String, byte[]> r : records) {
          seen++;
          try {
            if (r.key() != null && !sampler.wants(r.key())) {
              continue;
            }
            StepRecord s = StepRecord.parse(r.value(), covariates);
            if (s != null && s.startMs() >= oldest && s.startMs() <= newest && sampler.wants(s.key())) {
              sampler.add(s.key(), s.startMs(), s.value(), s.covariates());
            }
          } catch (IOException | RuntimeException e) {
            if (skipped++ < MAX_SKIP_LOGS) {
              LOG.warn("skipping {}-{}@{}: not a series step record: {}", r.topic(), r.partition(), r.offset(),
                  e.getMessage());
            }
          }
        }
        progress.read(seen, total, sampler.fleet(), history.keyCount());
      }
      if (skipped > MAX_SKIP_LOGS) {
        LOG.warn("skipped {} records of {} that are not series steps ({} logged)", skipped, topic, MAX_SKIP_LOGS);
      }
      SeriesHistory h = history.build(sampler.fleet());
      if (h.keys().size() < h.fleetKeys()) {
        LOG.info("{}: held {} of {} keys ({} MiB, budget {} MiB, {} steps a key at most): a sample seeded {}", topic,
            h.keys().size(), h.fleetKeys(), h.bytes() >> 20, holding.maxBytes() >> 20, maxLength, holding.seed());
      }
      return h;
    }
  }

  /** Which keys are held: the {@code capacity} of lowest priority seen so far. */
  private static final class Sampler {
    private final long seed;
    private int capacity;
    private final SeriesHistory.Builder history;
    private final java.util.TreeMap<Long, String> held = new java.util.TreeMap<>();
    private final LongSet fleet = new LongSet();
    private String lastKey;
    private long lastPriority;

    Sampler(long seed, int capacity, SeriesHistory.Builder history) {
      this.seed = seed;
      this.capacity = capacity;
      this.history = history;
    }

    private long priority(String key) {
      if (!key.equals(lastKey)) {
        lastKey = key;
        lastPriority = KeySample.priority(seed, key);
      }
      return lastPriority;
    }

    boolean wants(String key) {
      long p = priority(key);
      fleet.add(p);
      return held.size() < capacity || p <= held.lastKey();
    }

    void add(String key, long startMs, double value, double[] covariates) {
      long p = priority(key);
      if (!history.holds(key)) {
        held.put(p, key);
        while (held.size() > capacity) {
          history.remove(held.pollLastEntry().getValue());
        }
        if (!key.equals(held.get(p))) {
          return; // it was the one of highest priority
        }
      }
      try {
        history.add(key, startMs, value, covariates);
      } catch (OutOfMemoryError e) {
        // the heap holds less than the budget said: halve the sample instead of failing
        capacity = Math.max(1, held.size() / 2);
        while (held.size() > capacity) {
          history.remove(held.pollLastEntry().getValue());
        }
        LOG.warn("out of memory while reading the history: holding {} keys from now on", capacity);
        if (history.holds(key)) {
          history.add(key, startMs, value, covariates);
        }
      }
    }

    long fleet() {
      return fleet.size();
    }
  }

  /** A set of longs without boxing (the fleet's key priorities, to count keys never held). */
  private static final class LongSet {
    private long[] slots = new long[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    void add(long v) {
      int mask = slots.length - 1;
      int i = (int) KeySample.mix(v) & mask;
      while (used[i]) {
        if (slots[i] == v) {
          return;
        }
        i = (i + 1) & mask;
      }
      used[i] = true;
      slots[i] = v;
      if (++size * 2 > slots.length) {
        long[] oldSlots = slots;
        boolean[] oldUsed = used;
        slots = new long[oldSlots.length * 2];
        used = new boolean[oldSlots.length * 2];
        size = 0;
        for (int j = 0; j < oldSlots.length; j++) {
          if (oldUsed[j]) {
            add(oldSlots[j]);
          }
        }
      }
    }

    int size() {
      return size;
    }
  }

  /** One series step as read: no {@code Instant} or object per field kept. */
  private record StepRecord(String key, long startMs, double value, double[] covariates) {
    private static final double[] NONE = new double[0];

    static StepRecord parse(byte[] bytes) throws IOException {
      return parse(bytes, List.of());
    }

    /** The record, with the covariates named {@code names} ({@code NaN} where one is missing or null). */
    static StepRecord parse(byte[] bytes, List<String> names) throws IOException {
      if (bytes == null) {
        return null;
      }
      String key = null;
      String ts = null;
      double value = Double.NaN;
      double[] covariates = names.isEmpty() ? NONE : new double[names.size()];
      java.util.Arrays.fill(covariates, Double.NaN);
      try (JsonParser p = JSON.createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          switch (field) {
            case "key" -> key = p.getValueAsString();
            case "ts" -> ts = p.getValueAsString();
            case "value" -> value = t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue();
            case "covariates" -> readCovariates(p, t, names, covariates);
            default -> p.skipChildren();
          }
        }
      }
      if (key == null || ts == null) {
        throw new IOException("no key or ts");
      }
      return new StepRecord(key, SeriesTopicReader.epochMillis(ts), value, covariates);
    }

    private static void readCovariates(JsonParser p, JsonToken t, List<String> names, double[] out)
        throws IOException {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int f = names.indexOf(p.currentName());
        JsonToken v = p.nextToken();
        if (f >= 0 && v.isNumeric()) {
          out[f] = p.getDoubleValue();
        } else {
          p.skipChildren();
        }
      }
    }

    /** {@code 2000-06-05T00:00:00Z} (what the writer writes) without a parser; anything else by {@code Instant}. */
    private static long epochMillis(String ts) {
      if (ts.length() == 20 && ts.charAt(4) == '-' && ts.charAt(7) == '-' && ts.charAt(10) == 'T'
          && ts.charAt(13) == ':' && ts.charAt(16) == ':' && ts.charAt(19) == 'Z') {
        try {
          long day = java.time.LocalDate.of(Integer.parseInt(ts, 0, 4, 10), Integer.parseInt(ts, 5, 7, 10),
              Integer.parseInt(ts, 8, 10, 10)).toEpochDay();
          int h = Integer.parseInt(ts, 11, 13, 10);
          int m = Integer.parseInt(ts, 14, 16, 10);
          int sec = Integer.parseInt(ts, 17, 19, 10);
          if (h < 24 && m < 60 && sec < 60) {
            return ((day * 24 + h) * 60 + m) * 60_000L + sec * 1000L;
          }
        } catch (RuntimeException e) {
          // not the plain form after all: the parser below decides
        }
      }
      return java.time.Instant.parse(ts).toEpochMilli();
    }
  }

  /** A step start as epoch milliseconds ({@link StepRecord}'s fast path). */
  static long epochMillis(String ts) {
    return StepRecord.epochMillis(ts);
  }

  /**
   * The newest record timestamp and the newest step start among each partition's last records: {@code {record,
   * step}}. The two differ when the series records were not written by the pipeline (a producer's wall-clock
   * timestamps): the record time locates the span's start in the log, the step time bounds the steps kept.
   */
  private static long[] newestTimestamps(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> begin,
      Map<TopicPartition, Long> end, long latestMs, Duration timeout) {
    long newest = Long.MIN_VALUE;
    long newestStep = Long.MIN_VALUE;
    for (TopicPartition p : end.keySet()) {
      if (end.get(p) <= begin.get(p)) {
        continue;
      }
      consumer.seek(p, Math.max(begin.get(p), end.get(p) - TAIL));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(consumer, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (r.timestamp() <= latestMs) {
          newest = Math.max(newest, r.timestamp());
        }
        try {
          StepRecord step = r.value() == null ? null : StepRecord.parse(r.value());
          if (step != null && step.startMs() <= latestMs) {
            newestStep = Math.max(newestStep, step.startMs());
          }
        } catch (IOException | RuntimeException e) {
          // not a step record: the read below logs it
        }
      }
    }
    return new long[] {newest, newestStep == Long.MIN_VALUE ? newest : newestStep};
  }

  private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
