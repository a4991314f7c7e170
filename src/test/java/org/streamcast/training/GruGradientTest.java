package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The GRU layer's gradient (ND4J automatic differentiation) against central finite differences, in double. */
class GruGradientTest {

  private DataType previous;

  @BeforeEach
  void doublePrecision() {
    previous = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterEach
  void restore() {
    Nd4j.setDefaultDataTypes(previous, previous);
  }

  private static SameDiff graph() {
    return graph(false);
  }

  /** With {@code initialState}, the layer starts from a variable {@code h0} (a segment of truncated BPTT). */
  private static SameDiff graph(boolean initialState) {
    int nIn = 3;
    int hidden = 4;
    int steps = 5;
    int batch = 2;
    Nd4j.getRandom().setSeed(12345);
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.var("in", Nd4j.randn(DataType.DOUBLE, batch, nIn, steps));
    SDVariable wx = sd.var("Wx", Nd4j.randn(DataType.DOUBLE, nIn, 3L * hidden).muli(0.6));
    SDVariable wh = sd.var("Wh", Nd4j.randn(DataType.DOUBLE, hidden, 3L * hidden).muli(0.6));
    SDVariable b = sd.var("b", Nd4j.randn(DataType.DOUBLE, 1, 3L * hidden).muli(0.3));
    SDVariable h0 = initialState ? sd.var("h0", Nd4j.randn(DataType.DOUBLE, batch, hidden).muli(0.5)) : null;
    SDVariable out = GruLayer.define(sd, in, wx, wh, b, hidden, steps, h0);
    SDVariable label = sd.var("label", Nd4j.randn(DataType.DOUBLE, batch, hidden, steps));
    SDVariable loss = sd.loss().meanSquaredError("loss", label, out, null);
    sd.setLossVariables(loss);
    return sd;
  }

  @Test
  void shouldPassNd4jGradientCheckWhenGruBuiltFromPrimitiveOps() {
    SameDiff sd = graph();
    boolean ok = GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false);
    assertTrue(ok, "ND4J GradCheckUtil failed for the GRU layer");
  }

  @Test
  void shouldPassNd4jGradientCheckWhenGruStartsFromAGivenState() {
    SameDiff sd = graph(true);
    boolean ok = GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false);
    assertTrue(ok, "ND4J GradCheckUtil failed for the GRU layer with an initial state");
  }

  @Test
  void shouldMatchFiniteDifferencesWhenMeasuredPerParameter() {
    SameDiff sd = graph();
    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "Wx", "Wh", "b", "in");
    double maxRel = 0;
    double maxAbs = 0;
    int checked = 0;
    double eps = 1e-6;
    for (String name : new String[] {"Wx", "Wh", "b", "in"}) {
      INDArray p = sd.getVariable(name).getArr();
      INDArray g = grads.get(name);
      for (long i = 0; i < p.length(); i++) {
        double orig = p.getDouble(i);
        p.putScalar(i, orig + eps);
        double up = sd.output(Map.of(), "loss").get("loss").getDouble(0);
        p.putScalar(i, orig - eps);
        double down = sd.output(Map.of(), "loss").get("loss").getDouble(0);
        p.putScalar(i, orig);
        double numeric = (up - down) / (2 * eps);
        double analytic = g.getDouble(i);
        double denom = Math.abs(numeric) + Math.abs(analytic);
        double absError = Math.abs(numeric - analytic);
        maxAbs = Math.max(maxAbs, absError);
        if (denom > 1e-6) {
          maxRel = Math.max(maxRel, absError / denom);
        }
        checked++;
      }
    }
    System.out.printf("GRU gradient check: %d values, max relative error %.3e, max abs error %.3e%n",
        checked, maxRel, maxAbs);
    assertTrue(checked == 3 * 12 + 4 * 12 + 12 + 2 * 3 * 5, "checked " + checked);
    assertTrue(maxRel < 1e-5, "max relative error " + maxRel);
    assertTrue(maxAbs < 1e-8, "max abs error " + maxAbs);
  }
}
