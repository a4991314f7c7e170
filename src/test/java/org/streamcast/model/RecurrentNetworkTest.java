package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RecurrentNetworkTest {

  @ParameterizedTest
  @EnumSource(CellType.class)
  void shouldFollowTextbookEquationsWhenSteppedThousandTimes(CellType type) {
    RecurrentNetwork net = TestNetworks.random(type, 5, 6, new int[] {24, 16}, 3, 11);
    float[] state = net.newState();
    double[] ref = new double[net.stateSize()];
    float[] out = new float[3];
    double[] refOut = new double[3];
    Workspace ws = net.newWorkspace();
    Random r = new Random(3);
    float[] x = new float[net.inputSize()];
    double maxDiff = 0;
    for (int t = 0; t < 1000; t++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (Math.sin(t * 0.05 * (i + 1)) + 0.3 * r.nextGaussian());
      }
      net.step(state, x, out, ws);
      TestNetworks.referenceStep(net, ref, x, refOut);
      for (int k = 0; k < 3; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(out[k] - refOut[k]));
      }
      for (int k = 0; k < state.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(state[k] - ref[k]));
      }
    }
    assertTrue(maxDiff < 1e-5, type + ": max abs diff " + maxDiff);
    assertTrue(maxDiff > 0, "float and double paths cannot agree exactly");
  }

  @Test
  void shouldAllocateNothingWhenSteppingOnceCompiled() {
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, 4, 2, new int[] {32}, 4, 5);
    float[] state = net.newState();
    float[] x = {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
    float[] out = new float[4];
    Workspace ws = net.newWorkspace();
    assertAllocatesNothing(net.kernel() + " step", () -> net.step(state, x, out, ws));
    int keys = 20;
    float[][] states = new float[keys][net.stateSize()];
    float[][] xs = new float[keys][];
    java.util.Arrays.fill(xs, x);
    float[][] outs = new float[keys][4];
    assertAllocatesNothing(net.kernel() + " stepAll", () -> net.stepAll(states, xs, outs, keys, ws));
  }

  /**
   * The vector kernel allocates until C2 has compiled it (interpreted Vector API code boxes every vector), so rounds
   * of 10,000 calls run until one allocates nothing, or fail after 50.
   */
  private static void assertAllocatesNothing(String what, Runnable call) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<Long> rounds = new ArrayList<>();
    long allocated = Long.MAX_VALUE;
    while (allocated >= 1024 && rounds.size() < 50) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        call.run();
      }
      allocated = mx.getCurrentThreadAllocatedBytes() - before;
      rounds.add(allocated);
    }
    System.out.println(what + " rounds " + rounds);
    assertTrue(allocated < 1024, what + ": bytes allocated per round of 10,000 calls " + rounds);
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void shouldGiveSingleStepBitsWhenSteppingKeysTogether(CellType type) {
    // Two layers (whole blocks, single vectors and scalar tails), head inputs; groups of 16 with a remainder.
    RecurrentNetwork vector = TestNetworks.random(type, 5, 2, new int[] {64, 20}, 12, 7);
    for (RecurrentNetwork net : List.of(vector, vector.withScalarKernel())) {
      int keys = 37;
      float[][] together = new float[keys][net.stateSize()];
      float[][] alone = new float[keys][net.stateSize()];
      float[][] xs = new float[keys][net.inputSize()];
      float[][] outsTogether = new float[keys][12];
      float[][] outsAlone = new float[keys][12];
      Workspace batchWs = net.newWorkspace();
      Workspace singleWs = net.newWorkspace(1);
      Random r = new Random(5);
      for (int t = 0; t < 300; t++) {
        int n = 1 + (t * 7) % keys; // 1 to all keys, so groups of every size and direction
        for (float[] x : xs) {
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
          }
        }
        net.stepAll(together, xs, outsTogether, n, batchWs);
        for (int b = 0; b < n; b++) {
          net.step(alone[b], xs[b], outsAlone[b], singleWs);
        }
        for (int b = 0; b < n; b++) {
          String where = net.kernel() + " " + type + " step " + t + " key " + b + " of " + n;
          assertArrayEquals(outsAlone[b], outsTogether[b], 0f, where);
          assertArrayEquals(alone[b], together[b], 0f, where);
        }
      }
      assertTrue(Math.abs(together[0][0]) > 0, "the states moved");
    }
  }

  @Test
  void shouldGiveIdenticalResultsWhenSharedByManyThreads() throws Exception {
    RecurrentNetwork net = TestNetworks.random(CellType.GRU, 4, 0, new int[] {16}, 2, 9);
    float[] expected = run(net, 1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> run(net, 1)));
      }
      for (Future<float[]> f : results) {
        assertArrayEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] run(RecurrentNetwork net, int seed) {
    float[] state = net.newState();
    float[] out = new float[net.horizon()];
    Workspace ws = net.newWorkspace();
    Random r = new Random(seed);
    float[] x = new float[net.inputSize()];
    for (int t = 0; t < 5000; t++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      net.step(state, x, out, ws);
    }
    return out;
  }

  @Test
  void shouldRejectMismatchedShapesWhenBuilt() {
    RecurrentNetwork ok = TestNetworks.random(CellType.RNN, 3, 0, new int[] {4}, 1, 1);
    List<LayerWeights> layers = ok.layers();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RecurrentNetwork(CellType.LSTM, 3, 0, 1, layers, ok.headWeights(), ok.headBiases()));
    assertTrue(e.getMessage().contains("expected 48"), e.getMessage());
    assertEquals(4, ok.stateSize());
    assertEquals(2 * (3 * 4 + 4 * 4) + 2 * 4, ok.flopsPerStep());
  }

  @Test
  void shouldExposeStateLayoutWhenStacked() {
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, 3, 0, new int[] {8, 5}, 2, 1);
    assertEquals(2 * 8 + 2 * 5, net.stateSize());
    assertArrayEquals(new int[] {8, 5}, net.hiddenSizes());
    assertEquals(3, net.inputSize());
  }
}
