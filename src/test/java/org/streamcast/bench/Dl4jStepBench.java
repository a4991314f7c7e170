package org.streamcast.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.streamcast.model.CellType;
import org.streamcast.training.Architecture;
import org.streamcast.training.NetworkFactory;
import org.streamcast.training.TrainingOptions;

/**
 * The DL4J per-key serving path for comparison with {@link ModelStepBench}: one {@code rnnTimeStep} of batch 1 per
 * key-step, restoring the key's state before and saving it after (keys stepped round-robin), with the best flags
 * (ParallelGC, {@code maxPhysicalBytes=0}). The GRU has no DL4J per-key path (a SameDiff layer cannot
 * {@code rnnTimeStep}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
@State(Scope.Thread)
public class Dl4jStepBench {

  static final int KEYS = 16;

  @Param({"RNN", "LSTM"})
  public String cell;

  @Param({"32", "64", "128"})
  public int hidden;

  @Param({"8"})
  public int inputs;

  ComputationGraph net;
  INDArray[] x;
  java.util.List<Map<String, INDArray>> states;
  int next;

  @Setup
  public void setUp() {
    Architecture arch = new Architecture(CellType.valueOf(cell), inputs, 0, hidden, 1, ModelStepBench.HORIZON);
    net = NetworkFactory.build(arch, new TrainingOptions(1, 0.01, 0, 0, 0), 1, 0);
    x = new INDArray[KEYS];
    states = new java.util.ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      x[k] = Nd4j.rand(DataType.FLOAT, 1, inputs, 1);
      net.rnnClearPreviousState();
      net.rnnTimeStep(x[k]);
      states.add(copy(net.rnnGetPreviousState(NetworkFactory.layerName(0))));
    }
  }

  static Map<String, INDArray> copy(Map<String, INDArray> s) {
    Map<String, INDArray> out = new HashMap<>();
    s.forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  @Benchmark
  public INDArray step() {
    int k = next;
    next = (k + 1) % KEYS;
    String layer = NetworkFactory.layerName(0);
    net.rnnSetPreviousState(layer, states.get(k));
    INDArray out = net.rnnTimeStep(x[k])[0];
    states.set(k, copy(net.rnnGetPreviousState(layer)));
    return out;
  }
}
