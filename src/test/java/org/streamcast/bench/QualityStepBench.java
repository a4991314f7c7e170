package org.streamcast.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.streamcast.quality.Intervals;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.PipelineScores;
import org.streamcast.quality.ScoredHorizons;

/**
 * Nanoseconds per key-step of live scoring as the forecast processor does it: score the key's pending forecasts
 * against the new actual (into its own window and the pipeline's), compute the conformal half-widths of its next
 * forecast at two levels for every horizon (from its own full window of 50 residuals: the costliest case), and file
 * the forecast as pending; and the round trip of one key's scores through bytes. 256 keys round-robin, two interval
 * levels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@State(Scope.Thread)
public class QualityStepBench {
  static final int KEYS = 256;

  @Param({"12", "48", "336"})
  public int horizon;

  KeyScores[] keys;
  PipelineScores pipeline;
  Intervals intervals;
  double[][] half;
  double[] forecast;
  Random random;
  int next;

  @Setup
  public void setUp() {
    ScoredHorizons scored = ScoredHorizons.of(horizon);
    pipeline = new PipelineScores(scored, List.of(0.8, 0.95));
    intervals = new Intervals(pipeline);
    half = intervals.newOutput();
    forecast = new double[horizon];
    random = new Random(7);
    keys = new KeyScores[KEYS];
    for (int k = 0; k < KEYS; k++) {
      keys[k] = new KeyScores();
      keys[k].shape(scored, 2);
    }
    for (int t = 0; t < horizon + KeyScores.WINDOW + 5; t++) {
      for (int k = 0; k < KEYS; k++) {
        step(k);
      }
    }
  }

  private double step(int k) {
    KeyScores key = keys[k];
    double actual = random.nextGaussian();
    key.observe(actual, pipeline, new double[0], 0);
    intervals.halfWidths(key, half);
    key.issue(actual, forecast, half);
    return half[1][horizon - 1];
  }

  /** Writing one key's scores to bytes and reading them back, as the state store does on every step. */
  @Benchmark
  public long writeAndRead() {
    KeyScores k = keys[next];
    next = (next + 1) % KEYS;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(k.serializedSize());
    k.write(b);
    b.flip();
    return KeyScores.read(b).ordinal() + b.capacity();
  }

  @Benchmark
  public double scoreAndIssue() {
    int k = next;
    next = (next + 1) % KEYS;
    return step(k);
  }
}
