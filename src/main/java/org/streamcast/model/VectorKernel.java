package org.streamcast.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector {@link Kernel} (see there for when it is used). Compiled in a build step of its own because javac 17
 * warns about every use of an incubator module and cannot be told not to; nothing else names this class (it is
 * loaded by reflection), so the rest of the code runs without the module.
 *
 * <p>Matrix layout: the columns are cut into blocks of {@value #BLOCK} vectors (then single vectors for the rest,
 * padded with zero weights to whole vectors). Within a block the rows follow each other, so one pass over the inputs
 * reads the block's weights as one sequential stream while its {@value #BLOCK} accumulators stay in registers; the
 * accumulators are loaded from and stored to {@code z} once per block. Single vectors use four accumulators over
 * rows {@code j mod 4}, summed at the end, so the pass is not bound by the latency of one chain of multiply-adds.
 *
 * <p>Activations: the {@link Activations} formulas with the same operations in the same order (fused
 * multiply-adds where the scalar code has {@code Math.fma}), so each lane gives the bits of the scalar function (up to the sign of a zero).
 */
final class VectorKernel implements Kernel {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int BLOCK = 4;

  @Override
  public Gemv matrix(float[] rowMajor, int offset, int rows, int cols) {
    return new Matrix(rowMajor, offset, rows, cols);
  }

  @Override
  public String name() {
    return L >= 8 && L <= Gemv.PAD && Gemv.PAD % L == 0 ? "vector (" + L + " floats)" : null;
  }

  @Override
  public void tanhInPlace(float[] a, int off, int n) {
    activate(a, off, n, 1f, 1f, 0f);
    for (int i = off + n - n % L; i < off + n; i++) {
      a[i] = Activations.tanh(a[i]);
    }
  }

  @Override
  public void sigmoidInPlace(float[] a, int off, int n) {
    activate(a, off, n, 0.5f, 0.5f, 0.5f);
    for (int i = off + n - n % L; i < off + n; i++) {
      a[i] = Activations.sigmoid(a[i]);
    }
  }

  @Override
  public void lstmUpdate(float[] z, float[] state, int sOff, int h, Workspace ws) {
    sigmoidInPlace(z, 0, 2 * h);
    tanhInPlace(z, 2 * h, h);
    sigmoidInPlace(z, 3 * h, h);
    float[] t = ws.h;
    int whole = h - h % L;
    int cOff = sOff + h;
    for (int i = 0; i < whole; i += L) {
      FloatVector f = FloatVector.fromArray(S, z, h + i);
      FloatVector c = FloatVector.fromArray(S, state, cOff + i);
      FloatVector in = FloatVector.fromArray(S, z, i);
      FloatVector g = FloatVector.fromArray(S, z, 2 * h + i);
      FloatVector next = f.mul(c).add(in.mul(g));
      next.intoArray(state, cOff + i);
      next.intoArray(t, i);
    }
    for (int i = whole; i < h; i++) {
      t[i] = z[h + i] * state[cOff + i] + z[i] * z[2 * h + i];
      state[cOff + i] = t[i];
    }
    tanhInPlace(t, 0, h);
    for (int i = 0; i < whole; i += L) {
      FloatVector.fromArray(S, z, 3 * h + i).mul(FloatVector.fromArray(S, t, i)).intoArray(state, sOff + i);
    }
    for (int i = whole; i < h; i++) {
      state[sOff + i] = z[3 * h + i] * t[i];
    }
  }

