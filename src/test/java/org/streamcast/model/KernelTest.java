package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vector kernel against the scalar one. The build runs the tests with {@code --add-modules
 * jdk.incubator.vector}, so the vector kernel must be the active one here (on any x86-64 with AVX2).
 */
class KernelTest {

  private static final Kernel VECTOR = Kernel.vector().orElseThrow(
      () -> new AssertionError("no vector kernel: the tests must run with --add-modules jdk.incubator.vector"));
  private static final Kernel SCALAR = Kernel.scalar();

  @Test
  void shouldServeWithVectorKernelWhenJvmHasVectorModule() {
    assertEquals(VECTOR, Kernel.active());
    assertTrue(VECTOR.name().startsWith("vector ("), VECTOR.name());
    assertEquals("scalar", TestNetworks.random(CellType.GRU, 3, 0, new int[] {8}, 2, 1).withScalarKernel().kernel());
  }

  @ParameterizedTest
  @CsvSource({"0, 12", "3, 12", "72, 12", "72, 192", "72, 256", "40, 96", "7, 50", "5, 200", "1, 1", "64, 17"})
  void shouldMatchDoubleProductAndKeepWeightsWhenShapeIsAnyRowsByCols(int rows, int cols) {
    Random r = new Random(rows * 1000L + cols);
    float[] w = TestNetworks.gaussian(r, 3 + rows * cols, 0.2);
    float[] x = TestNetworks.gaussian(r, 2 + rows, 1.0);
    for (Kernel k : new Kernel[] {VECTOR, SCALAR}) {
      Gemv m = k.matrix(w, 3, rows, cols);
      assertArrayEquals(java.util.Arrays.copyOfRange(w, 3, 3 + rows * cols), m.rowMajor(), k.name());
      float[] forwards = new float[Gemv.padded(cols)];
      float[] backwards = new float[Gemv.padded(cols)];
      for (int c = 0; c < cols; c++) {
        forwards[c] = c * 0.01f;
        backwards[c] = c * 0.01f;
      }
      m.accumulate(x, 2, forwards, false);
      m.accumulate(x, 2, backwards, true);
      for (int c = 0; c < cols; c++) {
        double expected = c * 0.01;
        for (int j = 0; j < rows; j++) {
          expected += (double) x[2 + j] * w[3 + j * cols + c];
        }
        assertEquals(expected, forwards[c], 1e-5, k.name() + " column " + c);
        assertEquals(forwards[c], backwards[c], 0f, k.name() + ": the direction must not change any sum");
      }
    }
  }

  @Test
  void shouldGiveScalarBitsWhenActivatingAnyLength() {
    for (int n : new int[] {1, 15, 16, 17, 64, 100}) {
      float[] v = new float[n + 3];
      float[] s = new float[n + 3];
      for (int i = 0; i < v.length; i++) {
        v[i] = (i - v.length / 2f) * 0.37f;
        s[i] = v[i];
      }
      VECTOR.tanhInPlace(v, 2, n);
      SCALAR.tanhInPlace(s, 2, n);
      assertArrayEquals(s, v, 0f, "tanh over " + n);
      VECTOR.sigmoidInPlace(v, 1, n);
      SCALAR.sigmoidInPlace(s, 1, n);
      assertArrayEquals(s, v, 0f, "sigmoid over " + n);
    }
    float[] grid = new float[20_001];
    float[] expected = new float[grid.length];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (i - 10_000) * 0.0013f;
      expected[i] = Activations.tanh(grid[i]);
    }
    VECTOR.tanhInPlace(grid, 0, grid.length);
    assertArrayEquals(expected, grid, 0f);
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void shouldStayWithin1e5OfScalarKernelWhenSteppedThousandSteps(CellType type) {
    // Two layers of odd sizes (whole vectors, single vectors and scalar tails), head inputs, horizon 12.
    RecurrentNetwork vector = TestNetworks.random(type, 5, 2, new int[] {64, 20}, 12, 3);
    RecurrentNetwork scalar = vector.withScalarKernel();
    assertTrue(vector.kernel().startsWith("vector"), vector.kernel());
    float[] sv = vector.newState();
    float[] ss = scalar.newState();
    float[] ov = new float[12];
    float[] os = new float[12];
    Workspace wv = vector.newWorkspace();
    Workspace ws = scalar.newWorkspace();
    Random r = new Random(11);
    float[] x = new float[vector.inputSize()];
    double maxDiff = 0;
    for (int t = 0; t < 1000; t++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (Math.sin(t * 0.05 * (i + 1)) + 0.3 * r.nextGaussian());
      }
      vector.step(sv, x, ov, wv);
      scalar.step(ss, x, os, ws);
      for (int k = 0; k < 12; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(ov[k] - os[k]));
      }
      for (int k = 0; k < sv.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(sv[k] - ss[k]));
      }
    }
    System.out.printf("%s: vector against scalar kernel, max abs diff %.3e over 1,000 steps%n", type, maxDiff);
    assertTrue(maxDiff <= 1e-5, type + ": max abs diff " + maxDiff);
    assertTrue(maxDiff > 0, "the kernels add in different orders, so they cannot agree exactly");
  }
}
