package org.streamcast.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.utils.Utils;

/**
 * The benchmark's events: {@code keys} series keys, {@code eventsPerStep} events per key per step (evenly spaced
 * within the step), in rounds of one event per key in a fixed key order, so event {@code i} is key {@code i % keys}
 * in round {@code i / keys}, which is step {@code i / keys / eventsPerStep}. Every event reaches
 * the model (the worst case). Values are a daily cycle per key with noise; all of it is a pure function of the key
 * index, the step and the seed. Events look like those of {@code streamcast produce}:
 * {@code {"key":"s-000042","ts":"2024-01-01T05:00:00Z","value":123.456}}, with the series key as record key and
 * the event time as record timestamp.
 */
public final class Workload {
  private final int keys;
  private final int eventsPerStep;
  private final int partitions;
  private final long seed;
  private final String[] names;
  private final int[] partitionOf;
  private final int[] firstKeyOf;
  private final double[] base;
  private final double[] amplitude;
  private final double[] phase;

  /**
   * @param keys       series keys
   * @param partitions partitions of the input topic; a key's partition is the one Kafka's default partitioner picks
   *                   for its record key (murmur2), which is also where Kafka Streams repartitions it
   * @param seed       seed of the values
   */
  public Workload(int keys, int partitions, long seed) {
    this(keys, partitions, seed, 1);
  }

  /** A workload of {@code eventsPerStep} events per key per step; the window aggregates them into one step. */
  public Workload(int keys, int partitions, long seed, int eventsPerStep) {
    if (eventsPerStep < 1) {
      throw new IllegalArgumentException("events per step " + eventsPerStep + " is not positive");
    }
    this.keys = keys;
    this.eventsPerStep = eventsPerStep;
    this.partitions = partitions;
    this.seed = seed;
    this.names = new String[keys];
    this.partitionOf = new int[keys];
    this.firstKeyOf = new int[partitions];
    this.base = new double[keys];
    this.amplitude = new double[keys];
    this.phase = new double[keys];
    Arrays.fill(firstKeyOf, -1);
    for (int k = 0; k < keys; k++) {
      names[k] = String.format(Locale.ROOT, "s-%06d", k);
      int p = partitionFor(names[k], partitions);
      partitionOf[k] = p;
      if (firstKeyOf[p] < 0) {
        firstKeyOf[p] = k;
      }
      base[k] = 50 + 100 * unit(mix(seed, k, -1));
      amplitude[k] = base[k] * (0.1 + 0.2 * unit(mix(seed, k, -2)));
      phase[k] = 2 * Math.PI * unit(mix(seed, k, -3));
    }
  }

  /** The partition Kafka's default partitioner gives a record key among {@code partitions}. */
  public static int partitionFor(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  public int keys() {
    return keys;
  }

  public int partitions() {
    return partitions;
  }

  /** Events per key per step. */
  public int eventsPerStep() {
    return eventsPerStep;
  }

  /** The key of event {@code i}. */
  public int keyOf(int i) {
    return i % keys;
  }

  /** The step of event {@code i}. */
  public int stepOfEvent(int i) {
    return i / keys / eventsPerStep;
  }

  /** The event time of event {@code i} (epoch ms): its step's start plus its place among the step's events. */
  public long eventTimeOf(int i) {
    int within = (i / keys) % eventsPerStep;
    return eventTime(stepOfEvent(i)) + within * (BenchSpec.STEP.toMillis() / eventsPerStep);
  }

  /** The JSON event {@code i}: its key's value at its step, varied by its place within the step. */
  public String jsonOf(int i) {
    int k = keyOf(i);
    int within = (i / keys) % eventsPerStep;
    double v = within == 0 ? value(k, stepOfEvent(i)) : Math.round(value(k, stepOfEvent(i)) * (1000 + within)) / 1000.0;
    return "{\"key\":\"" + names[k] + "\",\"ts\":\"" + Instant.ofEpochMilli(eventTimeOf(i)) + "\",\"value\":" + v
        + "}";
  }

  /** The name of key {@code k}. */
  public String key(int k) {
    return names[k];
  }

  /** The index of a key name, or -1 if it is not one of this workload's. */
  public int keyIndex(String key) {
    if (key == null || key.length() != 8 || !key.startsWith("s-")) {
      return -1;
    }
    int k = 0;
    for (int i = 2; i < 8; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      k = k * 10 + (c - '0');
    }
    return k < keys ? k : -1;
  }

  /** The partition of key {@code k}. */
  public int partition(int k) {
    return partitionOf[k];
  }

  /** The first key (in sending order) of partition {@code p} within a step, or -1 if no key maps to it. */
  public int firstKeyOf(int p) {
    return firstKeyOf[p];
  }

  /** The event time of step {@code step} (epoch ms); every event of the step carries it. */
  public static long eventTime(int step) {
    return BenchSpec.START.toEpochMilli() + step * BenchSpec.STEP.toMillis();
  }

  /** The step of an event time. */
  public static int stepOf(long eventTimeMs) {
    return (int) Math.floorDiv(eventTimeMs - BenchSpec.START.toEpochMilli(), BenchSpec.STEP.toMillis());
  }

  /** The value of key {@code k} at step {@code step}: a daily cycle plus 2% noise, three decimals. */
  public double value(int k, int step) {
    double cycle = Math.sin(2 * Math.PI * (step % 24) / 24.0 + phase[k]);
    double noise = 2 * unit(mix(seed, k, step)) - 1;
    return Math.round((base[k] + amplitude[k] * cycle + 0.02 * base[k] * noise) * 1000) / 1000.0;
  }

  /** The JSON event of key {@code k} at step {@code step}. */
  public String json(int k, int step) {
    return "{\"key\":\"" + names[k] + "\",\"ts\":\"" + Instant.ofEpochMilli(eventTime(step)) + "\",\"value\":"
        + value(k, step) + "}";
  }

  private static long mix(long seed, int k, int step) {
    long z = seed + 0x9E3779B97F4A7C15L * (k + 1) + 0xC2B2AE3D27D4EB4FL * (step + 7L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
