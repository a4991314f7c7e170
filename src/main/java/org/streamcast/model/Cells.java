package org.streamcast.model;

/**
 * One step of each cell type (equations on {@link CellType}) for one layer. Each method reads the layer input
 * {@code x[xOff .. xOff+inputs)} and the layer's state at {@code state[sOff ..]} ({@code h}, then {@code c} for the
 * LSTM) and overwrites that state with the new one. The layout of the loops is explained on {@link Kernels}.
 */
final class Cells {

  private Cells() {}

  /** One layer's weights as row arrays: {@code wx[j]} and {@code wh[j]} are {@code gates·hidden} long. */
  record Layer(int inputs, int hidden, float[][] wx, float[][] wh, float[] b) {}

  static void rnn(Layer l, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    int h = l.hidden();
    float[] z = ws.z;
    System.arraycopy(l.b(), 0, z, 0, h);
    Kernels.gemvAccumulate(l.wx(), x, xOff, z, h);
    Kernels.gemvAccumulate(l.wh(), state, sOff, z, h);
    Activations.tanhInPlace(z, 0, h);
    System.arraycopy(z, 0, state, sOff, h);
  }

  static void lstm(Layer l, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    int h = l.hidden();
    float[] z = ws.z;
    System.arraycopy(l.b(), 0, z, 0, 4 * h);
    Kernels.gemvAccumulate(l.wx(), x, xOff, z, 4 * h);
    Kernels.gemvAccumulate(l.wh(), state, sOff, z, 4 * h);
    Activations.sigmoidInPlace(z, 0, 2 * h);
    Activations.tanhInPlace(z, 2 * h, h);
    Activations.sigmoidInPlace(z, 3 * h, h);
    float[] f = ws.a;
    float[] g = ws.b;
    float[] c = ws.c;
    float[] hh = ws.h;
    System.arraycopy(z, h, f, 0, h);
    System.arraycopy(z, 2 * h, g, 0, h);
    System.arraycopy(state, sOff + h, c, 0, h);
    for (int k = 0; k < h; k++) {
      c[k] = f[k] * c[k] + z[k] * g[k];
    }
    System.arraycopy(z, 3 * h, f, 0, h);
    for (int k = 0; k < h; k++) {
      hh[k] = f[k] * Activations.tanh(c[k]);
    }
    System.arraycopy(hh, 0, state, sOff, h);
    System.arraycopy(c, 0, state, sOff + h, h);
  }

  static void gru(Layer l, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    int h = l.hidden();
    int gh = 3 * h;
    float[] z = ws.z;
    float[] zh = ws.zh;
    System.arraycopy(l.b(), 0, z, 0, gh);
    Kernels.gemvAccumulate(l.wx(), x, xOff, z, gh);
    java.util.Arrays.fill(zh, 0, gh, 0f);
    Kernels.gemvAccumulate(l.wh(), state, sOff, zh, gh);
    for (int k = 0; k < 2 * h; k++) {
      z[k] = Activations.sigmoid(z[k] + zh[k]);
    }
    float[] cand = ws.a;
    float[] hc = ws.b;
    float[] u = ws.c;
    float[] hh = ws.h;
    System.arraycopy(z, 2 * h, cand, 0, h);
    System.arraycopy(zh, 2 * h, hc, 0, h);
    for (int k = 0; k < h; k++) {
      cand[k] = Activations.tanh(cand[k] + z[k] * hc[k]);
    }
    System.arraycopy(z, h, u, 0, h);
    System.arraycopy(state, sOff, hh, 0, h);
    for (int k = 0; k < h; k++) {
      hh[k] = u[k] * hh[k] + (1f - u[k]) * cand[k];
    }
    System.arraycopy(hh, 0, state, sOff, h);
  }
}
