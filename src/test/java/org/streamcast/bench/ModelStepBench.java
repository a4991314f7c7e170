package org.streamcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.streamcast.model.CellType;
import org.streamcast.model.LayerWeights;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Workspace;

/**
 * Nanoseconds per key-step of the pure-Java serving step: one layer, head of 12 outputs, 256 keys stepped
 * round-robin (each with its own state), random weights of a realistic scale; {@code step} steps one key per call,
 * {@code stepTogether} a group of {@value RecurrentNetwork#BATCH} keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ModelStepBench {

  static final int KEYS = 256;
  static final int HORIZON = 12;

  @Param({"RNN", "LSTM", "GRU"})
  public String cell;

  @Param({"32", "64", "128"})
  public int hidden;

  @Param({"4", "8"})
  public int inputs;

  /** {@code active}: the JVM's kernel (the vector one with {@code --add-modules jdk.incubator.vector}); or scalar. */
  @Param({"active", "scalar"})
  public String kernel;

  RecurrentNetwork net;
  float[][] states;
  float[][] xs;
  float[] out;
  Workspace ws;
  int next;
  float[][] groupStates = new float[RecurrentNetwork.BATCH][];
  float[][] groupXs = new float[RecurrentNetwork.BATCH][];
  float[][] groupOuts = new float[RecurrentNetwork.BATCH][HORIZON];

  @Setup
  public void setUp() {
    net = randomNetwork(CellType.valueOf(cell), inputs, hidden, HORIZON, 42);
    if (kernel.equals("scalar")) {
      net = net.withScalarKernel();
    } else if (!kernel.equals("active")) {
      throw new IllegalArgumentException("kernel must be active or scalar, not " + kernel);
    }
    states = new float[KEYS][net.stateSize()];
    xs = new float[KEYS][net.inputSize()];
    Random r = new Random(7);
    for (float[] x : xs) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
    }
    out = new float[HORIZON];
    ws = net.newWorkspace();
  }

  /**
   * One key-step of a group of {@value RecurrentNetwork#BATCH} keys stepped together
   * ({@link RecurrentNetwork#stepAll}),
   * as the stream processor steps the keys whose windows close together.
   */
  @Benchmark
  @OperationsPerInvocation(RecurrentNetwork.BATCH)
  public float stepTogether() {
    int k = next;
    next = (k + RecurrentNetwork.BATCH) & (KEYS - 1);
    System.arraycopy(states, k, groupStates, 0, RecurrentNetwork.BATCH);
    System.arraycopy(xs, k, groupXs, 0, RecurrentNetwork.BATCH);
    net.stepAll(groupStates, groupXs, groupOuts, RecurrentNetwork.BATCH, ws);
    return groupOuts[0][0];
  }

  @Benchmark
  public float step() {
    int k = next;
    next = (k + 1) & (KEYS - 1);
    net.step(states[k], xs[k], out, ws);
    return out[0];
  }

  /** A one-layer network with weights drawn from N(0, 1/fanIn). */
  static RecurrentNetwork randomNetwork(CellType type, int inputs, int hidden, int horizon, long seed) {
    Random r = new Random(seed);
    int gh = type.gates() * hidden;
    List<LayerWeights> layers = new ArrayList<>();
    layers.add(new LayerWeights(inputs, hidden, gaussian(r, inputs * gh, inputs),
        gaussian(r, hidden * gh, hidden), gaussian(r, gh, 10)));
    return new RecurrentNetwork(type, inputs, 0, horizon, layers, gaussian(r, hidden * horizon, hidden),
        gaussian(r, horizon, 10));
  }

  static float[] gaussian(Random r, int n, int fanIn) {
    float[] a = new float[n];
    double s = 1.0 / Math.sqrt(fanIn);
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * s);
    }
    return a;
  }
}
