package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.model.ForecastSession;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.RecurrentForecaster;

class TrainerTest {

  static List<KeySeries> taylor;

  @BeforeAll
  static void load() {
    taylor = List.of(TestData.dataset("taylor.csv").get(0).head(700));
  }

  static TrainedModel lstm(long seed, int epochs, int patience) {
    return lstm(seed, epochs, patience, 0.01);
  }

  @Test
  void shouldGiveIdenticalWeightsWhenRerunWithSameSeed() {
    TrainedModel a = lstm(42, 2, 0);
    TrainedModel b = lstm(42, 2, 0);
    TrainedModel c = lstm(43, 2, 0);
    assertArrayEquals(a.network().params().toFloatVector(), b.network().params().toFloatVector());
    assertArrayEquals(a.artifact().network().headWeights(), b.artifact().network().headWeights());
    assertTrue(!java.util.Arrays.equals(a.network().params().toFloatVector(), c.network().params().toFloatVector()),
        "a different seed must give different weights");
  }

  static TrainedModel lstm(long seed, int epochs, int patience, double lr) {
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.LSTM, 8, 48, 4, PipelineSpec.TargetTransform.LEVEL,
        List.of(PipelineSpec.CalendarFeature.TIME_OF_DAY), List.of(48));
    return new Trainer().train(m, TestData.training(epochs, patience, lr, seed), taylor, List.of(), "taylor.csv",
        ProgressListener.NONE);
  }

  @Test
  void shouldBeatTheMeanWhenTrainedOnRealData() {
    TrainedModel t = lstm(7, 12, 3);
    double start = t.start().validationLoss();
    Map<String, Double> metrics = t.artifact().provenance().validationMetrics();
    double val = metrics.get("validation_loss");
    double mse = metrics.get("validation_mse");
    // Predicting the key's mean scores about 1 in scaled space; the head starts at the best simple forecast on the
    // training steps (for half-hourly load with lag 48: the seasonal naive plus the current change) and training
    // must improve on that start.
    assertEquals(List.of("snaive(48)+change", "snaive(48)+change", "snaive(48)+change", "snaive(48)+change"),
        t.headStart().choice());
    assertTrue(mse < 0.5, "validation MSE " + mse + " after " + t.epochs().size() + " epochs");
    assertTrue(t.bestEpoch() >= 1, "no epoch improved on the start");
    assertTrue(val < start, "validation loss " + val + " not below the start's " + start);
    assertEquals(start, metrics.get("start_validation_loss"));
    assertEquals(val, t.epochs().get(t.bestEpoch() - 1).validationLoss());
    assertEquals(700, t.artifact().provenance().points());
    assertEquals("1.0.0-M2.1", t.artifact().provenance().libraryVersions().get("deeplearning4j-nn"));
  }

  @Test
  void shouldStopEarlyAndKeepTheStartWhenNoEpochImprovesOnIt() {
    // With a negligible learning rate the weights barely change, so no epoch beats the untrained start (epoch 0):
    // training stops after `patience` epochs and keeps the start.
    TrainedModel t = lstm(7, 10, 2, 1e-12);
    assertEquals(2, t.epochs().size());
    assertEquals(0, t.bestEpoch());
    assertEquals(2.0, t.artifact().provenance().validationMetrics().get("epochs_run"));
    assertEquals(0.0, t.artifact().provenance().validationMetrics().get("best_epoch"));
    assertEquals(t.start().validationLoss(), t.artifact().provenance().validationMetrics().get("validation_loss"));
  }

  @Test
  void shouldForecastIdenticallyWhenArtifactTravelsAsBytes() {
    TrainedModel t = lstm(3, 1, 0);
    ModelArtifact copy = ModelArtifact.fromBytes(t.artifact().toBytes());
    ForecastSession a = t.session("taylor");
    ForecastSession b = new ForecastSession(copy, "taylor");
    KeySeries s = taylor.get(0);
    double[] fa = null;
    double[] fb = null;
    for (int i = 0; i < s.length(); i++) {
      fa = a.observe(Instant.ofEpochSecond(s.epochSeconds()[i]), s.values()[i]);
      fb = b.observe(Instant.ofEpochSecond(s.epochSeconds()[i]), s.values()[i]);
    }
    assertArrayEquals(fa, fb);
    assertEquals(4, fa.length);
    // Taylor's demand is in the tens of thousands of MW; a sane forecast is in the same range.
    for (double f : fa) {
      assertTrue(f > 15_000 && f < 60_000, "forecast " + f);
    }
  }

  @Test
  void shouldGiveSeasonalKeysASmoothingBaselineAndARandomWalkNoneWhenTrained() {
    java.util.Random r = new java.util.Random(5);
    List<KeySeries> series = new java.util.ArrayList<>();
    for (String key : List.of("seasonal-a", "seasonal-b", "walk")) {
      int n = 96;
      long[] ts = new long[n];
      double[] y = new double[n];
      for (int t = 0; t < n; t++) {
        ts[t] = 1_000_000_000L + t * 86_400L;
        y[t] = key.equals("walk") ? (t == 0 ? 50 : y[t - 1] + r.nextGaussian())
            : 100 + 0.3 * t + 12 * Math.sin(2 * Math.PI * t / 12) + 2 * r.nextGaussian();
      }
      series.add(KeySeries.of(key, ts, y));
    }
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.GRU, 4, 24, 12, PipelineSpec.TargetTransform.LEVEL,
        List.of(), List.of(12));
    PipelineSpec.Training t = TestData.training(2, 0, 0.01, 1);
    PipelineSpec.Training noValidation = new PipelineSpec.Training(t.history(), null, 2, 0, 0.01, 1.0, 0, 0, 16, 0.0,
        1, 0.02);
    TrainedModel trained = new Trainer().train(m, noValidation, series, List.of(), "synthetic", ProgressListener.NONE);
    org.streamcast.model.OutputSources sources = trained.artifact().sources();
    for (String key : List.of("seasonal-a", "seasonal-b")) {
      org.streamcast.model.KeyBaseline sm = sources.own(key);
      assertTrue(sm instanceof org.streamcast.model.Smoothing s && s.period() == 12 && s.serves(1), key + ": " + sm);
      assertTrue(sources.sources(key).get(0).startsWith("ets(A,"), sources.sources(key).toString());
    }
    assertEquals(null, sources.own("walk"), "nothing beats naive on a random walk");
    assertEquals(sources, org.streamcast.model.ModelArtifact.fromBytes(trained.artifact().toBytes()).sources());
    assertEquals(2.0, trained.artifact().provenance().validationMetrics().get("smoothing_keys"));
  }

  @Test
  void shouldServeEveryKeyItsBaselineWhenThereIsNoValidationEvidence() {
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.GRU, 4, 48, 4, PipelineSpec.TargetTransform.LEVEL,
        List.of(), List.of(48));
    PipelineSpec.Training t = TestData.training(3, 0, 0.01, 1);
    PipelineSpec.Training noValidation = new PipelineSpec.Training(t.history(), null, 3, 0, 0.01, 1.0, 0, 0, 16, 0.0,
        1, 0.02);
    TrainedModel trained = new Trainer().train(m, noValidation, taylor, List.of(), "taylor.csv", ProgressListener.NONE);
    assertEquals(0, trained.epochs().size(), "nothing could show a trained correction helps: none is trained");
    assertArrayEquals(new boolean[4], trained.artifact().learnedHorizons("taylor"));
    assertArrayEquals(new boolean[4], trained.artifact().learnedHorizons("a key never seen"));
    assertEquals(trained.headStart().choice(), trained.artifact().sources().sources("taylor"));
    KeySeries k = taylor.get(0);
    RecurrentForecaster f = RecurrentForecaster.serving(trained.artifact());
    KeyState state = new KeyState(f.historyLength());
    KeyStepper stepper = new KeyStepper(m.gaps(), 1_800_000L);
    double[] out = new double[4];
    // before live protection has the evidence to switch a key (it starts from the artifact's choice)
    int steps = f.warmup() + org.streamcast.model.LiveProtection.MIN_PAIRS - 1;
    for (int i = 0; i < steps; i++) {
      stepper.observe(f, "taylor", state, k.epochSeconds()[i] * 1000, k.values()[i], out);
    }
    assertEquals(false, state.protection().learned(1));
    // the baseline of h = 1 from the head-start's choice, computed directly from the series
    double[] y = k.values();
    int n = steps - 1;
    double expected = switch (trained.headStart().choice().get(0)) {
      case "naive" -> y[n];
      case "snaive(48)" -> y[n + 1 - 48];
      case "snaive(48)+change" -> y[n] + y[n + 1 - 48] - y[n - 48];
      default -> throw new AssertionError(trained.headStart().choice().get(0));
    };
    assertEquals(expected, out[0], 1e-6 * Math.abs(expected));
  }

  @Test
  void shouldRejectDataWhenNoKeyIsLongEnough() {
    List<KeySeries> tiny = new ArrayList<>();
    tiny.add(taylor.get(0).head(4));
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.GRU, 4, 48, 4, PipelineSpec.TargetTransform.LEVEL,
        List.of(), List.of());
    SpecException e = assertThrows(SpecException.class, () -> new Trainer().train(m,
        TestData.training(1, 0, 0.01, 1), tiny, List.of(), "tiny", ProgressListener.NONE));
    assertTrue(e.getMessage().contains("need at least"), e.getMessage());
  }

  @Test
  void shouldTrainGruWhenLastMiniBatchWouldHoldOneWindow() {
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.GRU, 8, 48, 4, PipelineSpec.TargetTransform.LEVEL,
        List.of(), List.of(48));
    int[] windows = new int[1];
    ProgressListener count = new ProgressListener() {
      @Override
      public void started(int maxEpochs, int trainWindows, int validationWindows) {
        windows[0] = trainWindows;
      }

      @Override
      public void epochFinished(EpochStats stats) {
      }
    };
    new Trainer().train(m, TestData.training(1, 1, 0.01, 3), taylor, List.of(), "taylor.csv", count);
    assertTrue(windows[0] > 3, "windows " + windows[0]);
    PipelineSpec.Training t = TestData.training(2, 2, 0.01, 3);
    PipelineSpec.Training oneLeft = new PipelineSpec.Training(t.history(), null, 2, 2, 0.01, 1.0, 0, 0,
        windows[0] - 1, 0.2, 3, 0.02);
    TrainedModel trained = new Trainer().train(m, oneLeft, taylor, List.of(), "taylor.csv", ProgressListener.NONE);
    assertEquals(2, trained.epochs().size());
    assertTrue(Double.isFinite(trained.epochs().get(1).trainLoss()));
  }

  @Test
  void shouldTrainGruInSegmentsWhenTbpttIsSet() {
    PipelineSpec.Model m = TestData.model(PipelineSpec.ModelType.GRU, 8, 48, 4, PipelineSpec.TargetTransform.LEVEL,
        List.of(), List.of(48));
    PipelineSpec.Training t = TestData.training(1, 1, 0.01, 3);
    TrainedModel full = new Trainer().train(m, t, taylor, List.of(), "taylor.csv", ProgressListener.NONE);
    // 48-step windows in segments of 20, 20 and 8 (the last padded and masked)
    TrainedModel cut = new Trainer().train(m, withTbptt(t, 20), taylor, List.of(), "taylor.csv",
        ProgressListener.NONE);
    assertEquals("0", full.artifact().provenance().hyperparameters().get("training.tbpttLength"));
    assertEquals("20", cut.artifact().provenance().hyperparameters().get("training.tbpttLength"));
    assertEquals("20", cut.artifact().provenance().hyperparameters().get("training.tbptt"));
    assertEquals("PT30M", full.artifact().provenance().hyperparameters().get("window.step"), "taylor's half hours");
    assertEquals(48, cut.windowLength());
    assertTrue(GruSegments.isSegmented(cut.network()) && !GruSegments.isSegmented(full.network()));
    // The same start scored on whole windows (the segmented network carries its state across segments).
    assertEquals(full.start().validationLoss(), cut.start().validationLoss(), 1e-6);
    assertTrue(Double.isFinite(cut.epochs().get(0).trainLoss()));
    float[] a = full.network().getLayer("rnn0").params().toFloatVector();
    float[] b = cut.network().getLayer("rnn0").params().toFloatVector();
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    System.out.printf("GRU after one epoch, tbptt 20 vs full BPTT over 48 steps: max abs GRU weight diff %.3e%n",
        diff);
    assertTrue(diff > 1e-3, "tbptt changed nothing: " + diff);
  }

  private static PipelineSpec.Training withTbptt(PipelineSpec.Training t, int tbptt) {
    return new PipelineSpec.Training(t.history(), t.schedule(), t.epochs(), t.patience(), t.learningRate(),
        t.gradientClip(), t.dropout(), t.l2(), t.batchSize(), t.validation(), t.seed(), t.promoteMargin(),
        t.gradientClipMode(), tbptt);
  }
}
