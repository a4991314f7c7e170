package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationsTest {

  @Test
  void shouldStayWithinDocumentedErrorWhenComparedWithExactFunctionsOnDenseGrid() {
    double maxTanh = 0;
    double maxSig = 0;
    double sumTanh = 0;
    int n = 0;
    for (int i = -2_000_000; i <= 2_000_000; i++) {
      float x = i * 1e-5f;
      maxTanh = Math.max(maxTanh, Math.abs(Activations.tanh(x) - Math.tanh(x)));
      maxSig = Math.max(maxSig, Math.abs(Activations.sigmoid(x) - 1 / (1 + Math.exp(-x))));
      if (x > 0 && x < 9) {
        sumTanh += Activations.tanh(x) - Math.tanh(x);
        n++;
      }
    }
    assertTrue(maxTanh < 4e-7, "tanh max abs error " + maxTanh);
    assertTrue(maxSig < 2.2e-7, "sigmoid max abs error " + maxSig);
    assertTrue(Math.abs(sumTanh / n) < 5e-8, "tanh mean error " + sumTanh / n);
  }

  @Test
  void shouldSaturateWhenInputIsLargeOrInfinite() {
    assertEquals(1f, Activations.tanh(50f), 2e-7f);
    assertEquals(-1f, Activations.tanh(Float.NEGATIVE_INFINITY), 2e-7f);
    assertEquals(1f, Activations.sigmoid(1e6f), 2e-7f);
    assertEquals(0f, Activations.sigmoid(-40f), 2e-7f);
    assertEquals(0f, Activations.tanh(0f));
    assertEquals(0.5f, Activations.sigmoid(0f));
  }

  @Test
  void shouldMatchScalarFunctionsWhenAppliedToArrays() {
    float[] a = new float[100];
    float[] b = new float[100];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i - 50) * 0.37f;
      b[i] = a[i];
    }
    Activations.tanhInPlace(a, 10, 80);
    Activations.sigmoidInPlace(b, 10, 80);
    assertEquals((i0(-40)), a[10], 0f);
    for (int i = 10; i < 90; i++) {
      assertEquals(Activations.tanh((i - 50) * 0.37f), a[i], 0f);
      assertEquals(Activations.sigmoid((i - 50) * 0.37f), b[i], 0f);
    }
    assertEquals(-50 * 0.37f, a[0], 0f);
  }

  private static float i0(int i) {
    return Activations.tanh(i * 0.37f);
  }
}
