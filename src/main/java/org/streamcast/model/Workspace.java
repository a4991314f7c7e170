package org.streamcast.model;

/**
 * Per-thread scratch memory for {@link RecurrentNetwork#step}: hold one per thread (or per caller) and reuse it for
 * every step, so that stepping allocates nothing. Not thread-safe. Make it with
 * {@link RecurrentNetwork#newWorkspace()}; a workspace fits every network with the same or smaller sizes.
 */
public final class Workspace {

  /** Gate accumulators, {@code gates·hidden} (and the head's outputs), {@link Gemv#padded padded}. */
  final float[] z;
  /** Recurrent gate accumulators of the GRU, {@code gates·hidden}, padded. */
  final float[] zh;
  /** Per-gate and state copies, each {@code hidden}: the element-wise loops index every array from 0. */
  final float[] a;
  final float[] b;
  final float[] c;
  final float[] h;

  /** @param gateWidth the widest accumulator: {@code gates·hidden} of the widest layer, or the horizon */
  /** Direction of the recurrent matrix products ({@link Gemv#accumulate}): alternates step by step. */
  private boolean backwards;

  Workspace(int gateWidth, int hidden) {
    this.z = new float[Gemv.padded(gateWidth)];
    this.zh = new float[Gemv.padded(gateWidth)];
    this.a = new float[hidden];
    this.b = new float[hidden];
    this.c = new float[hidden];
    this.h = new float[hidden];
  }

  /** Flips the direction: once per network step. */
  void flip() {
    backwards = !backwards;
  }

  boolean backwards() {
    return backwards;
  }

  boolean fits(int gateWidth, int hidden) {
    return z.length >= Gemv.padded(gateWidth) && a.length >= hidden;
  }
}