  @Override
  public void gruUpdate(float[] z, float[] zh, float[] state, int sOff, int h, Workspace ws) {
    int wholeGates = 2 * h - 2 * h % L;
    for (int i = 0; i < wholeGates; i += L) {
      FloatVector.fromArray(S, z, i).add(FloatVector.fromArray(S, zh, i)).intoArray(z, i);
    }
    for (int i = wholeGates; i < 2 * h; i++) {
      z[i] += zh[i];
    }
    sigmoidInPlace(z, 0, 2 * h);
    float[] t = ws.h;
    int whole = h - h % L;
    for (int i = 0; i < whole; i += L) {
      FloatVector r = FloatVector.fromArray(S, z, i);
      FloatVector.fromArray(S, z, 2 * h + i).add(r.mul(FloatVector.fromArray(S, zh, 2 * h + i))).intoArray(t, i);
    }
    for (int i = whole; i < h; i++) {
      t[i] = z[2 * h + i] + z[i] * zh[2 * h + i];
    }
    tanhInPlace(t, 0, h);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int i = 0; i < whole; i += L) {
      FloatVector u = FloatVector.fromArray(S, z, h + i);
      FloatVector prev = FloatVector.fromArray(S, state, sOff + i);
      u.mul(prev).add(one.sub(u).mul(FloatVector.fromArray(S, t, i))).intoArray(state, sOff + i);
    }
    for (int i = whole; i < h; i++) {
      float u = z[h + i];
      state[sOff + i] = u * state[sOff + i] + (1f - u) * t[i];
    }
  }

  /**
   * {@code a[i] = shift + scale·tanh(inScale·a[i])} over the whole vectors of {@code a[off .. off+n)}, with the
   * {@link Activations#tanh} formula; tanh is {@code (1, 1, 0)}, the sigmoid {@code (0.5, 0.5, 0.5)}. One method with
   * no vector argument or result: a vector that crosses a call C2 did not inline is boxed on the heap.
   */
  private static void activate(float[] a, int off, int n, float inScale, float scale, float shift) {
    for (int i = off, end = off + n - n % L; i < end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i).mul(inScale).min(Activations.CLAMP).max(-Activations.CLAMP);
      FloatVector s = x.mul(x);
      FloatVector p = s.fma(Activations.P4, Activations.P3).fma(s, FloatVector.broadcast(S, Activations.P2))
          .fma(s, FloatVector.broadcast(S, Activations.P1)).fma(s, FloatVector.broadcast(S, Activations.P0));
      FloatVector q = s.fma(Activations.Q4, Activations.Q3).fma(s, FloatVector.broadcast(S, Activations.Q2))
          .fma(s, FloatVector.broadcast(S, Activations.Q1)).fma(s, FloatVector.broadcast(S, 1f));
      x.mul(p).div(q).mul(scale).add(shift).intoArray(a, i);
    }
  }

  /** A matrix in the block layout described on the class. */
  static final class Matrix extends Gemv {

    private final float[] packed;
    /** Vectors per block, in column order: {@value #BLOCK}s, then 1s. */
    private final int[] blockVectors;
    private final int vectorCols;

    Matrix(float[] rowMajor, int offset, int rows, int cols) {
      super(rows, cols);
      this.vectorCols = (cols + L - 1) / L * L;
      int vectors = vectorCols / L;
      int blocks = vectors / BLOCK;
      this.blockVectors = new int[blocks + vectors % BLOCK];
      java.util.Arrays.fill(blockVectors, 0, blocks, BLOCK);
      java.util.Arrays.fill(blockVectors, blocks, blockVectors.length, 1);
      this.packed = new float[rows * vectorCols];
      int p = 0;
      int c = 0;
      for (int v : blockVectors) {
        for (int j = 0; j < rows; j++) {
          for (int k = c; k < c + v * L; k++) {
            packed[p++] = k < cols ? rowMajor[offset + j * cols + k] : 0f;
          }
        }
        c += v * L;
      }
    }

    @Override
    void accumulate(float[] x, int xOff, float[] z, boolean backwards) {
      int n = blockVectors.length;
      if (!backwards) {
        for (int i = 0, c = 0; i < n; c += blockVectors[i] * L, i++) {
          block(x, xOff, z, blockVectors[i], c);
        }
      } else {
        for (int i = n - 1, c = vectorCols; i >= 0; i--) {
          c -= blockVectors[i] * L;
          block(x, xOff, z, blockVectors[i], c);
        }
      }
    }

    /**
     * Block by block, and within a block key by key: the block's weights (at most {@value #BLOCK} vectors wide, 18 KB
     * for 72 rows of 16 floats) are read from L2 once and then from L1 for every other key.
     */
    @Override
    void accumulateAll(float[][] xs, int xOff, float[][] zs, int n, boolean backwards) {
      int blocks = blockVectors.length;
      for (int s = 0, c = backwards ? vectorCols : 0; s < blocks; s++) {
        int i = backwards ? blocks - 1 - s : s;
        if (backwards) {
          c -= blockVectors[i] * L;
        }
        int b = 0;
        if (blockVectors[i] == BLOCK) {
          for (; b + 1 < n; b += 2) {
            fourTwice(xs[b], xs[b + 1], xOff, zs[b], zs[b + 1], c, c * rows);
          }
        }
        for (; b < n; b++) {
          block(xs[b], xOff, zs[b], blockVectors[i], c);
        }
        if (!backwards) {
          c += blockVectors[i] * L;
        }
      }
    }

    private void block(float[] x, int xOff, float[] z, int vectors, int c) {
      int p = c * rows;
      if (vectors == BLOCK) {
        four(x, xOff, z, c, p);
      } else {
        single(x, xOff, z, c, p);
      }
    }

    /** The {@value #BLOCK} vectors of columns from {@code c}, whose weights start at {@code p}. */
    private void four(float[] x, int xOff, float[] z, int c, int p) {
      FloatVector a0 = FloatVector.fromArray(S, z, c);
      FloatVector a1 = FloatVector.fromArray(S, z, c + L);
      FloatVector a2 = FloatVector.fromArray(S, z, c + 2 * L);
      FloatVector a3 = FloatVector.fromArray(S, z, c + 3 * L);
      for (int j = 0; j < rows; j++) {
        int q = p + j * BLOCK * L;
        FloatVector b = FloatVector.broadcast(S, x[xOff + j]);
        a0 = FloatVector.fromArray(S, packed, q).fma(b, a0);
        a1 = FloatVector.fromArray(S, packed, q + L).fma(b, a1);
        a2 = FloatVector.fromArray(S, packed, q + 2 * L).fma(b, a2);
        a3 = FloatVector.fromArray(S, packed, q + 3 * L).fma(b, a3);
      }
      a0.intoArray(z, c);
      a1.intoArray(z, c + L);
      a2.intoArray(z, c + 2 * L);
      a3.intoArray(z, c + 3 * L);
    }

    /**
     * {@link #four} for two keys in one pass: each weight vector is loaded once for both, so the pass is bound by the
     * multiply-adds rather than the loads. Each key's sums are formed as {@link #four} forms them.
     */
    private void fourTwice(float[] x, float[] y, int xOff, float[] z, float[] w, int c, int p) {
      FloatVector a0 = FloatVector.fromArray(S, z, c);
      FloatVector a1 = FloatVector.fromArray(S, z, c + L);
      FloatVector a2 = FloatVector.fromArray(S, z, c + 2 * L);
      FloatVector a3 = FloatVector.fromArray(S, z, c + 3 * L);
      FloatVector d0 = FloatVector.fromArray(S, w, c);
      FloatVector d1 = FloatVector.fromArray(S, w, c + L);
      FloatVector d2 = FloatVector.fromArray(S, w, c + 2 * L);
      FloatVector d3 = FloatVector.fromArray(S, w, c + 3 * L);
      for (int j = 0; j < rows; j++) {
        int q = p + j * BLOCK * L;
        FloatVector bx = FloatVector.broadcast(S, x[xOff + j]);
        FloatVector by = FloatVector.broadcast(S, y[xOff + j]);
        FloatVector w0 = FloatVector.fromArray(S, packed, q);
        FloatVector w1 = FloatVector.fromArray(S, packed, q + L);
        FloatVector w2 = FloatVector.fromArray(S, packed, q + 2 * L);
        FloatVector w3 = FloatVector.fromArray(S, packed, q + 3 * L);
        a0 = w0.fma(bx, a0);
        a1 = w1.fma(bx, a1);
        a2 = w2.fma(bx, a2);
        a3 = w3.fma(bx, a3);
        d0 = w0.fma(by, d0);
        d1 = w1.fma(by, d1);
        d2 = w2.fma(by, d2);
        d3 = w3.fma(by, d3);
      }
      a0.intoArray(z, c);
      a1.intoArray(z, c + L);
      a2.intoArray(z, c + 2 * L);
      a3.intoArray(z, c + 3 * L);
      d0.intoArray(w, c);
      d1.intoArray(w, c + L);
      d2.intoArray(w, c + 2 * L);
      d3.intoArray(w, c + 3 * L);
    }

    /** The one vector of columns from {@code c}, whose weights start at {@code p}. */
    private void single(float[] x, int xOff, float[] z, int c, int p) {
      FloatVector a0 = FloatVector.fromArray(S, z, c);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = FloatVector.zero(S);
      FloatVector a3 = FloatVector.zero(S);
      int j = 0;
      for (; j + 3 < rows; j += 4, p += 4 * L) {
        a0 = FloatVector.fromArray(S, packed, p).fma(FloatVector.broadcast(S, x[xOff + j]), a0);
        a1 = FloatVector.fromArray(S, packed, p + L).fma(FloatVector.broadcast(S, x[xOff + j + 1]), a1);
        a2 = FloatVector.fromArray(S, packed, p + 2 * L).fma(FloatVector.broadcast(S, x[xOff + j + 2]), a2);
        a3 = FloatVector.fromArray(S, packed, p + 3 * L).fma(FloatVector.broadcast(S, x[xOff + j + 3]), a3);
      }
      for (; j < rows; j++, p += L) {
        a0 = FloatVector.fromArray(S, packed, p).fma(FloatVector.broadcast(S, x[xOff + j]), a0);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(z, c);
    }

    @Override
    float[] rowMajor() {
      float[] out = new float[rows * cols];
      int p = 0;
      int c = 0;
      for (int v : blockVectors) {
        for (int j = 0; j < rows; j++) {
          for (int k = c; k < c + v * L; k++, p++) {
            if (k < cols) {
              out[j * cols + k] = packed[p];
            }
          }
        }
        c += v * L;
      }
      return out;
    }
  }
}
