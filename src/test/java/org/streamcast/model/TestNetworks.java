package org.streamcast.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic random networks and a plain double-precision reference step written from the textbook equations. */
public final class TestNetworks {

  private TestNetworks() {}

  public static RecurrentNetwork random(CellType type, int inputs, int headInputs, int[] hidden, int horizon,
      long seed) {
    Random r = new Random(seed);
    List<LayerWeights> layers = new ArrayList<>();
    int in = inputs;
    for (int h : hidden) {
      int gh = type.gates() * h;
      layers.add(new LayerWeights(in, h, gaussian(r, in * gh, 1.0 / Math.sqrt(in)),
          gaussian(r, h * gh, 1.0 / Math.sqrt(h)), gaussian(r, gh, 0.3)));
      in = h;
    }
    return new RecurrentNetwork(type, inputs, headInputs, horizon, layers,
        gaussian(r, (in + headInputs) * horizon, 1.0 / Math.sqrt(in)), gaussian(r, horizon, 0.1));
  }

  static float[] gaussian(Random r, int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * sd);
    }
    return a;
  }

  /** Reference step in double precision with exact tanh/exp; same state layout as the network. */
  static void referenceStep(RecurrentNetwork net, double[] state, float[] input, double[] out) {
    List<LayerWeights> layers = net.layers();
    double[] x = new double[net.recurrentInputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = input[i];
    }
    int off = 0;
    for (LayerWeights l : layers) {
      int h = l.hidden();
      int g = net.type().gates();
      double[] zx = new double[g * h];
      double[] zh = new double[g * h];
      for (int k = 0; k < g * h; k++) {
        zx[k] = l.b()[k];
        for (int j = 0; j < l.inputs(); j++) {
          zx[k] += x[j] * l.wx()[j * g * h + k];
        }
        for (int j = 0; j < h; j++) {
          zh[k] += state[off + j] * l.wh()[j * g * h + k];
        }
      }
      double[] hNew = new double[h];
      for (int k = 0; k < h; k++) {
        switch (net.type()) {
          case RNN -> hNew[k] = Math.tanh(zx[k] + zh[k]);
          case LSTM -> {
            double i = sig(zx[k] + zh[k]);
            double f = sig(zx[h + k] + zh[h + k]);
            double gg = Math.tanh(zx[2 * h + k] + zh[2 * h + k]);
            double o = sig(zx[3 * h + k] + zh[3 * h + k]);
            double c = f * state[off + h + k] + i * gg;
            state[off + h + k] = c;
            hNew[k] = o * Math.tanh(c);
          }
          case GRU -> {
            double rr = sig(zx[k] + zh[k]);
            double u = sig(zx[h + k] + zh[h + k]);
            double c = Math.tanh(zx[2 * h + k] + rr * zh[2 * h + k]);
            hNew[k] = u * state[off + k] + (1 - u) * c;
          }
          default -> throw new IllegalStateException();
        }
      }
      System.arraycopy(hNew, 0, state, off, h);
      x = hNew;
      off += net.type().stateVectors() * h;
    }
    float[] w = net.headWeights();
    float[] b = net.headBiases();
    int top = x.length;
    for (int k = 0; k < net.horizon(); k++) {
      double s = b[k];
      for (int j = 0; j < top; j++) {
        s += x[j] * w[j * net.horizon() + k];
      }
      for (int j = 0; j < net.headInputs(); j++) {
        s += input[net.recurrentInputs() + j] * w[(top + j) * net.horizon() + k];
      }
      out[k] = s;
    }
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
