package org.streamcast.model;

/**
 * The scalar {@link Kernel}: row arrays and plain loops, shaped for HotSpot C2's auto-vectorizer as explained on
 * {@link Kernels} (every array of a loop indexed from 0, hence the copies into the workspace's vectors).
 */
final class ScalarKernel implements Kernel {

  @Override
  public Gemv matrix(float[] rowMajor, int offset, int rows, int cols) {
    return new Gemv.Scalar(rowMajor, offset, rows, cols);
  }

  @Override
  public void sigmoidInPlace(float[] a, int off, int n) {
    Activations.sigmoidInPlace(a, off, n);
  }

  @Override
  public void tanhInPlace(float[] a, int off, int n) {
    Activations.tanhInPlace(a, off, n);
  }

  @Override
  public void lstmUpdate(float[] z, float[] state, int sOff, int h, Workspace ws) {
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
    for (int i = 0; i < h; i++) {
      c[i] = f[i] * c[i] + z[i] * g[i];
    }
    System.arraycopy(c, 0, hh, 0, h);
    Activations.tanhInPlace(hh, 0, h);
    System.arraycopy(z, 3 * h, f, 0, h);
    for (int i = 0; i < h; i++) {
      hh[i] = f[i] * hh[i];
    }
    System.arraycopy(hh, 0, state, sOff, h);
    System.arraycopy(c, 0, state, sOff + h, h);
  }

  @Override
  public void gruUpdate(float[] z, float[] zh, float[] state, int sOff, int h, Workspace ws) {
    for (int i = 0; i < 2 * h; i++) {
      z[i] += zh[i];
    }
    Activations.sigmoidInPlace(z, 0, 2 * h);
    float[] cand = ws.a;
    float[] hc = ws.b;
    float[] u = ws.c;
    float[] hh = ws.h;
    System.arraycopy(z, 2 * h, cand, 0, h);
    System.arraycopy(zh, 2 * h, hc, 0, h);
    for (int i = 0; i < h; i++) {
      cand[i] += z[i] * hc[i];
    }
    Activations.tanhInPlace(cand, 0, h);
    System.arraycopy(z, h, u, 0, h);
    System.arraycopy(state, sOff, hh, 0, h);
    for (int i = 0; i < h; i++) {
      hh[i] = u[i] * hh[i] + (1f - u[i]) * cand[i];
    }
    System.arraycopy(hh, 0, state, sOff, h);
  }

  @Override
  public String name() {
    return "scalar";
  }
}
