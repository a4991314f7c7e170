package org.streamcast.model;

/**
 * One step of each cell type (equations on {@link CellType}) for one layer, for keys {@code 0 .. n−1} of a batch at
 * once. For each key {@code b}, each method reads the layer input {@code xs[b][xOff .. xOff+inputs)} and the layer's
 * state at {@code states[b][sOff ..]} ({@code h}, then {@code c} for the LSTM) and overwrites that state with the new
 * one. The matrix products are {@link Gemv}'s, which may walk the weights once for the whole batch; the element-wise
 * updates are the kernel's, key by key. A key's result does not depend on the other keys of its batch.
 */
final class Cells {

  private Cells() {}

  /** One layer's weights: {@code wx} is {@code [inputs][gates·hidden]}, {@code wh} {@code [hidden][gates·hidden]}. */
  record Layer(int inputs, int hidden, Gemv wx, Gemv wh, float[] b) {}

  static void rnn(Layer l, Kernel k, float[][] xs, int xOff, float[][] states, int sOff, int n, Workspace ws) {
    int h = l.hidden();
    products(l, xs, xOff, states, sOff, n, ws, ws.zs);
    for (int b = 0; b < n; b++) {
      k.tanhInPlace(ws.zs[b], 0, h);
      System.arraycopy(ws.zs[b], 0, states[b], sOff, h);
    }
  }

  static void lstm(Layer l, Kernel k, float[][] xs, int xOff, float[][] states, int sOff, int n, Workspace ws) {
    products(l, xs, xOff, states, sOff, n, ws, ws.zs);
    for (int b = 0; b < n; b++) {
      k.lstmUpdate(ws.zs[b], states[b], sOff, l.hidden(), ws);
    }
  }

  static void gru(Layer l, Kernel k, float[][] xs, int xOff, float[][] states, int sOff, int n, Workspace ws) {
    int gh = 3 * l.hidden();
    for (int b = 0; b < n; b++) {
      java.util.Arrays.fill(ws.zhs[b], 0, gh, 0f);
    }
    products(l, xs, xOff, states, sOff, n, ws, ws.zhs);
    for (int b = 0; b < n; b++) {
      k.gruUpdate(ws.zs[b], ws.zhs[b], states[b], sOff, l.hidden(), ws);
    }
  }

  /**
   * {@code zs[b] = b + x·Wx} and {@code recurrent[b] += h·Wh} for every key; the RNN and LSTM add both into
   * {@code zs}, the GRU keeps the recurrent part apart (its reset gate multiplies it).
   */
  private static void products(Layer l, float[][] xs, int xOff, float[][] states, int sOff, int n, Workspace ws,
      float[][] recurrent) {
    int width = l.b().length;
    for (int b = 0; b < n; b++) {
      System.arraycopy(l.b(), 0, ws.zs[b], 0, width);
    }
    l.wx().accumulateAll(xs, xOff, ws.zs, n, false);
    l.wh().accumulateAll(states, sOff, recurrent, n, ws.backwards());
  }
}
