package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.streamcast.model.CellType;
import org.streamcast.model.RecurrentNetwork;
import org.streamcast.model.Workspace;

/**
 * The serving step reproduces the trained DL4J network: each cell type (two stacked layers, with head inputs) is
 * trained briefly on a synthetic task, then a 1,000-step sequence runs through DL4J ({@code output} over the whole
 * sequence; the GRU in segments carrying its state) and through {@link RecurrentNetwork#step}, with the JVM's kernel
 * and with the scalar one; every output at every step must agree within 1e-5.
 */
class FaithfulnessTest {

  static final int STEPS = 1000;

  @ParameterizedTest
  @EnumSource(CellType.class)
  void shouldMatchDl4jWithin1e5WhenSteppedThousandSteps(CellType cell) {
    // Two stacked layers for every cell.
    Architecture arch = new Architecture(cell, 4, 3, 16, 2, 3);
    TrainingOptions opts = new TrainingOptions(7, 0.01, 1.0, 0, 0);
    int window = 24;
    ComputationGraph trained = NetworkFactory.build(arch, opts, window, 0);
    Random r = new Random(1);
    // Brief training (SameDiff runs a GRU iteration far slower than DL4J runs an LSTM one).
    for (int it = 0, n = cell == CellType.GRU ? 10 : 30; it < n; it++) {
      float[][][] batch = sequences(r, 16, window, arch);
      trained.fit(new MultiDataSet(new INDArray[] {ncw(batch[0], 4), ncw(batch[1], 3)}, new INDArray[] {ncw(batch[2], 3)}));
    }
    // The GRU's DL4J twin runs the 1,000 steps in segments of 100 carrying its state (GruSegments, as truncated BPTT
    // trains): a 1,000-step SameDiff graph (about 15 ops per step and layer, built op by op) is slow to define.
    ComputationGraph twin = cell == CellType.GRU ? NetworkFactory.build(arch, opts, STEPS / 10, 0, true)
        : NetworkFactory.build(arch, opts, STEPS, 0);
    twin.setParams(trained.params());
    RecurrentNetwork serving = ParamExport.toServing(trained, arch);

    float[][][] seq = sequences(new Random(99), 1, STEPS, arch);
    INDArray dl4j = GruSegments.output(twin, arch, new INDArray[] {ncw(seq[0], 4), ncw(seq[1], 3)});
    // The kernel this JVM serves with (the vector one in the build), and the scalar one every JVM has.
    for (RecurrentNetwork net : List.of(serving, serving.withScalarKernel())) {
      float[] state = net.newState();
      float[] input = new float[net.inputSize()];
      float[] out = new float[arch.horizon()];
      Workspace ws = net.newWorkspace();
      double maxDiff = 0;
      double maxOut = 0;
      for (int t = 0; t < STEPS; t++) {
        for (int i = 0; i < arch.recurrentInputs(); i++) {
          input[i] = seq[0][0][i * STEPS + t];
        }
        for (int i = 0; i < arch.headInputs(); i++) {
          input[arch.recurrentInputs() + i] = seq[1][0][i * STEPS + t];
        }
        net.step(state, input, out, ws);
        for (int k = 0; k < arch.horizon(); k++) {
          double expected = dl4j.getDouble(0, k, t);
          maxDiff = Math.max(maxDiff, Math.abs(expected - out[k]));
          maxOut = Math.max(maxOut, Math.abs(expected));
        }
      }
      System.out.printf("faithfulness %s, %s kernel: max abs diff %.3e over %d steps (max |output| %.3f)%n", cell,
          net.kernel(), maxDiff, STEPS, maxOut);
      assertTrue(maxOut > 0.1, "outputs are degenerate");
      assertTrue(maxDiff <= 1e-5, cell + ", " + net.kernel() + " kernel: max abs diff " + maxDiff);
    }
  }

  static float[][][] sequences(Random r, int batch, int steps, Architecture arch) {
    float[][][] out = new float[3][batch][];
    for (int b = 0; b < batch; b++) {
      double phase = r.nextDouble() * 6.28;
      double[] y = new double[steps + arch.horizon()];
      for (int t = 0; t < y.length; t++) {
        y[t] = Math.sin(phase + t * 0.3) + 0.5 * Math.sin(phase * 2 + t * 0.05) + 0.1 * r.nextGaussian();
      }
      float[] x = new float[arch.recurrentInputs() * steps];
      float[] head = new float[arch.headInputs() * steps];
      float[] labels = new float[arch.horizon() * steps];
      for (int t = 0; t < steps; t++) {
        x[t] = (float) y[t];
        for (int i = 1; i < arch.recurrentInputs(); i++) {
          x[i * steps + t] = (float) Math.cos(t * 0.1 * i);
        }
        for (int i = 0; i < arch.headInputs(); i++) {
          head[i * steps + t] = (float) (t >= 20 ? y[t + 1 + i - 20] : y[t]);
        }
        for (int k = 0; k < arch.horizon(); k++) {
          labels[k * steps + t] = (float) y[t + k + 1];
        }
      }
      out[0][b] = x;
      out[1][b] = head;
      out[2][b] = labels;
    }
    return out;
  }

  static INDArray ncw(float[][] rows, int features) {
    int batch = rows.length;
    int per = rows[0].length;
    float[] flat = new float[batch * per];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(rows[b], 0, flat, b * per, per);
    }
    return Nd4j.create(flat, new long[] {batch, features, per / features}, 'c').castTo(DataType.FLOAT);
  }
}
