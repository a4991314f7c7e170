package org.streamcast.model;

/**
 * One step of each cell type (equations on {@link CellType}) for one layer. Each method reads the layer input
 * {@code x[xOff .. xOff+inputs)} and the layer's state at {@code state[sOff ..]} ({@code h}, then {@code c} for the
 * LSTM) and overwrites that state with the new one. The matrix products are {@link Gemv}'s; the
 * element-wise updates are the kernel's.
 */
final class Cells {

  private Cells() {}

  /** One layer's weights: {@code wx} is {@code [inputs][gates·hidden]}, {@code wh} {@code [hidden][gates·hidden]}. */
  record Layer(int inputs, int hidden, Gemv wx, Gemv wh, float[] b) {}

  static void rnn(Layer l, Kernel k, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    int h = l.hidden();
    float[] z = ws.z;
    System.arraycopy(l.b(), 0, z, 0, h);
    l.wx().accumulate(x, xOff, z);
    l.wh().accumulate(state, sOff, z, ws.backwards());
    k.tanhInPlace(z, 0, h);
    System.arraycopy(z, 0, state, sOff, h);
  }

  static void lstm(Layer l, Kernel k, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    float[] z = ws.z;
    System.arraycopy(l.b(), 0, z, 0, 4 * l.hidden());
    l.wx().accumulate(x, xOff, z);
    l.wh().accumulate(state, sOff, z, ws.backwards());
    k.lstmUpdate(z, state, sOff, l.hidden(), ws);
  }

  static void gru(Layer l, Kernel k, float[] x, int xOff, float[] state, int sOff, Workspace ws) {
    int gh = 3 * l.hidden();
    float[] z = ws.z;
    float[] zh = ws.zh;
    System.arraycopy(l.b(), 0, z, 0, gh);
    l.wx().accumulate(x, xOff, z);
    java.util.Arrays.fill(zh, 0, gh, 0f);
    l.wh().accumulate(state, sOff, zh, ws.backwards());
    k.gruUpdate(z, zh, state, sOff, l.hidden(), ws);
  }
}
