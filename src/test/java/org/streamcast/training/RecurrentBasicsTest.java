package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.streamcast.config.PipelineSpec.GradientClipMode;
import org.streamcast.model.CellType;

/**
 * Truncated BPTT and gradient clipping change training, measured on small networks: a GRU run in segments with its
 * state carried equals the same GRU over the whole window, a one-segment truncation equals full BPTT, and shorter
 * segments, clipping by norm and clipping by value each move the trained weights away from the unclipped, untruncated
 * run.
 */
class RecurrentBasicsTest {

  private static final int WINDOW = 12;
  private static final Architecture GRU2 = new Architecture(CellType.GRU, 4, 3, 6, 2, 3);

  private static MultiDataSet batch(Architecture arch, long seed, int windows) {
    float[][][] s = FaithfulnessTest.sequences(new Random(seed), windows, WINDOW, arch);
    return new MultiDataSet(new INDArray[] {FaithfulnessTest.ncw(s[0], arch.recurrentInputs()),
        FaithfulnessTest.ncw(s[1], arch.headInputs())}, new INDArray[] {FaithfulnessTest.ncw(s[2], arch.horizon())});
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  @Test
  void shouldEqualTheWholeWindowWhenGruRunsInSegmentsCarryingItsState() {
    TrainingOptions opts = new TrainingOptions(3, 0.01, 1.0, 0, 0);
    ComputationGraph whole = NetworkFactory.build(GRU2, opts, WINDOW, 0);
    // 12 steps in segments of 5: two full segments and a padded one of 2 steps.
    ComputationGraph segmented = NetworkFactory.build(GRU2, opts, 5, 0, true);
    segmented.setParams(whole.params());
    MultiDataSet b = batch(GRU2, 1, 3);
    INDArray expected = whole.output(false, b.getFeatures())[0];
    INDArray actual = GruSegments.output(segmented, GRU2, b.getFeatures());
    double diff = maxAbsDiff(expected, actual);
    System.out.printf("segmented GRU (2 layers, 12 steps in segments of 5) vs whole window: max abs diff %.3e%n", diff);
    assertTrue(expected.amaxNumber().doubleValue() > 0.05, "degenerate outputs");
    assertTrue(diff < 1e-6, "max abs diff " + diff);
    // Without the carried state (each segment from zero) the outputs after the first segment differ.
    ComputationGraph fresh = NetworkFactory.build(GRU2, opts, 6, 0);
    fresh.setParams(whole.params());
    INDArray secondHalf = b.getFeatures(0).get(NDArrayIndex.all(),
        NDArrayIndex.all(), NDArrayIndex.interval(6, 12)).dup();
    INDArray headHalf = b.getFeatures(1).get(NDArrayIndex.all(),
        NDArrayIndex.all(), NDArrayIndex.interval(6, 12)).dup();
    INDArray zeroStart = fresh.output(false, secondHalf, headHalf)[0];
    double lost = maxAbsDiff(zeroStart, expected.get(NDArrayIndex.all(),
        NDArrayIndex.all(), NDArrayIndex.interval(6, 12)));
    System.out.printf("second half from a zero state instead: max abs diff %.3e%n", lost);
    assertTrue(lost > 1e-3, "the carried state made no difference: " + lost);
  }

  @Test
  void shouldEqualFullBpttWhenOneSegmentCoversTheWindowAndDifferWhenSegmentsAreShorter() {
    TrainingOptions opts = new TrainingOptions(3, 0.01, 0, 0, 0);
    ComputationGraph full = NetworkFactory.build(GRU2, opts, WINDOW, 0);
    INDArray start = full.params().dup();
    ComputationGraph one = NetworkFactory.build(GRU2, opts, WINDOW, 0, true);
    one.setParams(start);
    ComputationGraph truncated = NetworkFactory.build(GRU2, opts, 4, 0, true);
    truncated.setParams(start);
    MultiDataSet b = batch(GRU2, 2, 4);
    full.fit(b);
    GruSegments.fit(one, GRU2, b);
    GruSegments.fit(truncated, GRU2, b);
    double same = maxAbsDiff(full.params(), one.params());
    double moved = maxAbsDiff(full.params(), start);
    double apart = maxAbsDiff(full.params(), truncated.params());
    System.out.printf("GRU one step: full BPTT moved the weights by %.3e; one 12-step segment differs by %.3e; "
        + "segments of 4 (three updates, gradient cut at each start) differ by %.3e%n", moved, same, apart);
    assertTrue(same < 1e-6, "one segment vs full BPTT: " + same);
    assertTrue(apart > 1e-3, "segments of 4 vs full BPTT: " + apart);
  }

  @Test
  void shouldGiveTheSameLossButAGradientCutAtTheSegmentStartWhenGruIsTruncated() {
    // The loss of steps 4..7 of an 8-step window: with full BPTT its gradient flows back through steps 0..3; as the
    // second 4-step segment, started from the state step 3 ended in (fed as data), it stops at step 4.
    TrainingOptions opts = new TrainingOptions(3, 0.01, 0, 0, 0);
    ComputationGraph full = NetworkFactory.build(GRU2, opts, 8, 0);
    ComputationGraph cut = NetworkFactory.build(GRU2, opts, 4, 0, true);
    cut.setParams(full.params().dup());
    float[][][] s = FaithfulnessTest.sequences(new Random(5), 4, 8, GRU2);
    INDArray x = FaithfulnessTest.ncw(s[0], 4);
    INDArray head = FaithfulnessTest.ncw(s[1], 3);
    INDArray labels = FaithfulnessTest.ncw(s[2], 3);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, 4, 8);
    mask.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 8)).assign(1);
    full.setInputs(x, head);
    full.setLabels(labels);
    full.setLayerMaskArrays(null, new INDArray[] {mask});
    full.computeGradientAndScore();
    double fullScore = full.score();
    INDArray fullGrad = full.gradient().gradient().dup();

    java.util.Map<String, INDArray> acts = full.feedForward(new INDArray[] {x, head}, false);
    INDArray[] in = {steps(x, 4, 8), steps(head, 4, 8), Nd4j.zeros(DataType.FLOAT, 4, 6, 4),
        Nd4j.zeros(DataType.FLOAT, 4, 6, 4)};
    for (int l = 0; l < 2; l++) {
      in[2 + l].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0))
          .assign(acts.get(NetworkFactory.layerName(l)).get(NDArrayIndex.all(), NDArrayIndex.all(),
              NDArrayIndex.point(3)));
    }
    cut.setInputs(in);
    cut.setLabels(steps(labels, 4, 8));
    cut.computeGradientAndScore();
    INDArray cutGrad = cut.gradient().gradient().dup();
    double norm = fullGrad.norm2Number().doubleValue();
    double diff = fullGrad.sub(cutGrad).norm2Number().doubleValue();
    System.out.printf("GRU loss of steps 4..7: full BPTT %.6f, truncated %.6f; |gradient| %.4e, |full - truncated| "
        + "%.4e%n", fullScore, cut.score(), norm, diff);
    assertEquals(fullScore, cut.score(), 1e-5 * Math.abs(fullScore), "the forward pass must agree");
    assertTrue(diff > 0.05 * norm, "truncation barely changed the gradient: " + diff + " of " + norm);
    assertTrue(diff < norm, "gradients unrelated: " + diff + " vs " + norm);
  }

  private static INDArray steps(INDArray a, int from, int to) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
  }

  @Test
  void shouldChangeLstmTrainingWhenTruncated() {
    Architecture lstm = new Architecture(CellType.LSTM, 4, 3, 6, 2, 3);
    TrainingOptions opts = new TrainingOptions(3, 0.01, 0, 0, 0);
    ComputationGraph full = NetworkFactory.build(lstm, opts, WINDOW, 0);
    ComputationGraph truncated = NetworkFactory.build(lstm, opts, WINDOW, 4);
    truncated.setParams(full.params().dup());
    MultiDataSet b = batch(lstm, 2, 4);
    full.fit(b);
    truncated.fit(b);
    double apart = maxAbsDiff(full.params(), truncated.params());
    System.out.printf("LSTM one fit: tbptt 4 vs full BPTT over 12 steps: max abs weight diff %.3e%n", apart);
    assertTrue(apart > 1e-3, "tbptt 4 vs full BPTT: " + apart);
  }

  @Test
  void shouldChangeTrainingWhenGradientsAreClippedByNormOrByValue() {
    // Adam divides each gradient by its running scale, so a clip that rescales every step alike would change little;
    // thresholds far below the gradients' size clip every step, by a factor that changes from step to step.
    // The recurrent layers' weights only: the SameDiff GRU layer must be clipped too, not just DL4J's output layer.
    INDArray[] trained = new INDArray[3];
    TrainingOptions[] opts = {new TrainingOptions(3, 0.01, 0, 0, 0),
        new TrainingOptions(3, 0.01, 0.05, 0, 0, GradientClipMode.NORM),
        new TrainingOptions(3, 0.01, 0.002, 0, 0, GradientClipMode.VALUE)};
    for (int i = 0; i < opts.length; i++) {
      ComputationGraph net = NetworkFactory.build(GRU2, opts[i], WINDOW, 0);
      for (int it = 0; it < 8; it++) {
        net.fit(batch(GRU2, 100 + it, 4));
      }
      trained[i] = Nd4j.concat(0, net.getLayer("rnn0").params().reshape(-1),
          net.getLayer("rnn1").params().reshape(-1));
    }
    double byNorm = maxAbsDiff(trained[0], trained[1]);
    double byValue = maxAbsDiff(trained[0], trained[2]);
    double normVsValue = maxAbsDiff(trained[1], trained[2]);
    System.out.printf("GRU, 8 Adam steps: max abs GRU-layer weight diff to no clipping: by norm (0.05) %.3e, "
        + "by value (0.002) %.3e; norm vs value %.3e%n", byNorm, byValue, normVsValue);
    assertTrue(byNorm > 1e-3, "clipping by norm changed nothing: " + byNorm);
    assertTrue(byValue > 1e-3, "clipping by value changed nothing: " + byValue);
    assertTrue(normVsValue > 1e-3, "norm and value clipping trained alike: " + normVsValue);
  }
}
