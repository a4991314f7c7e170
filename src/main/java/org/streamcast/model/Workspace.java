package org.streamcast.model;

/**
 * Per-thread scratch memory for {@link RecurrentNetwork#step} and {@link RecurrentNetwork#stepAll}: hold one per
 * thread (or per caller) and reuse it for every step, so that stepping allocates nothing. Not thread-safe. Make it
 * with {@link RecurrentNetwork#newWorkspace()}; a workspace fits every network with the same or smaller sizes.
 */
public final class Workspace {

  /** Gate accumulators of each key of a batch, {@code gates·hidden} (and the head's outputs), {@link Gemv#padded}. */
  final float[][] zs;
  /** Recurrent gate accumulators of the GRU for each key of a batch, {@code gates·hidden}, padded. */
  final float[][] zhs;
  /** Per-gate and state copies, each {@code hidden}: the element-wise loops index every array from 0. */
  final float[] a;
  final float[] b;
  final float[] c;
  final float[] h;
  /** The arrays of the keys being stepped (references, set by {@link RecurrentNetwork} for each group). */
  final float[][] states;
  final float[][] inputs;
  final float[][] outs;
  /** Direction of the recurrent matrix products ({@link Gemv#accumulate}): alternates step by step. */
  private boolean backwards;

  /**
   * @param gateWidth the widest accumulator: {@code gates·hidden} of the widest layer, or the horizon
   * @param hidden    the widest layer
   * @param batch     keys stepped together by {@link RecurrentNetwork#stepAll} (at least 1)
   */
  Workspace(int gateWidth, int hidden, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, not " + batch);
    }
    this.zs = new float[batch][Gemv.padded(gateWidth)];
    this.zhs = new float[batch][Gemv.padded(gateWidth)];
    this.states = new float[batch][];
    this.inputs = new float[batch][];
    this.outs = new float[batch][];
    this.a = new float[hidden];
    this.b = new float[hidden];
    this.c = new float[hidden];
    this.h = new float[hidden];
  }

  /** Keys one pass of {@link RecurrentNetwork#stepAll} steps together. */
  public int batch() {
    return zs.length;
  }

  /** Flips the direction: once per network step (or batch of steps). */
  void flip() {
    backwards = !backwards;
  }

  boolean backwards() {
    return backwards;
  }

  boolean fits(int gateWidth, int hidden) {
    return zs[0].length >= Gemv.padded(gateWidth) && a.length >= hidden;
  }
}
